#include "common/ascii.hpp"

#include <catch2/catch.hpp>

#include <string>

using patrol::ascii_lower;
using patrol::iequals_ascii;
using patrol::to_ascii_lower;

TEST_CASE("ascii_lower folds A-Z and nothing else", "[common][ascii]") {
  for (int i = 0; i < 256; ++i) {
    const char c = static_cast<char>(i);
    INFO("byte " << i);
    if (i >= 'A' && i <= 'Z') {
      CHECK(ascii_lower(c) == static_cast<char>(i + ('a' - 'A')));
    } else {
      CHECK(ascii_lower(c) == c);
    }
  }
  static_assert(ascii_lower('Q') == 'q');
}

TEST_CASE("to_ascii_lower and iequals_ascii fold letters only, not bytes a locale would",
          "[common][ascii]") {
  // Latin-1 and UTF-8 bytes stay as they are: 'Ä' in Latin-1 (0xC4) is not 'ä' (0xE4),
  // whatever a locale's tolower would say.
  const std::string mixed = "GitLab.EXAMPLE.com/\xC4\xC3\x84-Path_9";
  const std::string folded = "gitlab.example.com/\xC4\xC3\x84-path_9";
  CHECK(to_ascii_lower(mixed) == folded);
  CHECK(to_ascii_lower("") == "");
  CHECK(iequals_ascii("Content-Type", "content-type"));
  CHECK(iequals_ascii("", ""));
  CHECK_FALSE(iequals_ascii("store", "stores"));
  CHECK_FALSE(iequals_ascii("\xC4", "\xE4"));
  CHECK_FALSE(iequals_ascii("[", "{")); // '[' + 32 is '{': only letters fold
}
