#include <catch2/catch.hpp>

#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/civil_time.hpp"
#include "forge/token_api.hpp"
#include "support/scripted_http.hpp"

using patrol::Errc;
using patrol::Result;
using patrol::Secret;
using patrol::forge::HttpClient;
using patrol::forge::HttpRequest;
using patrol::forge::HttpResponse;
using patrol::forge::TokenInfo;
using patrol::forge::TokenState;
using patrol::test::answer;
using patrol::test::ScriptedHttp;

namespace {

const char* const self_200 =
    R"({"id": 4, "name": "Test Token", "revoked": false, "created_at": "2020-07-23T14:31:47.729Z",
 "description": "Test Token description", "scopes": ["api"], "user_id": 3,
 "last_used_at": "2021-10-06T17:58:37.550Z", "last_used_ips": ["192.0.2.10"],
 "active": true, "expires_at": null})";

const char* const rotate_200 =
    R"({"id": 42, "name": "Rotated Token", "revoked": false, "created_at": "2023-08-01T15:00:00.000Z",
 "description": "Test Token description", "scopes": ["api"], "user_id": 1337,
 "last_used_at": null, "active": true, "expires_at": "2023-08-15", "token": "s3cr3t"})";

const char* const expired_401 =
    R"({"error":"invalid_token","error_description":"Token is expired. You can either do re-authorization or token refresh."})";
const char* const revoked_401 =
    R"({"error":"invalid_token","error_description":"Token was revoked. You have to re-authorize from the user."})";
const char* const unknown_401 = R"({"message":"401 Unauthorized"})";
const char* const not_a_pat_400 =
    R"({"message":"400 Bad request - This endpoint requires token type to be a personal access token"})";

} // namespace

TEST_CASE("GitLab's personal_access_tokens/self answers become token states",
          "[oauth][token_api]") {
  struct Row {
    const char* what;
    long status;
    std::string body;
    TokenState state;
  };
  const Row rows[] = {
      {"the documented 200", 200, self_200, TokenState::active},
      {"revoked flag", 200,
       R"({"id":1,"name":"n","revoked":true,"active":false,"scopes":[],"expires_at":null})",
       TokenState::revoked},
      {"inactive, not revoked: expired (15.x-17.x lack 'expired')", 200,
       R"({"id":1,"name":"n","revoked":false,"active":false,"scopes":[],"expires_at":"2020-01-01"})",
       TokenState::expired},
      {"expired flag (newest GitLab)", 200,
       R"({"id":1,"name":"n","revoked":false,"expired":true,"active":false,"scopes":[],"expires_at":"2020-01-01"})",
       TokenState::expired},
      {"401 expired", 401, expired_401, TokenState::expired},
      {"401 revoked", 401, revoked_401, TokenState::revoked},
      {"401 unknown", 401, unknown_401, TokenState::unknown},
      {"401 without JSON", 401, "HTTP Basic: Access denied.", TokenState::unknown},
      {"400 OAuth token", 400, not_a_pat_400, TokenState::not_a_pat},
  };
  for (const Row& row : rows) {
    INFO(row.what);
    const Result<TokenInfo> info =
        patrol::forge::parse_gitlab_token_self(answer(row.status, row.body));
    REQUIRE(info.has_value());
    CHECK(info->state == row.state);
  }
}

TEST_CASE("GitLab's 200 fills id, name, scopes and expiry at 00:00 UTC", "[oauth][token_api]") {
  const Result<TokenInfo> never = patrol::forge::parse_gitlab_token_self(answer(200, self_200));
  REQUIRE(never.has_value());
  CHECK(never->id == "4");
  CHECK(never->name == "Test Token");
  CHECK(never->scopes == std::vector<std::string>{"api"});
  CHECK_FALSE(never->expires_at.has_value());

  const Result<TokenInfo> dated = patrol::forge::parse_gitlab_token_self(
      answer(200, R"({"id":7,"name":"ci","revoked":false,"active":true,"expires_at":"2024-03-10",)"
                  R"("scopes":["read_repository","write_repository"]})"));
  REQUIRE(dated.has_value());
  CHECK(dated->expires_at == std::optional<std::int64_t>(1710028800)); // 2024-03-10T00:00:00Z
  CHECK(dated->scopes == std::vector<std::string>{"read_repository", "write_repository"});
}

TEST_CASE("GitLab answers that make no sense are errors", "[oauth][token_api]") {
  struct Row {
    const char* what;
    long status;
    const char* body;
  };
  const Row rows[] = {
      {"200 not JSON", 200, "<html>sign in</html>"},
      {"200 JSON array", 200, "[1,2]"},
      {"200 bad date", 200, R"({"id":1,"active":true,"scopes":[],"expires_at":"10/03/2024"})"},
      // Another kind of server's 200 (a GitHub user): without expires_at it would read as
      // a token that never expires, checked and fine.
      {"200 without expires_at", 200, R"({"id":5,"login":"octocat","scopes":["api"]})"},
      {"200 without scopes", 200, R"({"id":5,"active":true,"expires_at":null})"},
      {"other 400", 400, R"({"message":"400 Bad request - something else"})"},
      {"403", 403, R"({"message":"403 Forbidden"})"},
      {"404 (GitLab before 15.5)", 404, R"({"error":"404 Not Found"})"},
      {"500", 500, "oops"},
      {"302 to a sign-in page", 302, ""},
  };
  for (const Row& row : rows) {
    INFO(row.what);
    const Result<TokenInfo> info =
        patrol::forge::parse_gitlab_token_self(answer(row.status, row.body));
    REQUIRE_FALSE(info.has_value());
    CHECK(info.error().code == Errc::network);
  }
  const Result<TokenInfo> e500 = patrol::forge::parse_gitlab_token_self(answer(500, "x"));
  CHECK(e500.error().message.find("500") != std::string::npos);
}

TEST_CASE("gitlab_token_self sends a Bearer GET to <api>/personal_access_tokens/self",
          "[oauth][token_api]") {
  ScriptedHttp http(answer(200, self_200));
  const Result<TokenInfo> info = patrol::forge::gitlab_token_self(
      http, "https://gitlab.example.com/api/v4/", Secret("glpat-abc"));
  REQUIRE(info.has_value());
  REQUIRE(http.sent.size() == 1);
  CHECK(http.sent[0].method == "GET");
  CHECK(http.sent[0].url == "https://gitlab.example.com/api/v4/personal_access_tokens/self");
  CHECK(http.sent[0].authorization.view() == "Bearer glpat-abc");
  CHECK(http.sent[0].body.empty());
  for (const auto& [name, value] : http.sent[0].headers) {
    CHECK(value.find("glpat-abc") == std::string::npos);
  }
}

TEST_CASE("GitLab's rotation answer gives the new token and its description",
          "[oauth][token_api]") {
  const Result<patrol::forge::RotatedToken> rotated =
      patrol::forge::parse_gitlab_rotate(answer(200, rotate_200));
  REQUIRE(rotated.has_value());
  CHECK(rotated->token.view() == "s3cr3t");
  CHECK(rotated->info.state == TokenState::active);
  CHECK(rotated->info.id == "42");
  CHECK(rotated->info.name == "Rotated Token");
  CHECK(rotated->info.scopes == std::vector<std::string>{"api"});
  CHECK(rotated->info.expires_at == patrol::parse_date("2023-08-15"));

  const Result<patrol::forge::RotatedToken> created =
      patrol::forge::parse_gitlab_rotate(answer(201, rotate_200));
  REQUIRE(created.has_value());
  CHECK(created->token.view() == "s3cr3t");
}

TEST_CASE("GitLab's rotation refusals say what happened and what to do", "[oauth][token_api]") {
  struct Row {
    const char* what;
    long status;
    const char* body;
    Errc code;
    const char* says;
  };
  const Row rows[] = {
      {"already revoked", 400, R"({"message":"400 Bad request - Token already revoked"})",
       Errc::invalid_input, "revoked every token rotated from it"},
      {"bad expiry", 400,
       R"({"message":"400 Bad request - Expiration date must be in the future"})",
       Errc::invalid_input, "Expiration date must be in the future"},
      {"401 expired", 401, expired_401, Errc::invalid_input, "it has expired"},
      {"401 revoked", 401, revoked_401, Errc::invalid_input, "it was revoked"},
      {"401 unknown", 401, unknown_401, Errc::invalid_input, "does not know this token"},
      {"403", 403, R"({"message":"403 Forbidden"})", Errc::unsupported,
       "lacks the api or self_rotate scope"},
      {"405", 405, R"({"message":"405 Method Not Allowed"})", Errc::unsupported,
       "not a personal access token"},
      {"404 (GitLab before 16.10)", 404, R"({"error":"404 Not Found"})", Errc::network, "404"},
      {"200 without token", 200, self_200, Errc::network, "the old token is revoked"},
      {"200 not JSON", 200, "<html>", Errc::network, "the old token is revoked"},
  };
  for (const Row& row : rows) {
    INFO(row.what);
    const Result<patrol::forge::RotatedToken> rotated =
        patrol::forge::parse_gitlab_rotate(answer(row.status, row.body));
    REQUIRE_FALSE(rotated.has_value());
    CHECK(rotated.error().code == row.code);
    CHECK_THAT(rotated.error().message, Catch::Contains(row.says));
  }
}

TEST_CASE("A rotation answer that cannot be used never leaks the token", "[oauth][token_api]") {
  const Result<patrol::forge::RotatedToken> rotated = patrol::forge::parse_gitlab_rotate(
      answer(200, R"({"id":42,"token":"s3cr3t-leak","expires_at":"not a date"})"));
  REQUIRE_FALSE(rotated.has_value());
  CHECK(rotated.error().message.find("s3cr3t-leak") == std::string::npos);
}

TEST_CASE("gitlab_rotate_self posts to self/rotate with an optional expires_at",
          "[oauth][token_api]") {
  ScriptedHttp http(answer(200, rotate_200));
  REQUIRE(patrol::forge::gitlab_rotate_self(http, "https://gl.example/api/v4", Secret("glpat-old"),
                                            std::nullopt));
  REQUIRE(patrol::forge::gitlab_rotate_self(http, "https://gl.example/api/v4", Secret("glpat-old"),
                                            std::string("2024-12-31")));
  REQUIRE(http.sent.size() == 2);
  for (const HttpRequest& request : http.sent) {
    CHECK(request.method == "POST");
    CHECK(request.url == "https://gl.example/api/v4/personal_access_tokens/self/rotate");
    CHECK(request.authorization.view() == "Bearer glpat-old");
  }
  CHECK(http.sent[0].body.empty());
  CHECK(http.sent[1].body.view() == "expires_at=2024-12-31");
  CHECK(http.sent[1].content_type == "application/x-www-form-urlencoded");
}

TEST_CASE("GitHub's /user headers give expiry and scopes", "[oauth][token_api]") {
  const std::string user = R"({"login":"octocat","id":1})";
  struct Row {
    const char* what;
    std::vector<std::pair<std::string, std::string>> headers;
    std::optional<std::int64_t> expires_at;
    std::vector<std::string> scopes;
  };
  const Row rows[] = {
      {"UTC format",
       {{"github-authentication-token-expiration", "2023-01-31 23:00:00 UTC"},
        {"x-oauth-scopes", "repo, user"}},
       1675206000,
       {"repo", "user"}},
      {"offset format",
       {{"GitHub-Authentication-Token-Expiration", "2023-04-26 23:23:18 +0200"},
        {"X-OAuth-Scopes", "repo"}},
       1682544198,
       {"repo"}},
      {"never expires, no scopes (fine-grained)", {}, std::nullopt, {}},
      {"empty scope list", {{"X-OAuth-Scopes", ""}}, std::nullopt, {}},
  };
  for (const Row& row : rows) {
    INFO(row.what);
    const Result<TokenInfo> info = patrol::forge::parse_github_user(answer(200, user, row.headers));
    REQUIRE(info.has_value());
    CHECK(info->state == TokenState::active);
    CHECK(info->expires_at == row.expires_at);
    CHECK(info->scopes == row.scopes);
  }
}

TEST_CASE("GitHub's refusals and odd answers", "[oauth][token_api]") {
  const Result<TokenInfo> bad = patrol::forge::parse_github_user(answer(
      401, R"({"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"})"));
  REQUIRE(bad.has_value());
  CHECK(bad->state == TokenState::unknown);

  CHECK(patrol::forge::parse_github_user(answer(200, "<html>portal</html>")).error().code ==
        Errc::network);
  CHECK(patrol::forge::parse_github_user(
            answer(200, R"({"login":"o"})",
                   {{"GitHub-Authentication-Token-Expiration", "next tuesday"}}))
            .error()
            .code == Errc::network);
  const Result<TokenInfo> limited = patrol::forge::parse_github_user(answer(403, "{}"));
  REQUIRE_FALSE(limited.has_value());
  CHECK_THAT(limited.error().message, Catch::Contains("403"));
}

TEST_CASE("github_token_info sends a GET to <api>/user", "[oauth][token_api]") {
  ScriptedHttp http(answer(200, R"({"login":"octocat"})"));
  REQUIRE(patrol::forge::github_token_info(http, "https://ghe.example/api/v3", Secret("ghp_x")));
  REQUIRE(http.sent.size() == 1);
  CHECK(http.sent[0].url == "https://ghe.example/api/v3/user");
  CHECK(http.sent[0].authorization.view() == "Bearer ghp_x");
}

// Against tests/servers/{gitlab,github}.py over real HTTPS; tests/integration/test_token_api.py
// starts the servers, issues the tokens and runs this with PATROL_LIVE_* set.
namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

std::unique_ptr<HttpClient> live_client() {
  patrol::forge::HttpSettings settings;
  settings.ca_file = env("PATROL_LIVE_CA");
  return patrol::forge::make_http_client(settings);
}

} // namespace

TEST_CASE("live: GitLab test server", "[.][live]") {
  const std::string api = env("PATROL_LIVE_GITLAB_API");
  if (api.empty()) {
    WARN("PATROL_LIVE_GITLAB_API is not set");
    return;
  }
  const std::unique_ptr<HttpClient> http = live_client();
  const Secret active(env("PATROL_LIVE_GITLAB_TOKEN"));

  const Result<TokenInfo> self = patrol::forge::gitlab_token_self(*http, api, active);
  REQUIRE(self.has_value());
  CHECK(self->state == TokenState::active);
  CHECK(self->name == env("PATROL_LIVE_GITLAB_NAME"));
  CHECK(self->expires_at == patrol::parse_date(env("PATROL_LIVE_GITLAB_EXPIRES")));
  CHECK(self->scopes == std::vector<std::string>{"api", "write_repository"});

  struct Row {
    const char* variable;
    TokenState state;
  };
  for (const Row& row : {Row{"PATROL_LIVE_GITLAB_EXPIRED", TokenState::expired},
                         Row{"PATROL_LIVE_GITLAB_REVOKED", TokenState::revoked},
                         Row{"PATROL_LIVE_GITLAB_UNKNOWN", TokenState::unknown}}) {
    INFO(row.variable);
    const Result<TokenInfo> info =
        patrol::forge::gitlab_token_self(*http, api, Secret(env(row.variable)));
    REQUIRE(info.has_value());
    CHECK(info->state == row.state);
  }

  const Result<patrol::forge::RotatedToken> readonly = patrol::forge::gitlab_rotate_self(
      *http, api, Secret(env("PATROL_LIVE_GITLAB_READONLY")), std::nullopt);
  REQUIRE_FALSE(readonly.has_value());
  CHECK_THAT(readonly.error().message, Catch::Contains("self_rotate"));

  const Result<patrol::forge::RotatedToken> rotated =
      patrol::forge::gitlab_rotate_self(*http, api, active, std::string("2099-01-02"));
  REQUIRE(rotated.has_value());
  CHECK(rotated->info.name == env("PATROL_LIVE_GITLAB_NAME"));
  CHECK(rotated->info.expires_at == patrol::parse_date("2099-01-02"));
  CHECK_FALSE(rotated->token == active);
  CHECK(patrol::forge::gitlab_token_self(*http, api, active)->state == TokenState::revoked);
  CHECK(patrol::forge::gitlab_token_self(*http, api, rotated->token)->state == TokenState::active);

  const Result<patrol::forge::RotatedToken> reused =
      patrol::forge::gitlab_rotate_self(*http, api, active, std::nullopt);
  REQUIRE_FALSE(reused.has_value());
  CHECK_THAT(reused.error().message, Catch::Contains("already revoked"));
  CHECK(patrol::forge::gitlab_token_self(*http, api, rotated->token)->state == TokenState::revoked);
}

TEST_CASE("live: GitHub test server", "[.][live]") {
  const std::string api = env("PATROL_LIVE_GITHUB_API");
  if (api.empty()) {
    WARN("PATROL_LIVE_GITHUB_API is not set");
    return;
  }
  const std::unique_ptr<HttpClient> http = live_client();
  const Result<TokenInfo> info =
      patrol::forge::github_token_info(*http, api, Secret(env("PATROL_LIVE_GITHUB_TOKEN")));
  REQUIRE(info.has_value());
  CHECK(info->state == TokenState::active);
  CHECK(info->expires_at == patrol::parse_timestamp(env("PATROL_LIVE_GITHUB_EXPIRES")));
  CHECK(info->scopes == std::vector<std::string>{"repo", "user"});

  const Result<TokenInfo> bad =
      patrol::forge::github_token_info(*http, api, Secret("ghp_not_issued"));
  REQUIRE(bad.has_value());
  CHECK(bad->state == TokenState::unknown);
}

TEST_CASE("a server that echoes the token in its error never gets it printed",
          "[oauth][token_api][trust]") {
  const std::string echo = R"x({"message":"bad token glpat-echoed-secret (glpat-echoed-secret)"})x";
  ScriptedHttp lookup(answer(400, echo));
  const Result<TokenInfo> info = patrol::forge::gitlab_token_self(
      lookup, "https://gitlab.example.com/api/v4", Secret("glpat-echoed-secret"));
  REQUIRE_FALSE(info);
  CHECK(info.error().message.find("glpat-echoed-secret") == std::string::npos);
  CHECK(info.error().message.find("bad token ********") != std::string::npos);

  ScriptedHttp rotation(answer(400, echo));
  const auto rotated = patrol::forge::gitlab_rotate_self(
      rotation, "https://gitlab.example.com/api/v4", Secret("glpat-echoed-secret"), "2030-01-01");
  REQUIRE_FALSE(rotated);
  CHECK(rotated.error().message.find("glpat-echoed-secret") == std::string::npos);

  ScriptedHttp github(
      answer(200, R"({"login":"x"})", {{"GitHub-Authentication-Token-Expiration", "ghp_echoed"}}));
  const Result<TokenInfo> user =
      patrol::forge::github_token_info(github, "https://api.github.com", Secret("ghp_echoed"));
  REQUIRE_FALSE(user);
  CHECK(user.error().message.find("ghp_echoed") == std::string::npos);
}
