#include <catch2/catch.hpp>

#include "forge/http.hpp"

using patrol::Errc;
using patrol::forge::check_url;
using patrol::forge::form_encode;
using patrol::forge::HttpResponse;

TEST_CASE("check_url allows https everywhere and http only on loopback", "[oauth][http]") {
  struct Row {
    const char* url;
    bool allowed;
  };
  const Row rows[] = {
      {"https://gitlab.com/oauth/token", true},
      {"https://127.0.0.1:8443/x", true},
      {"http://127.0.0.1:8080/oauth/token", true},
      {"http://127.5.6.7/", true},
      {"http://localhost:3000/token", true},
      {"http://[::1]:3000/token", true},
      {"http://gitlab.com/oauth/token", false},
      {"http://127.0.0.1.example.com/", false},
      {"http://localhost.example.com/", false},
      {"ftp://127.0.0.1/", false},
      {"file:///etc/passwd", false},
      {"not a url", false},
  };
  for (const Row& row : rows) {
    INFO(row.url);
    CHECK(check_url(row.url).has_value() == row.allowed);
  }
  CHECK(check_url("http://gitlab.com/").error().code == Errc::invalid_input);
}

TEST_CASE("form_encode escapes everything but unreserved characters", "[oauth][http]") {
  CHECK(form_encode("read_repository write_repository") == "read_repository+write_repository");
  CHECK(form_encode("a&b=c/d?e") == "a%26b%3Dc%2Fd%3Fe");
  CHECK(form_encode("urn:ietf:params:oauth:grant-type:device_code") ==
        "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code");
  CHECK(form_encode("\xC3\xA9") == "%C3%A9");
}

TEST_CASE("HttpResponse::header is case-insensitive and takes the last", "[oauth][http]") {
  HttpResponse response;
  response.headers = {{"X-OAuth-Scopes", "repo"},
                      {"content-type", "application/json"},
                      {"x-oauth-scopes", "repo, user"}};
  CHECK(response.header("X-OAUTH-SCOPES") == "repo, user");
  CHECK(response.header("Content-Type") == "application/json");
  CHECK_FALSE(response.header("Location").has_value());
}
