#include <catch2/catch.hpp>

#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "oauth/oauth_client.hpp"
#include "support/scripted_http.hpp"

using patrol::Errc;
using patrol::Result;
using patrol::Secret;
using patrol::forge::HttpClient;
using patrol::forge::HttpRequest;
using patrol::forge::HttpResponse;
using patrol::oauth::Millis;
using patrol::oauth::OAuthClient;
using patrol::oauth::Pacing;
using patrol::oauth::TokenError;
using patrol::oauth::Tokens;
using patrol::test::answer;
using patrol::test::ScriptedHttp;
using namespace std::chrono_literals;

namespace {

OAuthClient client() {
  return OAuthClient{"the-client",
                     "read_repository write_repository",
                     {"https://gitlab.example.com/oauth/authorize_device",
                      "https://gitlab.example.com/oauth/token",
                      "https://gitlab.example.com/oauth/revoke"},
                     Secret()};
}

// A clock that moves only when the driver sleeps.
struct FakeTime {
  Millis now{0};
  std::vector<Millis> sleeps;
  Pacing pacing() {
    return Pacing{[this] { return now; },
                  [this](Millis delay) {
                    sleeps.push_back(delay);
                    now += delay;
                  }};
  }
};

std::string accept_of(const HttpRequest& request) {
  for (const auto& [name, value] : request.headers) {
    if (name == "Accept") {
      return value;
    }
  }
  return {};
}

const char* device_answer =
    R"({"device_code":"DEV/CODE+1","user_code":"0A44L90H","verification_uri":"https://gitlab.example.com/oauth/device","expires_in":300,"interval":5})";

} // namespace

TEST_CASE("oauth client: the device flow from request to tokens", "[oauth][client]") {
  ScriptedHttp http(
      {answer(200, device_answer), answer(400, R"({"error":"authorization_pending"})"),
       answer(400, R"({"error":"slow_down"})"), patrol::fail(Errc::network, "Connection timed out"),
       answer(
           200,
           R"({"access_token":"at","refresh_token":"rt","token_type":"Bearer","expires_in":7200})")});
  auto authorization = patrol::oauth::request_device_code(http, client());
  REQUIRE(authorization);
  FakeTime time;
  auto tokens = patrol::oauth::poll_for_tokens(http, client(), *authorization, time.pacing());
  REQUIRE(tokens);
  CHECK(tokens->access_token.view() == "at");
  CHECK(time.sleeps == std::vector<Millis>{5000ms, 5000ms, 10000ms, 20000ms});

  REQUIRE(http.sent.size() == 5);
  CHECK(http.sent[0].method == "POST");
  CHECK(http.sent[0].url == "https://gitlab.example.com/oauth/authorize_device");
  CHECK(http.sent[0].body.view() == "client_id=the-client&scope=read_repository+write_repository");
  CHECK(http.sent[0].content_type == "application/x-www-form-urlencoded");
  CHECK(accept_of(http.sent[0]) == "application/json");
  CHECK(http.sent[1].url == "https://gitlab.example.com/oauth/token");
  CHECK(http.sent[1].body.view() == "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_"
                                    "code&device_code=DEV%2FCODE%2B1&client_id=the-client");
  CHECK(accept_of(http.sent[1]) == "application/json");
}

TEST_CASE("oauth client: a denial stops polling with the reason", "[oauth][client]") {
  ScriptedHttp http({answer(200, R"({"error":"authorization_pending"})"),
                     answer(200, R"({"error":"access_denied"})")});
  patrol::oauth::DeviceAuthorization authorization;
  authorization.device_code = Secret("d");
  authorization.expires_in = 60;
  FakeTime time;
  std::string stopped;
  auto tokens =
      patrol::oauth::poll_for_tokens(http, client(), authorization, time.pacing(), &stopped);
  REQUIRE_FALSE(tokens);
  CHECK(stopped == "access_denied");
  CHECK(tokens.error().message.find("denied") != std::string::npos);
  CHECK(http.sent.size() == 2);
}

TEST_CASE("oauth client: expiry stops without another request", "[oauth][client]") {
  ScriptedHttp http({answer(400, R"({"error":"authorization_pending"})")});
  patrol::oauth::DeviceAuthorization authorization;
  authorization.device_code = Secret("d");
  authorization.expires_in = 7;
  FakeTime time;
  std::string stopped;
  auto tokens =
      patrol::oauth::poll_for_tokens(http, client(), authorization, time.pacing(), &stopped);
  REQUIRE_FALSE(tokens);
  CHECK(stopped == "expired_token");
  CHECK(http.sent.size() == 1);
  CHECK(time.now <= 7000ms);
}

TEST_CASE("oauth client: refresh grant and invalid_grant", "[oauth][client]") {
  ScriptedHttp http(
      {answer(200, R"({"access_token":"at2","refresh_token":"rt2","expires_in":7200})"),
       answer(
           400,
           R"({"error":"invalid_grant","error_description":"The provided authorization grant is invalid"})")});
  auto first = patrol::oauth::refresh_tokens(http, client(), Secret("rt 1"));
  REQUIRE(first);
  REQUIRE(std::holds_alternative<Tokens>(*first));
  CHECK(std::get<Tokens>(*first).refresh_token.view() == "rt2");
  CHECK(http.sent[0].body.view() ==
        "grant_type=refresh_token&refresh_token=rt+1&client_id=the-client");
  auto second = patrol::oauth::refresh_tokens(http, client(), Secret("rt2"));
  REQUIRE(second);
  REQUIRE(std::holds_alternative<TokenError>(*second));
  CHECK(std::get<TokenError>(*second).error == "invalid_grant");
}

TEST_CASE("oauth client: the client secret goes with the refresh grant only", "[oauth][client]") {
  OAuthClient with_secret = client();
  with_secret.client_secret = Secret("s3cret&x");
  const char* pending = R"({"error":"authorization_pending"})";
  ScriptedHttp http(
      {answer(
           200,
           R"({"device_code":"dc","user_code":"UC","verification_uri":"https://gitlab.example.com/oauth/device","expires_in":60,"interval":1})"),
       answer(400, pending), answer(200, R"({"access_token":"at"})"),
       answer(200, R"({"access_token":"at2"})"), answer(200, "")});
  auto code = patrol::oauth::request_device_code(http, with_secret);
  REQUIRE(code);
  FakeTime time;
  REQUIRE(patrol::oauth::poll_for_tokens(http, with_secret, *code, time.pacing()));
  REQUIRE(patrol::oauth::refresh_tokens(http, with_secret, Secret("rt")));
  REQUIRE(patrol::oauth::revoke_token(http, with_secret, Secret("at"), "access_token"));
  REQUIRE(http.sent.size() == 5);
  for (const std::size_t i : {0U, 1U, 2U, 4U}) {
    INFO("request " << i);
    CHECK(http.sent[i].body.view().find("s3cret") == std::string_view::npos);
  }
  CHECK(http.sent[3].url == "https://gitlab.example.com/oauth/token");
  CHECK(http.sent[3].body.view() ==
        "grant_type=refresh_token&refresh_token=rt&client_id=the-client&client_secret=s3cret%26x");
}

TEST_CASE("oauth client: RFC 7009 revocation", "[oauth][client]") {
  ScriptedHttp http({answer(200, ""), answer(503, "")});
  CHECK(patrol::oauth::revoke_token(http, client(), Secret("at"), "access_token"));
  CHECK(http.sent[0].url == "https://gitlab.example.com/oauth/revoke");
  CHECK(http.sent[0].body.view() == "token=at&token_type_hint=access_token&client_id=the-client");
  CHECK_FALSE(patrol::oauth::revoke_token(http, client(), Secret("at"), "access_token"));
  OAuthClient without = client();
  without.endpoints.revocation.clear();
  auto refused = patrol::oauth::revoke_token(http, without, Secret("at"), "access_token");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == Errc::unsupported);
  CHECK(http.sent.size() == 2);
}

TEST_CASE("oauth client: discovery tries OpenID, then RFC 8414", "[oauth][client]") {
  SECTION("OpenID configuration") {
    ScriptedHttp http({answer(
        200,
        R"({"issuer":"https://id.example","device_authorization_endpoint":"https://id.example/device/auth","token_endpoint":"https://id.example/token","revocation_endpoint":"https://id.example/token/revocation"})")});
    auto found = patrol::oauth::discover(http, "https://id.example/");
    REQUIRE(found);
    CHECK(http.sent[0].url == "https://id.example/.well-known/openid-configuration");
    CHECK(http.sent[0].method == "GET");
    CHECK(found->device_authorization == "https://id.example/device/auth");
    CHECK(found->token == "https://id.example/token");
    CHECK(found->revocation == "https://id.example/token/revocation");
  }
  SECTION("then the authorization server metadata") {
    ScriptedHttp http(
        {answer(404, "{}"),
         answer(
             200,
             R"({"device_authorization_endpoint":"https://id.example/d","token_endpoint":"https://id.example/t"})")});
    auto found = patrol::oauth::discover(http, "https://id.example");
    REQUIRE(found);
    CHECK(http.sent[1].url == "https://id.example/.well-known/oauth-authorization-server");
    CHECK(found->revocation.empty());
  }
  SECTION("metadata without a device endpoint is not enough") {
    ScriptedHttp http(
        {answer(200, R"({"token_endpoint":"https://id.example/t"})"), answer(404, "")});
    auto found = patrol::oauth::discover(http, "https://id.example");
    REQUIRE_FALSE(found);
    CHECK(found.error().message.find("oauth-authorization-server") != std::string::npos);
  }
}

TEST_CASE("oauth client: discovered endpoints must be on the server's own origin",
          "[oauth][client][trust]") {
  for (
      const char* elsewhere :
      {R"({"device_authorization_endpoint":"https://collector.example/device","token_endpoint":"https://id.example/token"})",
       R"({"device_authorization_endpoint":"https://id.example/device","token_endpoint":"https://id.example:8443/token"})",
       R"({"device_authorization_endpoint":"https://id.example/device","token_endpoint":"http://id.example/token"})",
       R"({"device_authorization_endpoint":"https://id.example/device","token_endpoint":"https://id.example@collector.example/token"})",
       R"({"device_authorization_endpoint":"https://id.example/d","token_endpoint":"https://id.example/t","revocation_endpoint":"https://collector.example/r"})"}) {
    CAPTURE(elsewhere);
    ScriptedHttp http({answer(200, elsewhere)});
    auto found = patrol::oauth::discover(http, "https://id.example");
    REQUIRE_FALSE(found);
    CHECK(found.error().message.find("is not on https://id.example") != std::string::npos);
    CHECK(http.sent.size() == 1); // nothing was sent to the other place
  }
  // The default port written out is the same origin.
  ScriptedHttp http({answer(
      200,
      R"({"device_authorization_endpoint":"https://ID.example:443/d","token_endpoint":"https://id.example/t"})")});
  CHECK(patrol::oauth::discover(http, "https://id.example"));
}

TEST_CASE("oauth client: the page a person is sent to is https on the device endpoint's host",
          "[oauth][client][trust]") {
  using patrol::oauth::check_verification_page;
  const std::string device = "https://gitlab.example.com/oauth/authorize_device";
  CHECK(check_verification_page("https://gitlab.example.com/oauth/device", device));
  CHECK(
      check_verification_page("https://GITLAB.example.com:8443/oauth/device?user_code=X", device));
  CHECK_FALSE(check_verification_page("http://gitlab.example.com/oauth/device", device));
  CHECK_FALSE(check_verification_page("https://phish.example/oauth/device", device));
  CHECK_FALSE(check_verification_page("https://gitlab.example.com@phish.example/", device));
  // libcurl sees user "phish.example\" on the forge's host; a browser opens phish.example.
  CHECK_FALSE(check_verification_page(R"(https://phish.example\@gitlab.example.com/)", device));
  CHECK_FALSE(check_verification_page("https://someone@gitlab.example.com/oauth/device", device));
  CHECK_FALSE(check_verification_page("javascript:alert(1)", device));
  CHECK_FALSE(check_verification_page("not a url", device));

  for (
      const char* answer_text :
      {R"({"device_code":"D","user_code":"U","verification_uri":"https://phish.example/device","expires_in":300})",
       R"({"device_code":"D","user_code":"U","verification_uri":"https://gitlab.example.com/oauth/device","verification_uri_complete":"http://gitlab.example.com/oauth/device?user_code=U","expires_in":300})"}) {
    CAPTURE(answer_text);
    ScriptedHttp http({answer(200, answer_text)});
    auto code = patrol::oauth::request_device_code(http, client());
    REQUIRE_FALSE(code);
    CHECK(code.error().message.find("refusing the sign-in") != std::string::npos);
  }
}
