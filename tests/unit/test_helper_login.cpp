#include <catch2/catch.hpp>

#include <array>
#include <string_view>

#include "helper/login.hpp"

using namespace patrol;
using namespace patrol::helper;

TEST_CASE("login takes a URL, --username and --stdin, and no token in argv", "[login]") {
  const std::array full{std::string_view("https://gitlab.example.com"),
                        std::string_view("--username"), std::string_view("alice"),
                        std::string_view("--stdin")};
  Result<LoginArgs> parsed = parse_login_args(full);
  REQUIRE(parsed);
  CHECK(parsed->url == "https://gitlab.example.com");
  CHECK(parsed->username == "alice");
  CHECK(parsed->from_stdin);

  const std::array joined{std::string_view("--username=bob"), std::string_view("https://h")};
  parsed = parse_login_args(joined);
  REQUIRE(parsed);
  CHECK(parsed->username == "bob");
  CHECK_FALSE(parsed->from_stdin);

  const std::array token{std::string_view("https://h"), std::string_view("--token"),
                         std::string_view("glpat-secret")};
  parsed = parse_login_args(token);
  REQUIRE_FALSE(parsed);
  CHECK(parsed.error().code == Errc::invalid_input);
  CHECK(parsed.error().message.find("glpat-secret") == std::string::npos);

  CHECK_FALSE(parse_login_args(Args{}));
  const std::array two{std::string_view("https://a"), std::string_view("https://b")};
  CHECK_FALSE(parse_login_args(two));
  const std::array dangling{std::string_view("https://a"), std::string_view("--username")};
  CHECK_FALSE(parse_login_args(dangling));
}

TEST_CASE("logout takes a URL and an optional --username", "[login]") {
  const std::array args{std::string_view("https://h/x"), std::string_view("--username=al")};
  Result<LogoutArgs> parsed = parse_logout_args(args);
  REQUIRE(parsed);
  CHECK(parsed->url == "https://h/x");
  CHECK(parsed->username == "al");
  const std::array stdin_flag{std::string_view("https://h"), std::string_view("--stdin")};
  CHECK_FALSE(parse_logout_args(stdin_flag));
}

TEST_CASE("login's default usernames are the env store's", "[login]") {
  CHECK(default_username(forge::ForgeKind::gitlab) == "oauth2");
  CHECK(default_username(forge::ForgeKind::github) == "x-access-token");
  CHECK(default_username(forge::ForgeKind::none) == std::nullopt);
}

TEST_CASE("a token is the first line without its CR, and a blank line is none", "[login]") {
  Result<Secret> token = token_from_line("glpat-abc\r\nrest");
  REQUIRE(token);
  CHECK(token->view() == "glpat-abc");
  CHECK_FALSE(token_from_line(""));
  CHECK_FALSE(token_from_line("  \t\r\n"));
}
