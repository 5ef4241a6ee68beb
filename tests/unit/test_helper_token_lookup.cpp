#include <catch2/catch.hpp>

#include <cstdlib>
#include <optional>
#include <string>

#include "helper/lifecycle/token_lookup.hpp"

using namespace patrol;
using namespace patrol::helper;

TEST_CASE("learn keeps what the forge says of an active token", "[lookup]") {
  store::Record record;
  record.secret = Secret("t");
  forge::TokenInfo info;
  info.expires_at = 1796169600;
  info.scopes = {"api"};
  info.id = "42";
  info.name = "laptop";
  learn(record, info, 1000);
  CHECK(record.kind == store::Kind::pat);
  CHECK(record.expires_at == 1796169600);
  CHECK(record.scopes == std::vector<std::string>{"api"});
  CHECK(record.token_id == "42");
  CHECK(record.token_name == "laptop");
  CHECK(record.checked_at == 1000);
}

TEST_CASE("learn keeps only the time of the check for a refused token", "[lookup]") {
  for (const forge::TokenState state : {forge::TokenState::revoked, forge::TokenState::expired,
                                        forge::TokenState::unknown, forge::TokenState::not_a_pat}) {
    store::Record record;
    record.expires_at = 5;
    record.token_name = "kept";
    forge::TokenInfo info;
    info.state = state;
    learn(record, info, 1000);
    CHECK(record.expires_at == 5);
    CHECK(record.token_name == "kept");
    CHECK(record.kind == store::Kind::password);
    CHECK(record.checked_at == 1000);
  }
}

TEST_CASE("forge_for reads patrol.<url>.forge and apiUrl", "[lookup]") {
  const Config config = Config::from_entries({
      {"patrol.https://127.0.0.1:8443.forge", "gitlab"},
      {"patrol.https://127.0.0.1:8443.apiUrl", "https://127.0.0.1:8443/gl/api/v4"},
  });
  const forge::Forge configured =
      forge_for(config, "https://alice@127.0.0.1:8443/", "https", "127.0.0.1:8443");
  CHECK(configured.kind == forge::ForgeKind::gitlab);
  CHECK(configured.api_url == "https://127.0.0.1:8443/gl/api/v4");
  const forge::Forge other =
      forge_for(config, "https://127.0.0.1:9999/", "https", "127.0.0.1:9999");
  CHECK(other.kind == forge::ForgeKind::none);
}

namespace {

// Sets one environment variable for a test and puts the old value back.
class ScopedVar {
public:
  ScopedVar(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) {
      old_ = old;
    }
    if (value != nullptr) {
      setenv(name, value, 1);
    } else {
      unsetenv(name);
    }
  }
  ~ScopedVar() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }
  ScopedVar(const ScopedVar&) = delete;
  ScopedVar& operator=(const ScopedVar&) = delete;

private:
  const char* name_;
  std::optional<std::string> old_;
};

} // namespace

TEST_CASE("http_settings takes the CA and proxy as git does", "[lookup]") {
  const Config config = Config::from_entries({
      {"http.https://gitlab.example.com.sslcainfo", "~/ca/test.pem"},
      {"http.https://gitlab.example.com.proxy", "http://proxy.example:3128"},
      {"http.sslverify", "false"},
  });
  ScopedVar home("HOME", "/home/tester");
  {
    ScopedVar ca("GIT_SSL_CAINFO", nullptr);
    const forge::HttpSettings settings =
        http_settings(config, "https://alice@gitlab.example.com/g/r.git", quick_timeouts);
    CHECK(settings.ca_file == "/home/tester/ca/test.pem");
    CHECK(settings.proxy == "http://proxy.example:3128");
    CHECK(settings.connect_timeout == quick_timeouts.connect);
    const forge::HttpSettings other = http_settings(config, "https://github.com/x", quick_timeouts);
    CHECK(other.ca_file.empty());
    CHECK_FALSE(other.proxy); // unset: libcurl's environment decides
  }
  ScopedVar ca("GIT_SSL_CAINFO", "/env/ca.pem");
  CHECK(http_settings(config, "https://gitlab.example.com", quick_timeouts).ca_file ==
        "/env/ca.pem");
}

TEST_CASE("http_settings: an empty http.proxy is no proxy, http.sslCAPath a CA folder",
          "[lookup]") {
  const Config config = Config::from_entries({
      {"http.proxy", "http://proxy.example:3128"},
      {"http.https://direct.example.com.proxy", ""},
      {"http.https://direct.example.com.sslcapath", "~/certs"},
  });
  ScopedVar home("HOME", "/home/tester");
  ScopedVar capath("GIT_SSL_CAPATH", nullptr);
  const forge::HttpSettings direct =
      http_settings(config, "https://direct.example.com/g/r.git", quick_timeouts);
  REQUIRE(direct.proxy);
  CHECK(direct.proxy->empty()); // set and empty: CURLOPT_PROXY "", no proxy at all
  CHECK(direct.ca_path == "/home/tester/certs");
  const forge::HttpSettings elsewhere =
      http_settings(config, "https://other.example.com", quick_timeouts);
  CHECK(elsewhere.proxy == "http://proxy.example:3128");
  CHECK(elsewhere.ca_path.empty());
  ScopedVar env_path("GIT_SSL_CAPATH", "/env/certs");
  CHECK(http_settings(config, "https://direct.example.com", quick_timeouts).ca_path ==
        "/env/certs");
}
