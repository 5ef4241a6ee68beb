#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "forge/probe.hpp"
#include "support/scripted_http.hpp"

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

namespace {

std::vector<std::string> notes;
void keep_note(std::string_view note) { notes.emplace_back(note); }

std::vector<std::string> urls(const patrol::test::ScriptedHttp& http) {
  std::vector<std::string> out;
  for (const HttpRequest& request : http.sent) {
    out.push_back(request.url);
  }
  return out;
}

} // namespace

TEST_CASE("probe_forge: the rows in table order, the first that answers as its kind",
          "[forge_probe]") {
  const Secret token(std::string("glpat-probe"));
  const std::vector<std::string> both{"https://h:8443/api/v4/personal_access_tokens/self",
                                      "https://h:8443/api/v3/user"};
  notes.clear();
  patrol::test::ScriptedHttp gitlab({patrol::test::answer(
      200, R"({"id":4,"name":"t","scopes":["api"],"expires_at":"2030-01-02","active":true})")});
  const ProbeResult found = probe_forge("https", "h:8443", token, gitlab, keep_note);
  CHECK(found.answer == HostAnswer{HostAnswer::found, ForgeKind::gitlab});
  CHECK(urls(gitlab) == std::vector<std::string>{both[0]});
  REQUIRE(found.info);
  CHECK(found.info->name == "t");
  CHECK(notes ==
        std::vector<std::string>{"forge detection: asking https://h:8443 whether it is a GitLab"});

  patrol::test::ScriptedHttp github({patrol::test::answer(404, "<html>no</html>"),
                                     patrol::test::answer(401, R"({"message":"Bad credentials"})",
                                                          {{"X-GitHub-Request-Id", "C0DE:1"}})});
  const ProbeResult enterprise = probe_forge("https", "h:8443", token, github, keep_note);
  CHECK(enterprise.answer == HostAnswer{HostAnswer::found, ForgeKind::github});
  CHECK(urls(github) == both);
  CHECK(enterprise.info);

  patrol::test::ScriptedHttp nobody(patrol::test::answer(404, "<html>no</html>"));
  notes.clear();
  CHECK(probe_forge("https", "h:8443", token, nobody, keep_note).answer ==
        HostAnswer{HostAnswer::neither});
  CHECK(urls(nobody) == both);
  CHECK(notes.back() == "forge detection: https://h:8443 answered as neither");

  patrol::test::ScriptedHttp mute(
      {patrol::test::answer(404, ""), patrol::fail(patrol::Errc::network, "timed out")});
  const ProbeResult silent = probe_forge("https", "h:8443", token, mute, keep_note);
  CHECK(silent.answer == HostAnswer{HostAnswer::silent});
  CHECK(silent.failure == "timed out");
  CHECK(urls(mute) == both);
}

TEST_CASE("host answers: remembered as the kind's name, neither or silent", "[forge_probe]") {
  const std::vector<std::pair<HostAnswer, std::string_view>> words{
      {{HostAnswer::found, ForgeKind::gitlab}, "gitlab"},
      {{HostAnswer::found, ForgeKind::github}, "github"},
      {{HostAnswer::neither}, "neither"},
      {{HostAnswer::silent}, "silent"},
  };
  for (const auto& [answer, word] : words) {
    CHECK(to_string(answer) == word);
    CHECK(host_answer_from_string(word) == answer);
  }
  CHECK_FALSE(host_answer_from_string("none"));
  CHECK_FALSE(host_answer_from_string("GitLab"));
  CHECK_FALSE(host_answer_from_string(""));
  CHECK(neither_text() == "neither a GitLab nor a GitHub Enterprise");
  CHECK(probed_paths_text() == "/api/v4 and /api/v3");
}
