#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "store/file.hpp"

using patrol::Errc;
using patrol::store::file_options;
using patrol::store::StoreSetting;
using std::chrono::seconds;

TEST_CASE("file store: options from settings, and a bad timeout is a configuration error") {
  auto options = file_options([](StoreSetting key) -> std::optional<std::string> {
    if (key == StoreSetting::filePath) {
      return "/tmp/x/creds.enc";
    }
    if (key == StoreSetting::fileUnlockTimeout) {
      return "15m";
    }
    return std::nullopt;
  });
  REQUIRE(options);
  CHECK(options->path == "/tmp/x/creds.enc");
  CHECK(options->unlock_timeout == seconds(900));
  auto bad = file_options([](StoreSetting key) -> std::optional<std::string> {
    return key == StoreSetting::fileUnlockTimeout ? std::optional<std::string>("soon")
                                                  : std::nullopt;
  });
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == Errc::config);
  // At most a year: the kernel keyring takes an unsigned int of seconds.
  for (const char* text : {"366d", "367d"}) {
    INFO(text);
    auto options_for = file_options([&](StoreSetting key) -> std::optional<std::string> {
      return key == StoreSetting::fileUnlockTimeout ? std::optional<std::string>(text)
                                                    : std::nullopt;
    });
    CHECK(options_for.has_value() == (std::string_view(text) == "366d"));
  }
}

TEST_CASE("file store: no passphrase prompt when git's GIT_TERMINAL_PROMPT or "
          "credential.interactive forbids it") {
  struct Row {
    const char* prompt;      // GIT_TERMINAL_PROMPT, nullptr: unset
    const char* interactive; // the helper's credential.interactive, nullptr: unset
    bool asks;
  };
  const std::vector<Row> rows{
      {nullptr, nullptr, true},  {"1", nullptr, true},    {"0", nullptr, false},
      {"false", nullptr, false}, {"no", nullptr, false},  {"off", nullptr, false},
      {nullptr, "false", false}, {nullptr, "true", true}, {"true", "false", false},
  };
  for (const Row& row : rows) {
    INFO("GIT_TERMINAL_PROMPT=" << (row.prompt ? row.prompt : "(unset)") << " interactive="
                                << (row.interactive ? row.interactive : "(unset)"));
    if (row.prompt == nullptr) {
      unsetenv("GIT_TERMINAL_PROMPT");
    } else {
      setenv("GIT_TERMINAL_PROMPT", row.prompt, 1);
    }
    auto options = file_options([&](StoreSetting key) -> std::optional<std::string> {
      if (key == StoreSetting::interactive && row.interactive != nullptr) {
        return row.interactive;
      }
      return std::nullopt;
    });
    REQUIRE(options);
    CHECK(options->interactive == row.asks);
  }
  unsetenv("GIT_TERMINAL_PROMPT");
}
