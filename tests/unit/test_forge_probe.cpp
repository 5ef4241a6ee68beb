#include <catch2/catch.hpp>

#include <string>

#include "forge/probe.hpp"

using namespace patrol;
using namespace patrol::forge;

namespace {

HttpResponse answer(long status, std::string body,
                    std::vector<std::pair<std::string, std::string>> headers = {}) {
  HttpResponse out;
  out.status = status;
  out.body = Secret(std::move(body));
  out.headers = std::move(headers);
  return out;
}

} // namespace

TEST_CASE("answers_as_gitlab: a token description or GitLab's own refusals", "[forge_probe]") {
  CHECK(
      answers_as_gitlab(answer(200, R"({"id":4,"name":"t","scopes":["api"],"expires_at":null})")));
  CHECK(answers_as_gitlab(answer(401, R"({"message":"401 Unauthorized"})")));
  CHECK(answers_as_gitlab(
      answer(401, R"({"error":"invalid_token","error_description":"Token is expired."})")));
  CHECK(answers_as_gitlab(answer(
      400,
      R"({"message":"400 Bad request - This endpoint requires token type to be a personal access token"})")));
  CHECK(answers_as_gitlab(answer(404, "", {{"X-Gitlab-Meta", "{}"}})));
  // Anything else is not a GitLab: a page, another API's object, a bare 401.
  CHECK_FALSE(answers_as_gitlab(answer(200, "<html>welcome</html>")));
  CHECK_FALSE(answers_as_gitlab(answer(200, R"({"id":4,"name":"t"})")));
  CHECK_FALSE(answers_as_gitlab(answer(401, "Unauthorized")));
  CHECK_FALSE(answers_as_gitlab(answer(404, R"({"message":"Not Found"})")));
}

TEST_CASE("answers_as_github: GitHub's headers, whatever the status", "[forge_probe]") {
  CHECK(answers_as_github(
      answer(401, R"({"message":"Bad credentials"})", {{"x-github-request-id", "C0DE:1"}})));
  CHECK(answers_as_github(
      answer(200, R"({"login":"octocat"})", {{"X-GitHub-Media-Type", "github.v3; format=json"}})));
  CHECK_FALSE(answers_as_github(answer(200, R"({"login":"octocat"})")));
  CHECK_FALSE(
      answers_as_github(answer(401, R"({"message":"Bad credentials"})", {{"X-Request-Id", "1"}})));
}
