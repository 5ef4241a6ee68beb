#pragma once
// What the forges say about a token: GitLab's personal_access_tokens/self (and its
// rotation) and GitHub's token headers. Pure parsers over HttpResponse, plus the calls
// that send through HttpClient.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "common/secret.hpp"
#include "forge/http.hpp"

namespace patrol::forge {

enum class TokenState {
  active,
  expired,   // the forge says the token has expired
  revoked,   // the forge says the token was revoked
  unknown,   // the forge does not know the token (401 without a reason)
  not_a_pat, // an OAuth token where a personal access token is needed
};

struct TokenInfo {
  TokenState state = TokenState::active;
  std::optional<std::int64_t> expires_at; // Unix seconds; nullopt: never expires or unknown
  std::vector<std::string> scopes;
  std::string id;
  std::string name;
  std::string user;    // the account's name, where the forge gives it (GitHub's login)
  std::string user_id; // the account's number (GitLab's user_id, GitHub's id)
};

struct RotatedToken {
  TokenInfo info;
  Secret token;
};

// GitLab: GET <api>/personal_access_tokens/self. expires_at "YYYY-MM-DD" becomes 00:00 UTC
// of that day. A 401 or 400 answer is a TokenInfo with the matching state, not an error;
// errors are transport failures and answers that make no sense.
HttpRequest gitlab_token_self_request(std::string_view api_url, const Secret& token);
Result<TokenInfo> gitlab_token_self(HttpClient& http, std::string_view api_url,
                                    const Secret& token);
Result<TokenInfo> parse_gitlab_token_self(const HttpResponse& response);
// Pure: whether an answer of <origin>/api/v4/personal_access_tokens/self is GitLab's: its
// token description, or its own words for a refused token (forge/probe.hpp).
bool answers_as_gitlab(const HttpResponse& response);

// GitLab: POST <api>/personal_access_tokens/self/rotate [expires_at=YYYY-MM-DD].
// 401/400/403/405 are errors whose message says what happened and what to do.
Result<RotatedToken> gitlab_rotate_self(HttpClient& http, std::string_view api_url,
                                        const Secret& token, std::optional<std::string> expires_at);
Result<RotatedToken> parse_gitlab_rotate(const HttpResponse& response);

// GitHub: GET <api>/user; expiry from GitHub-Authentication-Token-Expiration (both formats),
// scopes from X-OAuth-Scopes. A 401 is TokenState::unknown ("Bad credentials").
HttpRequest github_user_request(std::string_view api_url, const Secret& token);
Result<TokenInfo> github_token_info(HttpClient& http, std::string_view api_url,
                                    const Secret& token);
Result<TokenInfo> parse_github_user(const HttpResponse& response);
// Pure: whether an answer of <origin>/api/v3/user is GitHub's: GitHub sends
// X-GitHub-Request-Id (and X-GitHub-Media-Type on its API) with every answer, 401s included.
bool answers_as_github(const HttpResponse& response);

} // namespace patrol::forge
