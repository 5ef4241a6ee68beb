#pragma once
// The OAuth device-flow presets of the forges, as one table: endpoints relative to the
// forge's own host (gitlab.com and self-managed GitLab share them, as do github.com and
// GitHub Enterprise Server), scopes and the username git sends with the token. Client ids
// are not in the table: they come from configuration or a packager's build option.
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace patrol::oauth {

struct OAuthPreset {
  std::string_view forge;             // "gitlab" or "github", as forge/recognise.hpp names them
  std::string_view device_path;       // RFC 8628 device authorization endpoint
  std::string_view token_path;        // token endpoint (device_code and refresh_token grants)
  std::string_view revocation_path;   // RFC 7009; empty when a public client cannot revoke
  std::string_view scopes;            // space-separated
  std::string_view username;          // what git sends as the username with the token
  std::string_view default_client_id; // the packager's build-time default; usually empty
  std::string_view source;            // where the facts come from
  // Registering an application, for someone who has no client id yet:
  std::string_view applications_path;       // the user's own page for a new application
  std::string_view admin_applications_path; // the instance's, for an admin; empty: none
  std::string_view registration;            // what to enter there, "label: value" lines
  bool refresh_needs_secret;                // the refresh grant asks for the client secret
};

std::span<const OAuthPreset> oauth_presets();
const OAuthPreset* oauth_preset(std::string_view forge);

// protocol://host + path, for a preset's endpoints on one host.
std::string endpoint_on(std::string_view protocol, std::string_view host, std::string_view path);

} // namespace patrol::oauth
