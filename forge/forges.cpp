#include "forge/forges.hpp"

#include <algorithm>
#include <array>

#include "forge/recognise.hpp"

#ifndef PATROL_DEFAULT_GITLAB_CLIENT_ID
#define PATROL_DEFAULT_GITLAB_CLIENT_ID ""
#endif
#ifndef PATROL_DEFAULT_GITHUB_CLIENT_ID
#define PATROL_DEFAULT_GITHUB_CLIENT_ID ""
#endif

namespace patrol::forge {
namespace {

// GitLab REST API v4: docs.gitlab.com/api/rest
constexpr std::array gitlab_hosts{KnownHost{"gitlab.com", "https://gitlab.com/api/v4"}};
// GitHub REST API; git over HTTPS on github.com, the API on api.github.com
constexpr std::array github_hosts{KnownHost{"github.com", "https://api.github.com"}};

constexpr std::array<std::string_view, 2> gitlab_push{"write_repository", "api"};
constexpr std::array<std::string_view, 2> gitlab_self_rotate{"api", "self_rotate"};
constexpr std::array<std::string_view, 1> github_push{"repo"};

constexpr std::array rows{
    ForgeFacts{
        .kind = ForgeKind::gitlab,
        .name = "gitlab",
        .title = "GitLab",
        .source = "GitLab REST API documentation",
        .known_hosts = gitlab_hosts,
        .host_prefix = "gitlab.",
        .realm = "realm=\"gitlab\"",
        .api_path = "/api/v4",
        .health_path = "/version",
        // GitLab ignores the username with a token; "oauth2" is the one it documents.
        .token_username = "oauth2",
        // GitLab 17.2+ (docs.gitlab.com/api/oauth2, "Device authorization grant flow");
        // revoke is Doorkeeper's RFC 7009 endpoint, open to public clients. "oauth2" is
        // GitLab's documented git username for OAuth tokens.
        .oauth = {"gitlab", "/oauth/authorize_device", "/oauth/token", "/oauth/revoke",
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
        .push_scopes = gitlab_push,
        .self_rotate_scopes = gitlab_self_rotate,
        .renewal_path = "/-/user_settings/personal_access_tokens",
        .renewal_prefill = true,
        .no_expiry = "token has no expiry",
        .no_expiry_unscoped = "",
        .probe = {"a GitLab", gitlab_token_self_request, answers_as_gitlab,
                  parse_gitlab_token_self},
        .look_up = gitlab_token_self,
        .rotate_self = gitlab_rotate_self,
    },
    ForgeFacts{
        .kind = ForgeKind::github,
        .name = "github",
        .title = "GitHub",
        .source = "GitHub REST API documentation",
        .known_hosts = github_hosts,
        .host_prefix = "",
        .realm = "",
        .api_path = "/api/v3", // GitHub Enterprise Server
        .health_path = "",     // the API base itself answers
        // What GitHub's own tools send with an installation or user token.
        .token_username = "x-access-token",
        // GitHub and GHES (docs.github.com, "Authorizing OAuth apps", device flow). GitHub
        // ignores the username when the password is an OAuth token; revocation needs the
        // client secret, which a public client does not have.
        .oauth = {"github", "/login/device/code", "/login/oauth/access_token", "", "repo", "oauth2",
                  PATROL_DEFAULT_GITHUB_CLIENT_ID,
                  "GitHub documentation, authorizing OAuth apps: device flow",
                  // Settings > Developer settings > OAuth Apps > New OAuth App. Scopes are
                  // asked for at sign-in, not registered. Refreshing expiring user tokens
                  // needs the client secret ("Refreshing user access tokens"); for an app
                  // that runs on people's machines that secret is not confidential.
                  "/settings/applications/new", "",
                  "Application name: git-credential-patrol\n"
                  "Homepage URL: any page of yours (required by the form)\n"
                  "Authorization callback URL: http://127.0.0.1/ (required, never visited)\n"
                  "Enable Device Flow: ticked",
                  true},
        .push_scopes = github_push,
        .self_rotate_scopes = {},
        .renewal_path = "/settings/tokens",
        .renewal_prefill = false,
        // Classic tokens carry X-OAuth-Scopes; fine-grained ones do not.
        .no_expiry = "classic token has no expiry",
        .no_expiry_unscoped = "gave no expiry",
        .probe = {"a GitHub Enterprise", github_user_request, answers_as_github, parse_github_user},
        .look_up = github_token_info,
        .rotate_self = nullptr,
    },
};

bool holds_one_of(std::span<const std::string> scopes, std::span<const std::string_view> wanted) {
  return std::any_of(wanted.begin(), wanted.end(), [&](std::string_view scope) {
    return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
  });
}

} // namespace

std::span<const ForgeFacts> forges() { return rows; }

const ForgeFacts* facts(ForgeKind kind) {
  const auto* row =
      std::find_if(rows.begin(), rows.end(), [&](const ForgeFacts& r) { return r.kind == kind; });
  return row == rows.end() ? nullptr : &*row;
}

const ForgeFacts* facts(std::string_view name) {
  const auto* row =
      std::find_if(rows.begin(), rows.end(), [&](const ForgeFacts& r) { return r.name == name; });
  return row == rows.end() ? nullptr : &*row;
}

std::string_view to_string(ForgeKind kind) {
  const ForgeFacts* row = facts(kind);
  return row == nullptr ? "none" : row->name;
}

bool can_push(ForgeKind kind, std::span<const std::string> scopes) {
  const ForgeFacts* row = facts(kind);
  return scopes.empty() || row == nullptr || holds_one_of(scopes, row->push_scopes);
}

bool can_self_rotate(ForgeKind kind, std::span<const std::string> scopes) {
  const ForgeFacts* row = facts(kind);
  return row != nullptr && row->rotate_self != nullptr &&
         holds_one_of(scopes, row->self_rotate_scopes);
}

std::string push_scopes_text(ForgeKind kind) {
  const ForgeFacts* row = facts(kind);
  std::string out;
  for (const std::string_view scope :
       row == nullptr ? std::span<const std::string_view>() : row->push_scopes) {
    out += out.empty() ? "" : " or ";
    out += scope;
  }
  return out;
}

std::string renewal_link(ForgeKind kind, std::string_view protocol, std::string_view host,
                         std::string_view name, std::span<const std::string> scopes) {
  const ForgeFacts* row = facts(kind);
  if (row == nullptr) {
    return {};
  }
  // A known host's page is on its canonical https origin.
  const HostMatch known = known_host(host);
  std::string link = known.row == row ? "https://" + std::string(known.host->host)
                                      : std::string(protocol) + "://" + std::string(host);
  link += row->renewal_path;
  if (!row->renewal_prefill) {
    return link;
  }
  char separator = '?';
  if (!name.empty()) {
    link += separator + std::string("name=") + form_encode(name);
    separator = '&';
  }
  if (!scopes.empty()) {
    link += separator + std::string("scopes=");
    for (std::size_t i = 0; i < scopes.size(); ++i) {
      link += i == 0 ? "" : ",";
      link += form_encode(scopes[i]); // no "," + string: GCC 12 -Wrestrict, bug 105329
    }
  }
  return link;
}

} // namespace patrol::forge
