#include "helper/commands/diagnose.hpp"

#include <cstdio>
#include <cstdlib>
#include <linux/keyctl.h>
#include <memory>
#include <optional>
#include <string>
#include <sys/syscall.h>
#include <unistd.h>
#include <utility>
#include <vector>

#include "common/ascii.hpp"
#include "common/text.hpp"
#include "helper/commands/command_line.hpp"
#include "helper/commands/progress.hpp"
#include "helper/git/config.hpp"
#include "helper/git/git_command.hpp"
#include "helper/git/url_match.hpp"
#include "helper/lifecycle/token_lookup.hpp"
#include "helper/messages.hpp"
#include "store/env.hpp"
#include "store/file.hpp"
#include "store/kernel_keyring.hpp"
#include "store/registry.hpp"
#include "store/secret_service_probe.hpp"

namespace patrol::helper {
namespace {

struct ConfigLine {
  std::string origin; // "file:/home/a/.gitconfig", "command line:"
  std::string key;    // as git prints it: section and variable lower-cased
  std::string value;
};

// Every entry whose name matches the regex, with its origin, in git's order.
std::vector<ConfigLine> config_lines(const std::string& regex) {
  std::vector<ConfigLine> lines;
  Result<GitOutput> got = run_git({"config", "-z", "--show-origin", "--get-regexp", regex});
  if (!got || got->status != 0) {
    return lines;
  }
  const std::string& out = got->out;
  std::size_t at = 0;
  while (at < out.size()) {
    const std::size_t origin_end = out.find('\0', at);
    if (origin_end == std::string::npos) {
      break;
    }
    const std::size_t entry_end = out.find('\0', origin_end + 1);
    if (entry_end == std::string::npos) {
      break;
    }
    ConfigLine line;
    line.origin = out.substr(at, origin_end - at);
    const std::string entry = out.substr(origin_end + 1, entry_end - origin_end - 1);
    const std::size_t newline = entry.find('\n');
    line.key = entry.substr(0, newline);
    line.value = newline == std::string::npos ? "" : entry.substr(newline + 1);
    lines.push_back(std::move(line));
    at = entry_end + 1;
  }
  return lines;
}

// Whether "<section>.<url>.<variable>" (or the unscoped key) applies to url.
bool applies(const std::string& key, const std::string& url) {
  const std::size_t first = key.find('.');
  const std::size_t last = key.rfind('.');
  if (first == last) {
    return true;
  }
  Result<NormalizedUrl> target = normalize_url(url);
  Result<NormalizedUrl> pattern = normalize_url_pattern(key.substr(first + 1, last - first - 1));
  return target && pattern && match_url(*target, *pattern).has_value();
}

std::string variable_of(const std::string& key) { return key.substr(key.rfind('.') + 1); }

// user:password@ in a URL becomes <redacted>@.
std::string without_userinfo(const std::string& url) {
  const std::size_t scheme = url.find("://");
  const std::size_t start = scheme == std::string::npos ? 0 : scheme + 3;
  const std::size_t at = url.find('@', start);
  const std::size_t slash = url.find('/', start);
  if (at == std::string::npos || (slash != std::string::npos && slash < at)) {
    return url;
  }
  return url.substr(0, start) + traced_secret(url.substr(start, at - start)) + url.substr(at);
}

// What git runs for a helper value, as gitcredentials(7) says.
std::string helper_command(const std::string& value) {
  if (value.starts_with('!')) {
    return "the shell command " + value.substr(1);
  }
  if (value.starts_with('/')) {
    return access(value.substr(0, value.find(' ')).c_str(), X_OK) == 0 ? value
                                                                       : value + " (not found!)";
  }
  const std::string name = "git-credential-" + value.substr(0, value.find(' '));
  std::optional<std::string> found = find_git_program(name);
  return found ? *found : name + " (not found on PATH or in git --exec-path!)";
}

void line(std::string& out, std::string_view label, std::string_view text) {
  out.append(label).append(":");
  out.append(label.size() < 15 ? 16 - label.size() : 1, ' ');
  out.append(shown(text)).push_back('\n'); // may quote a server's answer or a setting
}

void helpers(std::string& out, const std::string& url) {
  std::vector<std::pair<std::string, std::string>> running; // value, origin
  for (const ConfigLine& entry : config_lines("^credential\\..*helper$")) {
    if (variable_of(entry.key) != "helper" || !applies(entry.key, url)) {
      continue;
    }
    if (entry.value.empty()) {
      running.clear(); // an empty value resets the list, as in git
    } else {
      running.emplace_back(entry.value, entry.origin + " " + entry.key);
    }
  }
  if (running.empty()) {
    line(out, "helpers", "none: git will prompt (run git credential-patrol configure)");
  }
  for (const auto& [value, origin] : running) {
    line(out, "helper", value + " -> " + helper_command(value) + "  (" + origin + ")");
  }
}

void settings(std::string& out, const Config& config, const std::string& url) {
  const std::vector<ConfigLine> lines = config_lines("^patrol\\.");
  for (const ConfigKey& key : config_keys()) {
    std::string text;
    for (const ConfigLine& entry : lines) {
      if (applies(entry.key, url) && iequals_ascii(variable_of(entry.key), key.name)) {
        text = entry.value + "  (" + entry.origin + " " + entry.key + ")";
      }
    }
    const char* env = std::getenv(std::string(key.env).c_str());
    if (env != nullptr && *env != '\0') {
      text = std::string(env) + "  (environment " + std::string(key.env) + ")";
    }
    if (const std::optional<std::string> refused = config.refusal(key.setting, url)) {
      text = "not used: " + *refused;
    } else if (key.secret) {
      text = config.get(key.setting, url) ? "set (not shown)" : "unset";
    } else if (text.empty()) {
      text = config.value(key.setting, url);
      text = (text.empty() ? "unset" : text) + "  (default)";
    }
    line(out, "patrol." + std::string(key.name), text);
  }
}

// Where the file store's unlocked key is and how long it has left; else where an unlock
// would keep it.
std::string unlock_state(const std::string& path) {
  namespace keyring = store::kernel_keyring;
  if (const std::optional<keyring::Kept> kept = keyring::locate(keyring::description_for(path))) {
    return "unlocked, in " + keyring::describe(kept->holder) +
           (kept->time_left == "perm" ? std::string(", kept until locked")
                                      : ", " + kept->time_left + " left");
  }
  return "locked; unlock keeps the key in " + keyring::describe(keyring::holder_here());
}

void stores(std::string& out, const Config& config, const std::string& url) {
  const std::string name = config.value(Setting::store, url);
  const store::ProbeResult probe = store::probe_secret_service();
  line(out, "secret service",
       probe.usable ? "reachable, with a default keyring" : "not usable: " + probe.reason);
  const long keyring = syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_USER_KEYRING, 0);
  line(out, "kernel keyring",
       keyring >= 0 ? "reachable (the file store's unlock can be kept)"
                    : "not reachable: unlock lasts one command");
  std::string chosen = name;
  std::string why = "patrol.store=" + name;
  if (name == "auto") {
    chosen = probe.usable ? "secretservice" : "file";
    why = probe.usable ? "patrol.store=auto and a Secret Service is usable"
                       : "patrol.store=auto and no Secret Service is usable";
  }
  line(out, "store", chosen + " (" + why + ")");
  if (chosen == "file") {
    const std::string path = config.value(Setting::filePath, url);
    line(out, "file store",
         (path.empty() ? store::default_file_path() : path) +
             (access((path.empty() ? store::default_file_path() : path).c_str(), F_OK) == 0
                  ? " (exists)"
                  : " (not created yet)"));
    line(out, "file store key", unlock_state(path.empty() ? store::default_file_path() : path));
  }
  if (store::env_has_tokens(store::process_environment())) {
    line(out, "environment", "CI or forge tokens are set: they answer before the store");
  }
}

void network(std::string& out, const Config& config, const std::string& url, bool probe) {
  Result<NormalizedUrl> parsed = normalize_url(url);
  std::string protocol = "https";
  std::string host;
  if (parsed && parsed->host_off != 0) {
    protocol = parsed->text.substr(0, parsed->scheme_len);
    host = parsed->text.substr(parsed->host_off, parsed->host_len);
    if (parsed->port_off != 0 && parsed->port_len != 0) {
      host += ':';
      host += parsed->text.substr(parsed->port_off, parsed->port_len);
    }
  }
  const forge::Forge forge = forge_for(config, url, protocol, host);
  line(out, "forge",
       forge.kind == forge::ForgeKind::none
           ? std::string("none recognised (set patrol.<url>.forge)")
           : std::string(to_string(forge.kind)) + ", API " + forge.api_url);
  const forge::HttpSettings http = http_settings(config, url, quick_timeouts);
  const char* git_ca = std::getenv("GIT_SSL_CAINFO");
  line(out, "CA",
       http.ca_file.empty()
           ? std::string("the system bundle")
           : http.ca_file + (git_ca != nullptr && *git_ca != '\0' ? " (GIT_SSL_CAINFO)"
                                                                  : " (http.sslCAInfo)"));
  if (!http.ca_path.empty()) {
    const char* git_ca_path = std::getenv("GIT_SSL_CAPATH");
    line(out, "CA folder",
         http.ca_path + (git_ca_path != nullptr && *git_ca_path != '\0' ? " (GIT_SSL_CAPATH)"
                                                                        : " (http.sslCAPath)"));
  }
  std::string proxy;
  if (http.proxy) {
    proxy = http.proxy->empty() ? "none (http.proxy is empty)"
                                : without_userinfo(*http.proxy) + " (http.proxy)";
  }
  for (const char* name : {"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"}) {
    const char* value = std::getenv(name);
    if (proxy.empty() && value != nullptr && *value != '\0') {
      proxy = without_userinfo(value) + " (" + name + ")";
    }
  }
  line(out, "proxy", proxy.empty() ? "none" : proxy);
  if (!probe) {
    return;
  }
  const forge::ForgeFacts* row = forge::facts(forge.kind);
  if (row == nullptr) {
    line(out, "probe", "skipped: no forge API to ask");
    return;
  }
  const std::string target = forge.api_url + std::string(row->health_path);
  std::unique_ptr<forge::HttpClient> client = forge::make_http_client(http);
  forge::HttpRequest request;
  request.url = target;
  Result<forge::HttpResponse> answer = [&] {
    const Waiting waiting("asking " + forge::url_authority(target));
    return client->send(request);
  }();
  line(out, "probe",
       answer ? "GET " + target + " answered HTTP " + std::to_string(answer->status)
              : "GET " + target + " failed: " + answer.error().message);
}

} // namespace

int run_diagnose(const Parsed& args) {
  const bool probe = args.has("--probe");
  std::string url = "https://example.com/";
  if (!args.operands.empty()) {
    if (Result<Credential> target = url_argument(*args.command, args.operands[0]); !target) {
      return failed(target.error());
    }
    url = url_with_scheme(args.operands[0]);
  }
  std::string out = "git-credential-patrol " PATROL_VERSION "\n";
  Result<GitOutput> version = run_git({"version"});
  line(out, "git",
       version && version->status == 0 ? version->out.substr(0, version->out.find('\n'))
                                       : std::string("not found on PATH"));
  line(out, "url", without_userinfo(url));
  line(out, "this program", find_git_program("git-credential-patrol").value_or("not on PATH"));
  helpers(out, url);
  Result<Config> config = Config::load();
  if (!config) {
    return failed(config.error());
  }
  settings(out, *config, url);
  stores(out, *config, url);
  network(out, *config, url, probe);
  std::fputs(out.c_str(), stdout);
  return 0;
}

} // namespace patrol::helper
