// libFuzzer target for common/text: whatever bytes a server sends, shown() gives text with
// no control a terminal could act on (C0, DEL, C1 as a byte or as UTF-8, bidi controls),
// valid UTF-8, and the same text when escaped again; clipped() never grows past its limit
// plus "..." and never cuts a character.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/text.hpp"

namespace {

[[noreturn]] void fail(const char* why) {
  std::fprintf(stderr, "fuzz_text: %s\n", why);
  std::abort();
}

// An independent reading of UTF-8 (no overlongs, surrogates or points past U+10FFFF):
// fails on anything shown() should not have let through.
void check_safe(std::string_view text) {
  std::size_t at = 0;
  while (at < text.size()) {
    const auto lead = static_cast<unsigned char>(text[at]);
    if (lead < 0x20 || lead == 0x7f) {
      fail("a C0 control or DEL is left");
    }
    if (lead < 0x80) {
      ++at;
      continue;
    }
    const std::size_t length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 0;
    if (length == 0 || lead >= 0xf8 || at + length > text.size()) {
      fail("not UTF-8");
    }
    std::uint32_t point = lead & (0x7f >> length);
    for (std::size_t i = 1; i < length; ++i) {
      const auto next = static_cast<unsigned char>(text[at + i]);
      if ((next & 0xc0) != 0x80) {
        fail("not UTF-8");
      }
      point = (point << 6) | (next & 0x3f);
    }
    const std::uint32_t minimum = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
    if (point < minimum || point > 0x10ffff || (point >= 0xd800 && point <= 0xdfff)) {
      fail("not UTF-8");
    }
    if ((point >= 0x80 && point <= 0x9f) || point == 0x061c || point == 0x200e || point == 0x200f ||
        (point >= 0x202a && point <= 0x202e) || (point >= 0x2066 && point <= 0x2069)) {
      fail("a C1 or bidi control is left");
    }
    at += length;
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string out = patrol::shown(input);
  check_safe(out);
  if (patrol::shown(out) != out) {
    fail("escaping twice changes the text");
  }
  const std::size_t limit = size / 2;
  const std::string cut = patrol::clipped(out, limit);
  if (cut != out && (cut.size() > limit + 3 || !out.starts_with(cut.substr(0, cut.size() - 3)))) {
    fail("clipped is too long or not a prefix");
  }
  check_safe(cut);
  return 0;
}
