#include <catch2/catch.hpp>

#include <array>
#include <string_view>

#include "helper/commands/command_line.hpp"
#include "helper/commands/login.hpp"
#include "helper/commands/logout.hpp"

using namespace patrol;
using namespace patrol::helper;

namespace {

template <class... Words> Result<Parsed> line_of(std::string_view command, Words... words) {
  const std::array<std::string_view, sizeof...(Words)> args{std::string_view(words)...};
  return parse_command_line(*find_command(command), args);
}

} // namespace

TEST_CASE("login takes a URL, --username and --stdin, and no token in argv", "[login]") {
  Result<Parsed> line =
      line_of("login", "https://gitlab.example.com", "--username", "alice", "--stdin");
  REQUIRE(line);
  Result<LoginArgs> parsed = parse_login_args(*line);
  REQUIRE(parsed);
  CHECK(parsed->url == "https://gitlab.example.com");
  CHECK(parsed->username == "alice");
  CHECK(parsed->from_stdin);

  line = line_of("login", "--username=bob", "https://h");
  REQUIRE(line);
  parsed = parse_login_args(*line);
  REQUIRE(parsed);
  CHECK(parsed->username == "bob");
  CHECK_FALSE(parsed->from_stdin);

  line = line_of("login", "https://h", "--token", "glpat-secret");
  REQUIRE_FALSE(line);
  CHECK(line.error().code == Errc::usage);
  CHECK(line.error().message.find("glpat-secret") == std::string::npos);

  CHECK_FALSE(line_of("login"));
  CHECK_FALSE(line_of("login", "https://a", "https://b"));
  CHECK_FALSE(line_of("login", "https://a", "--username"));

  line = line_of("login", "https://a", "--oauth", "--stdin");
  REQUIRE(line);
  parsed = parse_login_args(*line);
  REQUIRE_FALSE(parsed);
  CHECK(parsed.error().code == Errc::usage);
}

TEST_CASE("logout takes a URL and an optional --username", "[login]") {
  Result<Parsed> line = line_of("logout", "https://h/x", "--username=al");
  REQUIRE(line);
  Result<LogoutArgs> parsed = parse_logout_args(*line);
  REQUIRE(parsed);
  CHECK(parsed->url == "https://h/x");
  CHECK(parsed->username == "al");
  CHECK_FALSE(line_of("logout", "https://h", "--stdin"));
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
