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
                "GitLab OAuth 2.0 API documentation",
                // docs.gitlab.com/integration/oauth_provider: user-owned applications under
                // User settings > Applications, instance-wide ones in the Admin area. The
                // form insists on a redirect URI, which the device grant never visits.
                "/-/user_settings/applications", "/admin/applications",
                "Name: git-credential-patrol\n"
                "Redirect URI: http://127.0.0.1/ (required by the form, never visited)\n"
                "Confidential: unticked (a program on your machine keeps no secret)\n"
                "Scopes: read_repository, write_repository",
                false},
    // GitHub and GHES (docs.github.com, "Authorizing OAuth apps", device flow). GitHub
    // ignores the username when the password is an OAuth token; revocation needs the
    // client secret, which a public client does not have.
    OAuthPreset{"github", "/login/device/code", "/login/oauth/access_token", "", "repo",
                "oauth2", PATROL_DEFAULT_GITHUB_CLIENT_ID,
                "GitHub documentation, authorizing OAuth apps: device flow",
                // Settings > Developer settings > OAuth Apps > New OAuth App. Scopes are asked
                // for at sign-in, not registered. Refreshing expiring user tokens needs the
                // client secret ("Refreshing user access tokens"); for an app that runs on
                // people's machines that secret is not confidential.
                "/settings/applications/new", "",
                "Application name: git-credential-patrol\n"
                "Homepage URL: any page of yours (required by the form)\n"
                "Authorization callback URL: http://127.0.0.1/ (required, never visited)\n"
                "Enable Device Flow: ticked",
                true},
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
