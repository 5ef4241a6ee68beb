#include "helper/lifecycle/token_lookup.hpp"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <optional>
#include <utility>

#include <pwd.h>

#include "helper/lifecycle/token_memory.hpp"
#include "helper/messages.hpp"

namespace patrol::helper {

forge::Forge forge_for(const Config& config, std::string_view url, std::string_view protocol,
                       std::string_view host, std::span<const std::string> wwwauth) {
  const std::string configured = config.value(Setting::forge, url);
  const std::string configured_api = config.value(Setting::apiUrl, url);
  forge::Forge forge = forge::recognise(protocol, host, configured, configured_api, wwwauth);
  if (forge.kind != forge::ForgeKind::none || !configured.empty()) {
    return forge;
  }
  // What the host said it is when a token was stored for it (forge_probe.hpp): a file
  // read, never the network.
  const std::optional<forge::HostAnswer> answer = recall_host(protocol, host);
  if (answer && answer->what == forge::HostAnswer::found) {
    forge =
        forge::recognise(protocol, host, forge::to_string(answer->kind), configured_api, wwwauth);
  }
  return forge;
}

namespace {

std::string_view state_name(forge::TokenState state) {
  switch (state) {
  case forge::TokenState::active:
    return "active";
  case forge::TokenState::expired:
    return "expired";
  case forge::TokenState::revoked:
    return "revoked";
  case forge::TokenState::unknown:
    return "unknown to the forge";
  case forge::TokenState::not_a_pat:
    return "an OAuth token, not a personal access token";
  }
  return "in an unknown state";
}

// git_config_pathname's "~/" and "~user/".
std::string expand_home(const std::string& path) {
  if (!path.starts_with('~')) {
    return path;
  }
  const std::size_t slash = std::min(path.find('/'), path.size());
  const std::string user = path.substr(1, slash - 1);
  const char* home = nullptr;
  if (user.empty()) {
    home = std::getenv("HOME");
  } else if (const passwd* entry = getpwnam(user.c_str())) {
    home = entry->pw_dir;
  }
  return home == nullptr ? path : std::string(home) + path.substr(slash);
}

std::optional<std::string> http_setting(const Config& config, std::string_view key,
                                        std::string_view url) {
  Result<std::optional<std::string>> value = config.http(key, url);
  if (!value) {
    trace("http." + std::string(key) + " is not used: " + value.error().message);
    return std::nullopt;
  }
  return *value;
}

} // namespace

forge::HttpSettings http_settings(const Config& config, std::string_view url, Timeouts timeouts) {
  forge::HttpSettings settings;
  settings.connect_timeout = timeouts.connect;
  settings.total_timeout = timeouts.total;
  // As git: GIT_SSL_CAINFO over http.<url>.sslCAInfo.
  if (const char* ca = std::getenv("GIT_SSL_CAINFO"); ca != nullptr && *ca != '\0') {
    settings.ca_file = ca;
  } else if (std::optional<std::string> file = http_setting(config, "sslCAInfo", url);
             file && !file->empty()) {
    settings.ca_file = expand_home(*file);
  }
  // As git: GIT_SSL_CAPATH over http.<url>.sslCAPath.
  if (const char* ca = std::getenv("GIT_SSL_CAPATH"); ca != nullptr && *ca != '\0') {
    settings.ca_path = ca;
  } else if (std::optional<std::string> path = http_setting(config, "sslCAPath", url);
             path && !path->empty()) {
    settings.ca_path = expand_home(*path);
  }
  // http.<url>.proxy over the environment, which libcurl reads itself (https_proxy,
  // HTTPS_PROXY, all_proxy, no_proxy) when no proxy is set here; an empty one means no
  // proxy, as in git's http.c.
  settings.proxy = http_setting(config, "proxy", url);
  // http.sslVerify is not read on purpose: false lets git fetch from a test box, but a
  // token is never sent to a server whose certificate is not verified.
  return settings;
}

Result<forge::TokenInfo> look_up(const forge::Forge& forge, const Secret& token,
                                 const forge::HttpSettings& settings) {
  const forge::ForgeFacts* row = forge::facts(forge.kind);
  if (row == nullptr || forge.api_url.empty()) {
    return fail(Errc::unsupported, "no forge API is known for this host");
  }
  std::unique_ptr<forge::HttpClient> http = forge::make_http_client(settings);
  trace("forge lookup: asking " + std::string(to_string(forge.kind)) + " at " + forge.api_url +
        " about token " + traced_secret(token.view()));
  const TraceTimer timer("forge lookup at " + forge.api_url);
  Result<forge::TokenInfo> info = row->look_up(*http, forge.api_url, token);
  trace(info ? "forge lookup: the token is " + std::string(state_name(info->state))
             : "forge lookup failed: " + info.error().message);
  return info;
}

void learn(store::Record& record, const forge::TokenInfo& info, std::int64_t now) {
  record.checked_at = now;
  switch (info.state) {
  case forge::TokenState::active:
    break;
  case forge::TokenState::expired:
    record.state = store::State::expired;
    // GitLab names no date for an expired token: a date git gave that has not come yet
    // is wrong, and no date is better than a wrong one.
    if (info.expires_at) {
      record.expires_at = info.expires_at;
    } else if (record.expires_at && *record.expires_at > now) {
      record.expires_at.reset();
    }
    return;
  case forge::TokenState::revoked:
    record.state = store::State::revoked;
    return;
  case forge::TokenState::unknown:   // a password, or a token deleted: nothing is known
  case forge::TokenState::not_a_pat: // an OAuth token: its refresh tells
    return;
  }
  record.state = store::State::active;
  record.kind = store::Kind::pat;
  record.expires_at = info.expires_at;
  record.scopes = info.scopes;
  record.token_id = info.id;
  record.token_name = info.name;
}

std::int64_t now_seconds() { return static_cast<std::int64_t>(std::time(nullptr)); }

} // namespace patrol::helper
