#include "forge/token_api.hpp"

#include <utility>

#include <nlohmann/json.hpp>

#include "common/civil_time.hpp"
#include "common/scope_list.hpp"
#include "common/text.hpp"

namespace patrol::forge {
namespace {

using nlohmann::json;

constexpr std::string_view gitlab_self_path = "/personal_access_tokens/self";

// GitLab's own words, matched as substrings: its messages carry prefixes like "400 Bad request - ".
constexpr std::string_view expired_reason = "Token is expired";
constexpr std::string_view revoked_reason = "Token was revoked";
constexpr std::string_view not_a_pat_reason = "requires token type to be a personal access token";
constexpr std::string_view already_revoked_reason = "Token already revoked";

std::string endpoint(std::string_view api_url, std::string_view path) {
  while (api_url.ends_with('/')) {
    api_url.remove_suffix(1);
  }
  std::string url(api_url);
  url += path;
  return url;
}

Secret bearer(const Secret& token) {
  std::string value = "Bearer ";
  value += token.view();
  return Secret(std::move(value));
}

// A body that is not JSON becomes a discarded value, never an exception.
json parse_body(const Secret& body) {
  const std::string_view text = body.view();
  return json::parse(text.begin(), text.end(), nullptr, false);
}

const json* member(const json& object, const char* key) {
  if (!object.is_object()) {
    return nullptr;
  }
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::string string_member(const json& object, const char* key) {
  const json* value = member(object, key);
  return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
}

bool bool_member(const json& object, const char* key, bool fallback) {
  const json* value = member(object, key);
  return value != nullptr && value->is_boolean() ? value->get<bool>() : fallback;
}

// Every text field GitLab puts a reason in: "message" for Grape errors, "error_description"
// for the OAuth-style ones.
std::string reason_of(const json& body) {
  return string_member(body, "message") + "\n" + string_member(body, "error_description");
}

bool mentions(std::string_view text, std::string_view phrase) {
  return text.find(phrase) != std::string_view::npos;
}

// A service message, bounded, from a body that carries no token.
std::string short_message(const json& body) {
  std::string text = string_member(body, "message");
  if (text.empty()) {
    text = string_member(body, "error_description");
  }
  return clipped(text, 200); // escaped where it is shown
}

// An error built from a server's answer, without the token that was sent to it.
template <class T> Result<T> scrubbed(Result<T> result, const Secret& token) {
  if (!result) {
    result.error().message = without_secret(std::move(result.error().message), token);
  }
  return result;
}

// Sends the request and reads its answer with parse; an error never carries the token.
template <class T>
Result<T> exchange(HttpClient& http, const HttpRequest& request,
                   Result<T> (*parse)(const HttpResponse&), const Secret& token) {
  Result<HttpResponse> response = http.send(request);
  if (!response) {
    return tl::unexpected(response.error());
  }
  return scrubbed(parse(*response), token);
}

Result<TokenInfo> unexpected_answer(std::string_view what, long status) {
  return fail(Errc::network, std::string(what) + " answered HTTP " + std::to_string(status) +
                                 ", which was not expected");
}

// The fields GitLab returns for a personal access token (self, and rotate's answer).
Result<TokenInfo> gitlab_token_fields(const json& body) {
  if (!body.is_object()) {
    return fail(Errc::network, "GitLab's token description is not a JSON object");
  }
  // GitLab always sends both, expires_at as null when the token never expires: an answer
  // without them describes something else, and must not read as a token that never expires.
  const json* scopes = member(body, "scopes");
  if (member(body, "expires_at") == nullptr || scopes == nullptr || !scopes->is_array()) {
    return fail(Errc::network, "the answer is not a GitLab token description (no expires_at "
                               "or scopes)");
  }
  TokenInfo info;
  if (const json* id = member(body, "id"); id != nullptr && id->is_number_integer()) {
    info.id = std::to_string(id->get<std::int64_t>());
  } else if (id != nullptr && id->is_string()) {
    info.id = id->get<std::string>();
  }
  info.name = string_member(body, "name");
  if (const json* user = member(body, "user_id"); user != nullptr && user->is_number_integer()) {
    info.user_id = std::to_string(user->get<std::int64_t>());
  }
  for (const json& scope : *scopes) {
    if (scope.is_string()) {
      info.scopes.push_back(scope.get<std::string>());
    }
  }
  if (const json* expires = member(body, "expires_at"); expires != nullptr && !expires->is_null()) {
    const std::optional<std::int64_t> day =
        expires->is_string() ? parse_date(expires->get<std::string>()) : std::nullopt;
    if (!day) {
      return fail(Errc::network, "GitLab's token expires_at is not a YYYY-MM-DD date");
    }
    info.expires_at = day;
  }
  // GitLab computes active as "neither revoked nor expired"; older versions lack "expired".
  if (bool_member(body, "revoked", false)) {
    info.state = TokenState::revoked;
  } else if (bool_member(body, "expired", false) || !bool_member(body, "active", true)) {
    info.state = TokenState::expired;
  }
  return info;
}

TokenState state_of_401(const json& body) {
  const std::string reason = reason_of(body);
  if (mentions(reason, expired_reason)) {
    return TokenState::expired;
  }
  if (mentions(reason, revoked_reason)) {
    return TokenState::revoked;
  }
  return TokenState::unknown;
}

std::string rejected_401(TokenState state) {
  switch (state) {
  case TokenState::expired:
    return "GitLab refused the token: it has expired; create a new personal access token";
  case TokenState::revoked:
    return "GitLab refused the token: it was revoked; create a new personal access token";
  default:
    return "GitLab does not know this token (401 Unauthorized); check the token or create a "
           "new one";
  }
}

} // namespace

Result<TokenInfo> parse_gitlab_token_self(const HttpResponse& response) {
  const json body = parse_body(response.body);
  switch (response.status) {
  case 200:
    return gitlab_token_fields(body);
  case 401: {
    TokenInfo info;
    info.state = state_of_401(body);
    return info;
  }
  case 400:
    if (mentions(reason_of(body), not_a_pat_reason)) {
      TokenInfo info;
      info.state = TokenState::not_a_pat;
      return info;
    }
    return fail(Errc::network,
                "GitLab rejected the token lookup (HTTP 400): " + short_message(body));
  default:
    return unexpected_answer("GitLab's personal_access_tokens/self", response.status);
  }
}

bool answers_as_gitlab(const HttpResponse& response) {
  if (response.header("X-Gitlab-Meta")) {
    return true;
  }
  const json body = parse_body(response.body);
  switch (response.status) {
  case 200: {
    const json* scopes = member(body, "scopes");
    return body.is_object() && body.contains("id") && scopes != nullptr && scopes->is_array();
  }
  case 401:
    return string_member(body, "message") == "401 Unauthorized" ||
           string_member(body, "error") == "invalid_token";
  case 400:
    return string_member(body, "message").find("personal access token") != std::string::npos;
  default:
    return false;
  }
}

HttpRequest gitlab_token_self_request(std::string_view api_url, const Secret& token) {
  HttpRequest request;
  request.method = "GET";
  request.url = endpoint(api_url, gitlab_self_path);
  request.headers.emplace_back("Accept", "application/json");
  request.authorization = bearer(token);
  return request;
}

Result<TokenInfo> gitlab_token_self(HttpClient& http, std::string_view api_url,
                                    const Secret& token) {
  return exchange(http, gitlab_token_self_request(api_url, token), parse_gitlab_token_self, token);
}

Result<RotatedToken> parse_gitlab_rotate(const HttpResponse& response) {
  json body = parse_body(response.body);
  switch (response.status) {
  case 200:
  case 201: { // 200 is documented; 201 is taken too, since the old token is gone either way
    // The old token is already revoked here, so a lost answer means a lost token: say so.
    constexpr std::string_view lost =
        "GitLab rotated the token but its answer could not be read; the old token is revoked: "
        "create a new personal access token";
    json* token = body.is_object() && body.contains("token") ? &body["token"] : nullptr;
    if (token == nullptr || !token->is_string() || token->get_ref<std::string&>().empty()) {
      return fail(Errc::network, std::string(lost));
    }
    RotatedToken rotated;
    std::string& text = token->get_ref<std::string&>();
    rotated.token = Secret(text);
    wipe(text);
    Result<TokenInfo> info = gitlab_token_fields(body);
    if (!info) {
      return fail(Errc::network, std::string(lost));
    }
    rotated.info = std::move(*info);
    return rotated;
  }
  case 400:
    if (mentions(reason_of(body), already_revoked_reason)) {
      return fail(Errc::invalid_input,
                  "GitLab refused to rotate: the token was already revoked, so GitLab has now "
                  "revoked every token rotated from it; create a new personal access token");
    }
    return fail(Errc::invalid_input,
                "GitLab refused to rotate the token (HTTP 400): " + short_message(body));
  case 401:
    return fail(Errc::invalid_input, rejected_401(state_of_401(body)));
  case 403:
    return fail(Errc::unsupported, "GitLab refused to rotate the token (403 Forbidden): the "
                                   "token lacks the api or self_rotate scope");
  case 405:
    return fail(Errc::unsupported, "GitLab refused to rotate the token (405): it is not a "
                                   "personal access token");
  default:
    return fail(Errc::network, "GitLab's personal_access_tokens/self/rotate answered HTTP " +
                                   std::to_string(response.status) + ", which was not expected");
  }
}

Result<RotatedToken> gitlab_rotate_self(HttpClient& http, std::string_view api_url,
                                        const Secret& token,
                                        std::optional<std::string> expires_at) {
  HttpRequest request;
  request.method = "POST";
  request.url = endpoint(api_url, std::string(gitlab_self_path) + "/rotate");
  request.headers.emplace_back("Accept", "application/json");
  request.authorization = bearer(token);
  request.content_type = "application/x-www-form-urlencoded";
  if (expires_at) {
    request.body = Secret("expires_at=" + form_encode(*expires_at));
  }
  return exchange(http, request, parse_gitlab_rotate, token);
}

Result<TokenInfo> parse_github_user(const HttpResponse& response) {
  switch (response.status) {
  case 200: {
    // A 200 without a user (a portal, a proxy page) must not read as "never expires".
    const json body = parse_body(response.body);
    if (string_member(body, "login").empty()) {
      return fail(Errc::network, "GitHub's /user answer is not a user description");
    }
    TokenInfo info;
    info.user = string_member(body, "login");
    if (const json* id = member(body, "id"); id != nullptr && id->is_number_integer()) {
      info.user_id = std::to_string(id->get<std::int64_t>());
    }
    if (const std::optional<std::string> expiry =
            response.header("GitHub-Authentication-Token-Expiration")) {
      info.expires_at = parse_timestamp(*expiry);
      if (!info.expires_at) {
        return fail(Errc::network, "GitHub's GitHub-Authentication-Token-Expiration header is "
                                   "not a date: " +
                                       *expiry);
      }
    }
    if (const std::optional<std::string> scopes = response.header("X-OAuth-Scopes")) {
      info.scopes = split_scopes(*scopes);
    }
    return info;
  }
  case 401: {
    TokenInfo info;
    info.state = TokenState::unknown;
    return info;
  }
  default:
    return unexpected_answer("GitHub's /user", response.status);
  }
}

bool answers_as_github(const HttpResponse& response) {
  return response.header("X-GitHub-Request-Id") || response.header("X-GitHub-Media-Type");
}

HttpRequest github_user_request(std::string_view api_url, const Secret& token) {
  HttpRequest request;
  request.method = "GET";
  request.url = endpoint(api_url, "/user");
  request.headers.emplace_back("Accept", "application/vnd.github+json");
  request.authorization = bearer(token);
  return request;
}

Result<TokenInfo> github_token_info(HttpClient& http, std::string_view api_url,
                                    const Secret& token) {
  return exchange(http, github_user_request(api_url, token), parse_github_user, token);
}

} // namespace patrol::forge
