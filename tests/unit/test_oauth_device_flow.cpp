#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "oauth/device_flow.hpp"

using patrol::Secret;
using patrol::forge::HttpResponse;
using patrol::oauth::DeviceAuthorization;
using patrol::oauth::DeviceFlow;
using patrol::oauth::Granted;
using patrol::oauth::Millis;
using patrol::oauth::PollOutcome;
using patrol::oauth::Step;
using patrol::oauth::Stopped;
using patrol::oauth::TokenError;
using patrol::oauth::Tokens;
using patrol::oauth::Unreachable;
using patrol::oauth::Wait;
using namespace std::chrono_literals;

namespace {

DeviceAuthorization authorization(std::int64_t expires_in, Millis interval) {
  DeviceAuthorization out;
  out.device_code = Secret("dc");
  out.user_code = "0A44L90H";
  out.verification_uri = "https://gitlab.example.com/oauth/device";
  out.expires_in = expires_in;
  out.interval = interval;
  return out;
}

TokenError error(std::string code, std::optional<Millis> interval = std::nullopt) {
  return TokenError{std::move(code), "", interval};
}

Tokens tokens(std::string access) {
  Tokens out;
  out.access_token = Secret(std::move(access));
  return out;
}

HttpResponse response(long status, std::string body) {
  HttpResponse out;
  out.status = status;
  out.body = Secret(std::move(body));
  return out;
}

// One row: what the server answers; then the step expected (a wait of so long, tokens, or
// a stop with that error code).
struct Row {
  PollOutcome outcome;
  std::variant<Millis, std::string> expected; // Millis: Wait; "tokens"; else Stopped error
};

// Feeds the rows to a flow that starts at t=0, advancing the fake clock by each wait.
void run(DeviceFlow flow, std::vector<Row> rows) {
  Millis now{0};
  Step step = flow.begin(now);
  REQUIRE(std::holds_alternative<Wait>(step));
  now += std::get<Wait>(step).delay;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    INFO("row " << i << " at t=" << now.count() << " ms");
    step = flow.on_answer(std::move(rows[i].outcome), now);
    if (const Millis* wait = std::get_if<Millis>(&rows[i].expected)) {
      REQUIRE(std::holds_alternative<Wait>(step));
      CHECK(std::get<Wait>(step).delay == *wait);
      now += std::get<Wait>(step).delay;
    } else if (std::get<std::string>(rows[i].expected) == "tokens") {
      REQUIRE(std::holds_alternative<Granted>(step));
      CHECK(std::get<Granted>(step).tokens.access_token.view() == "at");
    } else {
      REQUIRE(std::holds_alternative<Stopped>(step));
      CHECK(std::get<Stopped>(step).error == std::get<std::string>(rows[i].expected));
      CHECK_FALSE(std::get<Stopped>(step).message.empty());
    }
  }
}

} // namespace

TEST_CASE("device flow: the first poll waits one interval, 5 s when the server gives none",
          "[oauth][device_flow]") {
  const DeviceFlow flow(authorization(300, patrol::oauth::default_interval), 1000ms);
  const Step step = flow.begin(1000ms);
  REQUIRE(std::holds_alternative<Wait>(step));
  CHECK(std::get<Wait>(step).delay == 5000ms);
  CHECK(flow.deadline() == 301000ms);
}

TEST_CASE("device flow: RFC 8628 polling rules, table-driven", "[oauth][device_flow]") {
  SECTION("authorization_pending keeps the interval; success gives the tokens") {
    run(DeviceFlow(authorization(300, 5s), 0ms), {{error("authorization_pending"), 5000ms},
                                                  {error("authorization_pending"), 5000ms},
                                                  {tokens("at"), std::string("tokens")}});
  }
  SECTION("slow_down adds 5 s to this and every later poll") {
    run(DeviceFlow(authorization(300, 5s), 0ms), {{error("slow_down"), 10000ms},
                                                  {error("authorization_pending"), 10000ms},
                                                  {error("slow_down"), 15000ms},
                                                  {error("authorization_pending"), 15000ms},
                                                  {tokens("at"), std::string("tokens")}});
  }
  SECTION("GitHub's slow_down with a new interval: the larger of the two") {
    run(DeviceFlow(authorization(900, 5s), 0ms), {{error("slow_down", 10s), 10000ms},
                                                  {error("slow_down", 30s), 30000ms},
                                                  {error("slow_down", 20s), 35000ms},
                                                  {error("authorization_pending"), 35000ms}});
  }
  SECTION("connection time-outs double the interval, then the interval stays doubled") {
    run(DeviceFlow(authorization(600, 5s), 0ms), {{Unreachable{"timed out"}, 10000ms},
                                                  {Unreachable{"timed out"}, 20000ms},
                                                  {error("authorization_pending"), 20000ms},
                                                  {tokens("at"), std::string("tokens")}});
  }
  SECTION("access_denied stops") {
    run(DeviceFlow(authorization(300, 5s), 0ms),
        {{error("authorization_pending"), 5000ms},
         {error("access_denied"), std::string("access_denied")}});
  }
  SECTION("expired_token stops") {
    run(DeviceFlow(authorization(300, 5s), 0ms),
        {{error("expired_token"), std::string("expired_token")}});
  }
  SECTION("anything else stops, GitHub's own codes included") {
    for (const char* code :
         {"invalid_grant", "incorrect_device_code", "device_flow_disabled",
          "unsupported_grant_type", "incorrect_client_credentials", "invalid_client"}) {
      run(DeviceFlow(authorization(300, 5s), 0ms), {{error(code), std::string(code)}});
    }
  }
  SECTION("never past expires_in: a poll that would fall after the deadline is not made") {
    // 12 s code, 5 s interval: polls at 5 s and 10 s; the next would be at 15 s.
    run(DeviceFlow(authorization(12, 5s), 0ms),
        {{error("authorization_pending"), 5000ms},
         {error("authorization_pending"), std::string("expired_token")}});
  }
  SECTION("a 503 mid-poll backs off and polling goes on until the approval") {
    run(DeviceFlow(authorization(600, 5s), 0ms),
        {{error("authorization_pending"), 5000ms},
         {patrol::oauth::classify(response(503, R"({"error":"temporarily_unavailable"})")),
          10000ms},
         {patrol::oauth::classify(response(500, R"({"error":"server_error"})")), 20000ms},
         {error("authorization_pending"), 20000ms},
         {tokens("at"), std::string("tokens")}});
  }
  SECTION("back-off never waits past the deadline either") {
    run(DeviceFlow(authorization(20, 5s), 0ms),
        {{Unreachable{"timed out"}, 10000ms},
         {Unreachable{"timed out"}, std::string("expired_token")}});
  }
}

TEST_CASE("device flow: the deadline counts from the start time given", "[oauth][device_flow]") {
  DeviceFlow flow(authorization(10, 5s), 100000ms);
  CHECK(std::holds_alternative<Wait>(flow.begin(100000ms)));
  CHECK(std::holds_alternative<Wait>(flow.on_answer(error("authorization_pending"), 105000ms)));
  CHECK(std::holds_alternative<Stopped>(flow.on_answer(error("authorization_pending"), 106000ms)));
}

TEST_CASE("device flow: the device authorization answer", "[oauth][device_flow]") {
  SECTION("GitLab's, with verification_uri_complete") {
    auto parsed = patrol::oauth::parse_device_authorization(response(
        200,
        R"({"device_code": "GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS", "user_code": "0A44L90H",
 "verification_uri": "https://gitlab.example.com/oauth/device",
 "verification_uri_complete": "https://gitlab.example.com/oauth/device?user_code=0A44L90H",
 "expires_in": 300, "interval": 5})"));
    REQUIRE(parsed);
    CHECK(parsed->device_code.view() == "GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS");
    CHECK(parsed->user_code == "0A44L90H");
    CHECK(parsed->verification_uri_complete ==
          "https://gitlab.example.com/oauth/device?user_code=0A44L90H");
    CHECK(parsed->expires_in == 300);
    CHECK(parsed->interval == 5000ms);
  }
  SECTION("without interval (node-oidc-provider): 5 s") {
    auto parsed = patrol::oauth::parse_device_authorization(response(
        200,
        R"({"device_code":"d","user_code":"WDJB-MJHT","verification_uri":"https://h/device","expires_in":900})"));
    REQUIRE(parsed);
    CHECK(parsed->interval == 5000ms);
    CHECK(parsed->verification_uri_complete.empty());
  }
  SECTION("a refusal names the error but not the body's secrets") {
    auto parsed = patrol::oauth::parse_device_authorization(response(
        401, R"({"error":"invalid_client","error_description":"Client authentication failed"})"));
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().message.find("invalid_client") != std::string::npos);
    CHECK(parsed.error().message.find("401") != std::string::npos);
  }
  SECTION("missing fields are an error") {
    CHECK_FALSE(patrol::oauth::parse_device_authorization(response(
        200, R"({"device_code":"d","verification_uri":"https://h/device","expires_in":900})")));
    CHECK_FALSE(
        patrol::oauth::parse_device_authorization(response(200, "device_code=d&user_code=U")));
  }
  SECTION("the server's words are kept as sent, only bounded: the prompt escapes them") {
    const std::string long_code(500, 'A');
    auto parsed = patrol::oauth::parse_device_authorization(
        response(200, "{\"device_code\":\"d\",\"user_code\":\"AB\\u001b[2JCD\",\"verification_"
                      "uri\":\"https://h/d\",\"expires_in\":9}"));
    REQUIRE(parsed);
    CHECK(parsed->user_code == "AB\x1b[2JCD");
    parsed = patrol::oauth::parse_device_authorization(
        response(200, "{\"device_code\":\"d\",\"user_code\":\"" + long_code +
                          "\",\"verification_uri\":\"https://h/d\",\"expires_in\":9}"));
    REQUIRE(parsed);
    CHECK(parsed->user_code == std::string(200, 'A') + "...");
  }
}

TEST_CASE("device flow: token endpoint answers, GitLab's 400 and GitHub's 200 alike",
          "[oauth][device_flow]") {
  const char* pending = R"({"error":"authorization_pending","error_description":"pending"})";
  for (const long status : {400L, 200L, 401L}) {
    const PollOutcome outcome = patrol::oauth::classify(response(status, pending));
    REQUIRE(std::holds_alternative<TokenError>(outcome));
    CHECK(std::get<TokenError>(outcome).error == "authorization_pending");
  }
  SECTION("GitHub's slow_down carries the new interval") {
    const PollOutcome outcome = patrol::oauth::classify(response(
        200, R"({"error":"slow_down","error_description":"Too many requests","interval":10})"));
    REQUIRE(std::holds_alternative<TokenError>(outcome));
    CHECK(std::get<TokenError>(outcome).interval == Millis(10000));
  }
  SECTION("success") {
    const PollOutcome outcome = patrol::oauth::classify(response(
        200,
        R"({"access_token":"at","token_type":"Bearer","expires_in":7200,"refresh_token":"rt","scope":"read_repository write_repository","created_at":1})"));
    REQUIRE(std::holds_alternative<Tokens>(outcome));
    const Tokens& got = std::get<Tokens>(outcome);
    CHECK(got.access_token.view() == "at");
    CHECK(got.refresh_token.view() == "rt");
    CHECK(got.expires_in == 7200);
    CHECK(got.scope == "read_repository write_repository");
  }
  SECTION("5xx and 429 without an error body, and transport failures, are Unreachable") {
    CHECK(std::holds_alternative<Unreachable>(patrol::oauth::classify(response(502, "<html>"))));
    CHECK(std::holds_alternative<Unreachable>(patrol::oauth::classify(response(429, ""))));
    CHECK(std::holds_alternative<Unreachable>(
        patrol::oauth::classify(patrol::fail(patrol::Errc::network, "Connection timed out"))));
  }
  SECTION("a 500 or 503 carrying a JSON error is a hiccup, not a refusal (RFC 8628 3.5)") {
    for (const char* body :
         {R"({"error":"server_error","error_description":"boom"})",
          R"({"error":"temporarily_unavailable"})", R"({"error":"invalid_request"})"}) {
      for (const long status : {500L, 503L, 429L}) {
        INFO(status << " " << body);
        CHECK(std::holds_alternative<Unreachable>(patrol::oauth::classify(response(status, body))));
      }
    }
    // The same words with a 400 or GitHub's 200 are still a server saying "later".
    CHECK(std::holds_alternative<Unreachable>(
        patrol::oauth::classify(response(400, R"({"error":"temporarily_unavailable"})"))));
    CHECK(std::holds_alternative<Unreachable>(
        patrol::oauth::classify(response(200, R"({"error":"server_error"})"))));
  }
  SECTION("a 404 page is a stop, not a retry") {
    const PollOutcome outcome = patrol::oauth::classify(response(404, "not found"));
    REQUIRE(std::holds_alternative<TokenError>(outcome));
    CHECK(std::get<TokenError>(outcome).error == "invalid_response");
  }
}
