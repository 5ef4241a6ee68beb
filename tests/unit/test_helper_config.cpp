#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <unistd.h>
#include <utility>
#include <vector>

#include "helper/git/config.hpp"
#include "support/scoped_env.hpp"

using patrol::Errc;
using patrol::Result;
using patrol::helper::Config;
using patrol::helper::config_key;
using patrol::helper::config_keys;
using patrol::helper::ConfigKey;
using patrol::helper::Setting;
using patrol::helper::setting_named;
using patrol::test::ScopedEnv;

namespace {

// A throwaway directory holding configuration files.
class TempDir {
public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "patrol-config-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string write(const std::string& name, const std::string& text) const {
    const std::string file = path_ + "/" + name;
    std::ofstream(file) << text;
    return file;
  }
  const std::string& path() const { return path_; }

private:
  std::string path_;
};

// Only this global file: no system or repository configuration, no command-line values.
ScopedEnv isolated(const std::string& global) {
  return ScopedEnv{{"GIT_CONFIG_NOSYSTEM", "1"},
                   {"GIT_CONFIG_SYSTEM", nullptr},
                   {"GIT_CONFIG_GLOBAL", global.c_str()},
                   {"GIT_DIR", "/nonexistent/patrol-test-git-dir"},
                   {"GIT_CONFIG_PARAMETERS", nullptr},
                   {"GIT_CONFIG_COUNT", nullptr},
                   {"PATROL_STORE", nullptr}};
}

const Config sample = Config::from_entries({
    {"patrol.store", "default"},
    {"patrol.https://example.com.store", "host"},
    {"patrol.https://example.com/group.store", "group"},
    {"patrol.https://alice@example.com.store", "alice"},
    {"patrol.https://*.example.com.store", "star"},
    {"patrol.https://example.com:8443.store", "port"},
    {"patrol.https://example.com.warndays", "30"},
    {"patrol.https://EXAMPLE.com:443/.warndays", "7"},
    {"patrol.notaurl.store", "bogus"},
    {"http.https://example.com.store", "other-section"},
});

} // namespace

TEST_CASE("the most specific URL wins, equal ones by order", "[config]") {
  struct Case {
    const char* url;
    const char* store;
  };
  const Case cases[] = {
      {"https://example.com", "host"},
      {"https://EXAMPLE.COM:443/", "host"},
      {"https://example.com/group/repo.git", "group"},
      {"https://example.com/groupie", "host"},
      {"https://alice@example.com/x", "alice"},
      {"https://alice@example.com/group", "group"},
      {"https://bob@example.com/x", "host"},
      {"https://git.example.com", "star"},
      {"https://a.b.example.com", "default"},
      {"https://example.com:8443/x", "port"},
      {"http://example.com", "default"},
      {"not a url", "default"},
  };
  ScopedEnv env{{"PATROL_STORE", nullptr}};
  for (const Case& c : cases) {
    INFO(c.url);
    CHECK(sample.get(Setting::store, c.url) == std::optional<std::string>(c.store));
  }
  CHECK(sample.get(Setting::warnDays, "https://example.com/x") == std::optional<std::string>("7"));
  CHECK(setting_named("WARNDAYS") == Setting::warnDays);
  CHECK_FALSE(sample.get(Setting::warnDays, "https://gitlab.com").has_value());
}

TEST_CASE("all_for lists the settings in effect, sorted, names lower-cased", "[config]") {
  const std::vector<std::pair<std::string, std::string>> want{{"patrol.store", "group"},
                                                              {"patrol.warndays", "7"}};
  CHECK(sample.all_for("https://example.com/group") == want);
  CHECK(sample.listing_for("https://example.com/group") ==
        "patrol.store group\npatrol.warndays 7\n");
}

TEST_CASE("the environment overrides configuration when set and non-empty", "[config]") {
  {
    ScopedEnv env{{"PATROL_STORE", "memory"}};
    CHECK(sample.get(Setting::store, "https://example.com") ==
          std::optional<std::string>("memory"));
    CHECK(sample.value(Setting::store, "https://example.com") == "memory");
  }
  {
    ScopedEnv env{{"PATROL_STORE", ""}};
    CHECK(sample.get(Setting::store, "https://example.com") == std::optional<std::string>("host"));
  }
}

TEST_CASE("settings that say where a token goes count only when scoped to one host",
          "[config][trust]") {
  const Config config = Config::from_entries(
      {{"patrol.apiUrl", "https://collector.example/api/v4"},
       {"patrol.oauthClientId", "everywhere"},
       {"patrol.https://*.corp.example.apiUrl", "https://collector.example/api/v4"},
       {"patrol.https://gl.example.apiUrl", "https://api.gl.example/api/v4"},
       {"patrol.https://gl.example/group.oauthTokenUrl", "https://gl.example/oauth/token"},
       {"patrol.warnDays", "30"}});
  ScopedEnv env{{"PATROL_API_URL", nullptr}, {"PATROL_OAUTH_CLIENT_ID", nullptr}};
  // Unscoped: refused, with advice spelled for the URL asked about.
  CHECK_FALSE(config.get(Setting::apiUrl, "https://github.com/o/r.git"));
  CHECK(config.refusal(Setting::apiUrl, "https://github.com:8443/o/r.git") ==
        std::optional<std::string>(
            "patrol.apiUrl is ignored: not scoped to one host, it could send one host's token "
            "to another; scope it instead: git config --global "
            "patrol.https://github.com:8443.apiUrl VALUE"));
  CHECK_FALSE(config.get(Setting::oauthClientId, "https://gitlab.com/g/r.git"));
  // A wildcard host is not one host.
  CHECK_FALSE(config.get(Setting::apiUrl, "https://git.corp.example/r.git"));
  CHECK(config.refusal(Setting::apiUrl, "https://git.corp.example/r.git"));
  // Scoped to the host (or a path under it): honoured, and nothing to refuse.
  CHECK(config.get(Setting::apiUrl, "https://gl.example/g/r.git") ==
        std::optional<std::string>("https://api.gl.example/api/v4"));
  CHECK_FALSE(config.refusal(Setting::apiUrl, "https://gl.example/g/r.git"));
  CHECK(config.get(Setting::oauthTokenUrl, "https://gl.example/group/r.git") ==
        std::optional<std::string>("https://gl.example/oauth/token"));
  CHECK_FALSE(config.get(Setting::oauthTokenUrl, "https://gl.example/other/r.git"));
  // Another scheme or port is another origin: the scoped setting does not follow.
  CHECK_FALSE(config.get(Setting::apiUrl, "http://gl.example/g/r.git"));
  CHECK_FALSE(config.get(Setting::apiUrl, "https://gl.example:8443/g/r.git"));
  // Settings that send nothing anywhere still apply unscoped.
  CHECK(config.get(Setting::warnDays, "https://github.com/o/r.git") ==
        std::optional<std::string>("30"));
}

TEST_CASE("environment variables for where a token goes are refused", "[config][trust]") {
  const Config config =
      Config::from_entries({{"patrol.https://gl.example.apiUrl", "https://gl.example/v4"}});
  ScopedEnv env{{"PATROL_API_URL", "http://127.0.0.1:9/api/v4"},
                {"PATROL_OAUTH_TOKEN_URL", "https://collector.example/token"}};
  CHECK_FALSE(config.get(Setting::apiUrl, "https://github.com/o/r.git"));
  // The scoped setting still holds; the variable is refused, not obeyed.
  CHECK(config.get(Setting::apiUrl, "https://gl.example/r.git") ==
        std::optional<std::string>("https://gl.example/v4"));
  CHECK(config.refusal(Setting::apiUrl, "https://gl.example/r.git")
            ->starts_with("PATROL_API_URL is ignored: applying to every host, it could send"));
  CHECK_FALSE(config.get(Setting::oauthTokenUrl, "https://gitlab.com/g/r.git"));
}

TEST_CASE("value() falls back to the table's default", "[config]") {
  ScopedEnv env{{"PATROL_STORE", nullptr}};
  const Config empty = Config::from_entries({});
  CHECK_FALSE(empty.get(Setting::store, "https://example.com").has_value());
  CHECK(empty.value(Setting::store, "https://example.com") == "auto");
  CHECK_FALSE(setting_named("nosuchkey"));
}

TEST_CASE("the key table names each key once with its variable", "[config]") {
  std::map<std::string, std::string> seen;
  for (const ConfigKey& key : config_keys()) {
    CHECK(seen.emplace(std::string(key.name), std::string(key.env)).second);
    CHECK_FALSE(key.help.empty());
    CHECK(key.env.starts_with("PATROL_"));
  }
  CHECK(seen.at("store") == "PATROL_STORE");
}

TEST_CASE("each setting's handle finds its own row, and its name finds the handle", "[config]") {
  for (const ConfigKey& key : config_keys()) {
    INFO(key.name);
    CHECK(&config_key(key.setting) == &key);
    CHECK(setting_named(key.name) == key.setting);
  }
  CHECK(setting_named("warndays") == Setting::warnDays);
  CHECK(config_key(Setting::oauthBrowser).name == "oauthBrowser");
}

TEST_CASE("load() reads a global file and the command line, later wins", "[config]") {
  TempDir dir;
  const std::string global =
      dir.write("global", "[patrol]\n\tstore = file\n\tflag\n"
                          "[patrol \"https://example.com\"]\n\tstore = host\n");
  const ScopedEnv env = isolated(global);
  {
    Result<Config> config = Config::load();
    REQUIRE(config);
    CHECK(config->get(Setting::store, "https://gitlab.com") == std::optional<std::string>("file"));
    CHECK(config->get(Setting::store, "https://example.com") == std::optional<std::string>("host"));
    CHECK(config->listing_for("https://gitlab.com") == "patrol.flag\npatrol.store file\n");
  }
  {
    ScopedEnv cmdline{{"GIT_CONFIG_PARAMETERS",
                       "'patrol.store'='it'\\''s' 'patrol.https://example.com.store=old=style'"}};
    Result<Config> config = Config::load();
    REQUIRE(config);
    CHECK(config->get(Setting::store, "https://gitlab.com") == std::optional<std::string>("it's"));
    CHECK(config->get(Setting::store, "https://example.com") ==
          std::optional<std::string>("old=style"));
  }
  {
    ScopedEnv cmdline{{"GIT_CONFIG_COUNT", "1"},
                      {"GIT_CONFIG_KEY_0", "Patrol.https://Example.com.Store"},
                      {"GIT_CONFIG_VALUE_0", "counted"}};
    Result<Config> config = Config::load();
    REQUIRE(config);
    // Section and name are case-insensitive; the URL's host normalises to lower case.
    CHECK(config->get(Setting::store, "https://example.com") ==
          std::optional<std::string>("counted"));
  }
}

TEST_CASE("load() refuses what git refuses, naming the source", "[config]") {
  TempDir dir;
  const std::string broken = dir.write("broken", "[patrol]\n\tstore = x\n[oops\n");
  {
    const ScopedEnv env = isolated(broken);
    Result<Config> config = Config::load();
    REQUIRE_FALSE(config);
    CHECK(config.error().code == Errc::config);
    CHECK(config.error().message.find(broken) != std::string::npos);
  }
  const std::string good = dir.write("good", "[patrol]\n\tstore = x\n");
  const char* bogus[] = {"'patrol.store=x", "patrol.store=x", "'patrol.store'x", "'nosection=x'",
                         "'patrol.1key=x'"};
  for (const char* parameters : bogus) {
    INFO(parameters);
    const ScopedEnv env = isolated(good);
    ScopedEnv cmdline{{"GIT_CONFIG_PARAMETERS", parameters}};
    Result<Config> config = Config::load();
    REQUIRE_FALSE(config);
    CHECK(config.error().code == Errc::config);
  }
  {
    const ScopedEnv env = isolated(good);
    ScopedEnv cmdline{{"GIT_CONFIG_COUNT", "2"},
                      {"GIT_CONFIG_KEY_0", "patrol.a"},
                      {"GIT_CONFIG_VALUE_0", "1"},
                      {"GIT_CONFIG_KEY_1", nullptr}};
    Result<Config> config = Config::load();
    REQUIRE_FALSE(config);
    CHECK(config.error().message.find("GIT_CONFIG_KEY_1") != std::string::npos);
  }
}

TEST_CASE("load() finds patrol sections in any case, and through includes", "[config]") {
  TempDir dir;
  const std::string included =
      dir.write("included", "[PATROL \"https://example.com\"]\n\tStore = included\n");
  const std::string global = dir.write(
      "global", "[credential]\n\thelper = patrol\n[Include]\n\tpath = " + included + "\n");
  const std::string plain =
      dir.write("plain", "[credential]\n\thelper = patrol\n[http]\n\tpatrol = 1\n");
  {
    const ScopedEnv env = isolated(global);
    Result<Config> config = Config::load();
    REQUIRE(config);
    CHECK(config->get(Setting::store, "https://example.com") ==
          std::optional<std::string>("included"));
  }
  {
    const ScopedEnv env = isolated(plain);
    Result<Config> config = Config::load();
    REQUIRE(config);
    CHECK(config->all_for("https://example.com").empty());
  }
}

TEST_CASE("http() answers git's http.<url>.* settings by the same urlmatch rules", "[config]") {
  const Config config = Config::from_entries({
      {"http.proxy", "http://proxy.example:3128"},
      {"http.https://example.com.sslcainfo", "/etc/host.pem"},
      {"http.https://example.com/group.sslcainfo", "/etc/group.pem"},
      {"patrol.https://example.com.sslcainfo", "not-http"},
  });
  CHECK(config.http("sslCAInfo", "https://example.com/group/repo.git").value() == "/etc/group.pem");
  CHECK(config.http("SSLCAINFO", "https://alice@example.com/other").value() == "/etc/host.pem");
  CHECK(config.http("sslCAInfo", "https://example.org/").value() == std::nullopt);
  CHECK(config.http("proxy", "https://example.org/").value() == "http://proxy.example:3128");
  CHECK(config.http("store", "https://example.com/").value() == std::nullopt);
  CHECK(config.http_listing_for("https://example.com/group").value() ==
        "http.proxy http://proxy.example:3128\nhttp.sslcainfo /etc/group.pem\n");
  CHECK(Config().http("proxy", "https://example.com").value() == std::nullopt);
}

TEST_CASE("load() leaves http.* to the first http() question, which reads the files", "[config]") {
  TempDir dir;
  const std::string global =
      dir.write("global", "[http \"https://example.com\"]\n\tsslCAInfo = /etc/ca.pem\n"
                          "[http]\n\tproxy = p.example:8080\n");
  ScopedEnv env = isolated(global);
  Result<Config> config = Config::load();
  REQUIRE(config);
  CHECK(config->listing_for("https://example.com").empty());
  CHECK(config->http("sslcainfo", "https://example.com/x").value() == "/etc/ca.pem");
  CHECK(config->http("proxy", "https://example.org").value() == "p.example:8080");

  const std::string broken = dir.write("broken", "[http]\n\tproxy = x\n[broken\n");
  ScopedEnv bad{{"GIT_CONFIG_GLOBAL", broken.c_str()}};
  // Every file is read now (patrol's own reader costs microseconds), so a file git would
  // refuse is refused by load() too, naming it, as git refuses it before any helper runs.
  Result<Config> refused = Config::load();
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message.find(broken) != std::string::npos);
}

TEST_CASE("credential.interactive as git reads it, never included", "[helper][config]") {
  struct Row {
    std::vector<std::pair<std::string, std::string>> entries;
    bool interactive;
  };
  const std::vector<Row> rows{
      {{}, true},
      {{{"credential.interactive", "false"}}, false},
      {{{"credential.interactive", "never"}}, false},
      {{{"credential.interactive", "NEVER"}}, false},
      {{{"credential.interactive", "0"}}, false},
      {{{"credential.interactive", "true"}}, true},
      {{{"credential.interactive", "auto"}}, true},
      {{{"credential.interactive", "always"}}, true},
      {{{"credential.interactive", "false"}, {"credential.interactive", "true"}}, true},
      {{{"credential.https://h.example.interactive", "false"}}, true},
  };
  for (const Row& row : rows) {
    const Config config = Config::from_entries(row.entries);
    INFO((row.entries.empty() ? std::string("(unset)") : row.entries.back().second));
    CHECK(config.interactive() == row.interactive);
  }
}
