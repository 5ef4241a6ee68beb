#include "helper/signin/oauth_setup.hpp"

#include <algorithm>

#include "common/ascii.hpp"
#include "helper/lifecycle/lifecycle.hpp"
#include "helper/lifecycle/token_lookup.hpp"
#include "helper/messages.hpp"
#include "oauth/presets.hpp"

namespace patrol::helper {
const oauth::OAuthPreset* oauth_preset_for(const Config& config, std::string_view url,
                                           std::string_view protocol, std::string_view host,
                                           std::span<const std::string> wwwauth) {
  const forge::Forge forge = forge_for(config, url, protocol, host, wwwauth);
  const forge::ForgeFacts* row = forge::facts(forge.kind);
  return row == nullptr ? nullptr : &row->oauth;
}

bool oauth_off(const Config& config, std::string_view url) {
  const std::string mode = to_ascii_lower(config.value(Setting::oauth, url));
  if (mode != "auto" && mode != "never") {
    say_warning("patrol.oauth: expected auto or never, not \"" + mode + "\"; using auto");
  }
  return mode == "never";
}

std::optional<OAuthSetup> oauth_setup(const Config& config, std::string_view url,
                                      std::string_view protocol, std::string_view host,
                                      std::span<const std::string> wwwauth) {
  if (oauth_off(config, url)) {
    return std::nullopt;
  }
  const oauth::OAuthPreset* preset = oauth_preset_for(config, url, protocol, host, wwwauth);
  OAuthSetup setup;
  setup.client.client_id = config.value(Setting::oauthClientId, url);
  if (setup.client.client_id.empty() && preset != nullptr) {
    setup.client.client_id = std::string(preset->default_client_id);
  }
  if (setup.client.client_id.empty()) {
    return std::nullopt;
  }
  setup.client.client_secret = Secret(config.value(Setting::oauthClientSecret, url));
  const auto from = [&](Setting key, std::string_view path) {
    if (std::optional<std::string> configured = config.get(key, url)) {
      return *configured;
    }
    return preset != nullptr && !path.empty() ? oauth::endpoint_on(protocol, host, path)
                                              : std::string();
  };
  setup.client.endpoints.device_authorization =
      from(Setting::oauthDeviceAuthUrl, preset != nullptr ? preset->device_path : "");
  setup.client.endpoints.token =
      from(Setting::oauthTokenUrl, preset != nullptr ? preset->token_path : "");
  setup.client.endpoints.revocation =
      from(Setting::oauthRevocationUrl, preset != nullptr ? preset->revocation_path : "");
  if (std::optional<std::string> scopes = config.get(Setting::oauthScopes, url)) {
    setup.client.scopes = *scopes;
  } else if (preset != nullptr) {
    setup.client.scopes = std::string(preset->scopes);
  }
  setup.username = preset != nullptr ? std::string(preset->username) : std::string("oauth2");
  setup.discovery_base = std::string(protocol) + "://" + std::string(host);
  Result<bool> browser = parse_bool(config.value(Setting::oauthBrowser, url));
  setup.browser = browser && *browser;
  return setup;
}

Result<void> complete(OAuthSetup& setup, forge::HttpClient& http) {
  oauth::OAuthEndpoints& endpoints = setup.client.endpoints;
  if (!endpoints.device_authorization.empty() && !endpoints.token.empty()) {
    return {};
  }
  Result<oauth::OAuthEndpoints> found = oauth::discover(http, setup.discovery_base);
  if (!found) {
    return tl::unexpected(found.error());
  }
  if (endpoints.device_authorization.empty()) {
    endpoints.device_authorization = found->device_authorization;
  }
  if (endpoints.token.empty()) {
    endpoints.token = found->token;
  }
  if (endpoints.revocation.empty()) {
    endpoints.revocation = found->revocation;
  }
  return {};
}

} // namespace patrol::helper
