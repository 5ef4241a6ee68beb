#include <catch2/catch.hpp>

#include <array>
#include <string>
#include <string_view>

#include "helper/commands/command_line.hpp"

using namespace patrol;
using namespace patrol::helper;

namespace {

int run_nothing(const Parsed& /*args*/) { return 0; }

constexpr std::array options{
    Option{"--json", "", "", "as JSON"},
    Option{"--days", "", "N", "within N days"},
    Option{"--dry-run", "-n", "", "change nothing"},
};
constexpr Command sample{"sample",   " [--json] [--days N] [-n] URL [FILE]",
                         "a sample", false,
                         options,    "URL FILE",
                         1,          2,
                         run_nothing};

template <class... Words> Result<Parsed> line_of(Words... words) {
  const std::array<std::string_view, sizeof...(Words)> args{std::string_view(words)...};
  return parse_command_line(sample, args);
}

std::string message_of(const Result<Parsed>& parsed) {
  REQUIRE_FALSE(parsed);
  CHECK(parsed.error().code == Errc::usage);
  return parsed.error().message;
}

} // namespace

TEST_CASE("options with and without values, aliases, operands and --", "[command_line]") {
  Result<Parsed> parsed = line_of("--days", "3", "https://h", "-n", "--days=5", "--", "--file");
  REQUIRE(parsed);
  CHECK_FALSE(parsed->help);
  CHECK(parsed->value("--days") == "5"); // the last one given
  CHECK(parsed->has("--dry-run"));       // by its alias
  CHECK_FALSE(parsed->has("--json"));
  CHECK(parsed->operands == std::vector<std::string_view>{"https://h", "--file"});
}

TEST_CASE("--help and -h anywhere before -- ask for help, whatever else is there",
          "[command_line]") {
  CHECK(line_of("--help")->help);
  CHECK(line_of("--bogus", "a", "b", "c", "-h")->help);
  CHECK_FALSE(line_of("a", "--", "--help")->help);
}

TEST_CASE("each kind of mistake has one wording", "[command_line]") {
  CHECK(message_of(line_of("--jsn", "u")) ==
        "unknown option '--jsn' for sample; did you mean --json?");
  CHECK(message_of(line_of("--zebra", "u")) ==
        "unknown option '--zebra' for sample; usage: git credential-patrol sample [--json] "
        "[--days N] [-n] URL [FILE]");
  CHECK(message_of(line_of("u", "f", "extra"))
            .starts_with("too many arguments for sample: 'extra'; usage: "));
  CHECK(message_of(line_of()).starts_with("missing argument URL for sample; usage: "));
  const std::string no_value = "option '--days' for sample needs a value N; usage: ";
  CHECK(message_of(line_of("u", "--days")).starts_with(no_value));
  CHECK(message_of(line_of("u", "--days=")).starts_with(no_value));
  CHECK(message_of(line_of("u", "--json=yes"))
            .starts_with("option '--json' for sample takes no value; usage: "));
}

TEST_CASE("a typo is an edit or two away, a swap counting one", "[command_line]") {
  constexpr std::array<std::string_view, 4> names{"check", "status", "login", "get"};
  CHECK(closest("chek", names) == "check");
  CHECK(closest("stauts", names) == "status");
  CHECK(closest("gte", names) == "get");
  CHECK(closest("list", names) == std::nullopt);
  CHECK(closest("check", names) == std::nullopt); // itself is no suggestion
  CHECK(closest("xyzzy", names) == std::nullopt);
}

TEST_CASE("an unknown name is silent only when it may be a newer git's operation",
          "[command_line]") {
  // A typo of a command, whatever else: cron has no terminal either.
  std::optional<Error> error = unknown_command("chek", true, true);
  REQUIRE(error);
  CHECK(error->code == Errc::usage);
  CHECK(error->message == "unknown command 'chek'; did you mean check?");
  CHECK(unknown_command("chek", false, true));
  // Far from every command: silent only with nothing after it and a request on stdin.
  CHECK_FALSE(unknown_command("frobnicate", false, true));
  CHECK(unknown_command("frobnicate", true, true));
  CHECK(unknown_command("frobnicate", false, false)->message ==
        "unknown command 'frobnicate'; see git credential-patrol --help");
  CHECK(unknown_command("--verison", false, true)->message ==
        "unknown option '--verison'; did you mean --version?");
}

TEST_CASE("a URL argument without a scheme is https, one with a password is refused",
          "[command_line]") {
  CHECK(url_with_scheme("gitlab.example.com/group") == "https://gitlab.example.com/group");
  CHECK(url_with_scheme("http://h") == "http://h");
  Result<Credential> target = url_argument(sample, "alice@gitlab.example.com:8443/g");
  REQUIRE(target);
  CHECK(target->protocol == "https");
  CHECK(target->host == "gitlab.example.com:8443");
  CHECK(target->username == "alice");
  Result<Credential> secret = url_argument(sample, "https://alice:glpat-x@h/");
  REQUIRE_FALSE(secret);
  CHECK(secret.error().code == Errc::usage);
  CHECK(secret.error().message.find("glpat-x") == std::string::npos);
  Result<Credential> broken = url_argument(sample, "https://bob:pw@h:99999/");
  REQUIRE_FALSE(broken);
  CHECK(broken.error().message.find("pw") == std::string::npos);
}

TEST_CASE("the command table: each option is in its usage line, help names them all",
          "[command_line]") {
  for (const Command& command : commands()) {
    const std::string help = command_help(command);
    CHECK(help.starts_with(usage_line(command) + "\n"));
    for (const Option& option : command.options) {
      INFO(command.name << " " << option.name);
      CHECK(command.synopsis.find(option.name) != std::string_view::npos);
      CHECK(help.find(option.name) != std::string::npos);
      CHECK_FALSE(option.help.empty());
    }
    CHECK(command.min_operands <= command.max_operands);
  }
}
