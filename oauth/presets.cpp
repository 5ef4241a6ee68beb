#include "oauth/presets.hpp"

#include <array>

#ifndef PATROL_DEFAULT_GITLAB_CLIENT_ID
#define PATROL_DEFAULT_GITLAB_CLIENT_ID ""
#endif
#ifndef PATROL_DEFAULT_GITHUB_CLIENT_ID
#define PATROL_DEFAULT_GITHUB_CLIENT_ID ""
#endif

namespace patrol::oauth {
namespace {

constexpr std::array presets{
    // GitLab 17.2+ (docs.gitlab.com/api/oauth2, "Device authorization grant flow"); revoke
    // is Doorkeeper's RFC 7009 endpoint, open to public clients. "oauth2" is GitLab's
    // documented git username for OAuth tokens.
    OAuthPreset{"gitlab", "/oauth/authorize_device", "/oauth/token", "/oauth/revoke",
                "read_repository write_repository", "oauth2", PATROL_DEFAULT_GITLAB_CLIENT_ID,
                "GitLab OAuth 2.0 API documentation"},
    // GitHub and GHES (docs.github.com, "Authorizing OAuth apps", device flow). GitHub
    // ignores the username when the password is an OAuth token; revocation needs the
    // client secret, which a public client does not have.
    OAuthPreset{"github", "/login/device/code", "/login/oauth/access_token", "", "repo",
                "oauth2", PATROL_DEFAULT_GITHUB_CLIENT_ID,
                "GitHub documentation, authorizing OAuth apps: device flow"},
};

} // namespace

std::span<const OAuthPreset> oauth_presets() { return presets; }

const OAuthPreset* oauth_preset(std::string_view forge) {
  for (const OAuthPreset& preset : presets) {
    if (preset.forge == forge) {
      return &preset;
    }
  }
  return nullptr;
}

std::string endpoint_on(std::string_view protocol, std::string_view host, std::string_view path) {
  std::string url(protocol);
  url += "://";
  url += host;
  url += path;
  return url;
}

} // namespace patrol::oauth
