#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "common/text.hpp"

using namespace patrol;
using namespace std::string_view_literals;

namespace {

// Whether text holds a byte or character a terminal could act on.
bool holds_control(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 || byte == 0x7f) {
      return true;
    }
    const std::string_view rest = text.substr(i);
    for (const std::string_view hidden : {"\xc2\x80"sv, "\xc2\x9b"sv, "\xc2\x9f"sv,
                                          "\xe2\x80\xae"sv, "\xe2\x81\xa6"sv, "\xe2\x81\xa9"sv}) {
      if (rest.starts_with(hidden)) {
        return true;
      }
    }
  }
  return false;
}

} // namespace

TEST_CASE("shown writes every terminal control out visibly", "[text]") {
  struct Row {
    std::string_view text;
    std::string_view expected;
  };
  const Row rows[] = {
      {"deploy", "deploy"},
      {"", ""},
      // The token name from the report: title, clear screen, red.
      {"ci\x1b]0;pwned-title\a\x1b[2J\x1b[31mRED", "ci\\e]0;pwned-title\\x07\\e[2J\\e[31mRED"},
      {"a\tb\nc\rd", "a\\tb\\nc\\rd"},
      {"nul\0here"sv, "nul\\x00here"},
      {"\x01\x1f\x7f", "\\x01\\x1f\\x7f"},
      // C1 as a raw byte (the text is not UTF-8) and as UTF-8 (U+009B, CSI).
      {"\x9b"
       "31m",
       "\\x9b31m"},
      {"\xc2\x9b"
       "31m",
       "\\u009b31m"},
      {"\xc2\x80\xc2\x9f", "\\u0080\\u009f"},
      // Bidi controls: RLO and friends, isolates, marks.
      {"abc\xe2\x80\xae"
       "fed",
       "abc\\u202efed"},
      {"\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad", "\\u202a\\u202b\\u202c\\u202d"},
      {"\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9", "\\u2066\\u2067\\u2068\\u2069"},
      {"\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", "\\u200e\\u200f\\u061c"},
      // Printable UTF-8 passes: accents, CJK, emoji, NBSP (U+00A0 is not C1).
      {"d\xc3\xa9ploiement \xe6\x97\xa5 \xf0\x9f\x94\x91 \xc2\xa0",
       "d\xc3\xa9ploiement \xe6\x97\xa5 \xf0\x9f\x94\x91 \xc2\xa0"},
      // Not UTF-8: overlong, surrogate, past U+10FFFF, cut short, stray continuation.
      {"\xc0\xaf", "\\xc0\\xaf"},
      {"\xe0\x80\xaf", "\\xe0\\x80\\xaf"},
      {"\xed\xa0\x80", "\\xed\\xa0\\x80"},
      {"\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"},
      {"\xe2\x80", "\\xe2\\x80"},
      {"\x80x", "\\x80x"},
      // An overlong ESC (0xc1 0x9b) is two bytes escaped, never an ESC.
      {"\xc1\x9b", "\\xc1\\x9b"},
      // A backslash stays, so text escaped twice reads the same.
      {"a\\eb", "a\\eb"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.text);
    const std::string out = shown(row.text);
    CHECK(out == row.expected);
    CHECK_FALSE(holds_control(out));
    CHECK(shown(out) == out);
  }
}

TEST_CASE("clipped cuts at a character boundary and says so", "[text]") {
  CHECK(clipped("short", 10) == "short");
  CHECK(clipped("exactly10!", 10) == "exactly10!");
  CHECK(clipped("0123456789ab", 10) == "0123456789...");
  // "é" is two bytes: a cut inside it moves before it.
  CHECK(clipped("abcdefghi\xc3\xa9", 10) == "abcdefghi...");
  CHECK(clipped("\xe6\x97\xa5\xe6\x97\xa5", 4) == "\xe6\x97\xa5...");
  CHECK(clipped("", 0) == "");
}
