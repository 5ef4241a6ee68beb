#include "common/git_bool.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

using patrol::git_terminal_prompt_allowed;
using patrol::parse_git_bool;

TEST_CASE("parse_git_bool: git_parse_maybe_bool's table", "[common][git_bool]") {
  struct Row {
    const char* text;
    std::optional<bool> expected;
  };
  const std::vector<Row> rows{
      {"true", true},
      {"TRUE", true},
      {"Yes", true},
      {"on", true},
      {"1", true},
      {"2", true},
      {"-1", true},
      {"0x10", true},
      {"1k", true},
      {"1G", true},
      {"false", false},
      {"No", false},
      {"OFF", false},
      {"0", false},
      {"", false},
      {"0x0", false},
      {"0m", false},
      {"maybe", std::nullopt},
      {"1x", std::nullopt},
      {"99999999999", std::nullopt},
      {"3g", std::nullopt},
      {" true", std::nullopt},
      {"never", std::nullopt},
  };
  for (const Row& row : rows) {
    INFO("value '" << row.text << "'");
    CHECK(parse_git_bool(row.text) == row.expected);
  }
}

TEST_CASE("GIT_TERMINAL_PROMPT read as git's boolean", "[common][git_bool]") {
  struct Row {
    const char* value; // nullptr: unset
    bool allowed;
  };
  const std::vector<Row> rows{{nullptr, true}, {"1", true},      {"true", true},
                              {"0", false},    {"false", false}, {"no", false},
                              {"off", false},  {"", false},      {"bogus", false}};
  for (const Row& row : rows) {
    INFO("GIT_TERMINAL_PROMPT=" << (row.value != nullptr ? row.value : "(unset)"));
    if (row.value == nullptr) {
      unsetenv("GIT_TERMINAL_PROMPT");
    } else {
      setenv("GIT_TERMINAL_PROMPT", row.value, 1);
    }
    CHECK(git_terminal_prompt_allowed() == row.allowed);
  }
  unsetenv("GIT_TERMINAL_PROMPT");
}
