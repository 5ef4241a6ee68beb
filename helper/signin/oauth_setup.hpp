#pragma once
// Whether OAuth is configured for a URL, and how: patrol.<url>.oauth (auto or never), the
// client id (patrol.<url>.oauthClientId, else a packager's build-time default for a known
// forge), endpoints and scopes from configuration, else the forge's preset, else discovery
// at protocol://host.
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "forge/http.hpp"
#include "helper/git/config.hpp"
#include "oauth/oauth_client.hpp"
#include "oauth/presets.hpp"

namespace patrol::helper {

struct OAuthSetup {
  oauth::OAuthClient client;
  std::string username;       // what git sends with the token
  std::string discovery_base; // protocol://host, where discovery looks when endpoints are missing
  bool browser = false;       // patrol.<url>.oauthBrowser
};

// The forge's OAuth preset for url (by configuration, host or wwwauth realm), or nullptr.
const oauth::OAuthPreset* oauth_preset_for(const Config& config, std::string_view url,
                                           std::string_view protocol, std::string_view host,
                                           std::span<const std::string> wwwauth = {});

// patrol.<url>.oauth is never.
bool oauth_off(const Config& config, std::string_view url);

// nullopt when OAuth is off for url (patrol.oauth never) or no client id is known. Pure
// over the configuration: endpoints may still be empty (see complete()).
std::optional<OAuthSetup> oauth_setup(const Config& config, std::string_view url,
                                      std::string_view protocol, std::string_view host,
                                      std::span<const std::string> wwwauth = {});

// Fills missing endpoints by discovery; nothing is sent when they are all known.
Result<void> complete(OAuthSetup& setup, forge::HttpClient& http);

} // namespace patrol::helper
