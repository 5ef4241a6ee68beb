#include "helper/token_lookup.hpp"

#include <cstdlib>
#include <ctime>
#include <memory>
#include <optional>
#include <utility>

namespace patrol::helper {

Forge forge_for(const Config& config, std::string_view url, std::string_view protocol,
                std::string_view host, std::span<const std::string> wwwauth) {
  const std::string configured = config.value("forge", url);
  const std::string configured_api = config.value("apiUrl", url);
  return recognise(protocol, host, configured, configured_api, wwwauth);
}

oauth::HttpSettings http_settings(const Config& /*config*/, std::string_view /*url*/,
                                  Timeouts timeouts) {
  oauth::HttpSettings settings;
  settings.connect_timeout = timeouts.connect;
  settings.total_timeout = timeouts.total;
  // git's own variable; a proxy comes from libcurl's environment (https_proxy, no_proxy).
  if (const char* ca = std::getenv("GIT_SSL_CAINFO"); ca != nullptr && *ca != '\0') {
    settings.ca_file = ca;
  }
  return settings;
}

Result<oauth::TokenInfo> look_up(const Forge& forge, const Secret& token,
                                 const oauth::HttpSettings& settings) {
  if (forge.kind == ForgeKind::none || forge.api_url.empty()) {
    return fail(Errc::unsupported, "no forge API is known for this host");
  }
  std::unique_ptr<oauth::HttpClient> http = oauth::make_http_client(settings);
  if (forge.kind == ForgeKind::gitlab) {
    return oauth::gitlab_token_self(*http, forge.api_url, token);
  }
  return oauth::github_token_info(*http, forge.api_url, token);
}

void learn(store::Record& record, const oauth::TokenInfo& info, std::int64_t now) {
  record.checked_at = now;
  if (info.state != oauth::TokenState::active) {
    return;
  }
  record.kind = store::Kind::pat;
  record.expires_at = info.expires_at;
  record.scopes = info.scopes;
  record.token_id = info.id;
  record.token_name = info.name;
}

std::int64_t now_seconds() { return static_cast<std::int64_t>(std::time(nullptr)); }

} // namespace patrol::helper
