#include "common/text.hpp"

#include <cstdint>

namespace patrol {
namespace {

constexpr std::string_view hex = "0123456789abcdef";

void append_byte(std::string& out, unsigned char byte) {
  out += "\\x";
  out += hex[byte >> 4];
  out += hex[byte & 0xf];
}

void append_code_point(std::string& out, std::uint32_t point) {
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) {
    out += hex[(point >> shift) & 0xf];
  }
}

bool is_continuation(unsigned char byte) { return (byte & 0xc0) == 0x80; }

// The length of the well-formed UTF-8 sequence at text[at] and its code point; length 0
// when the bytes there are not one (overlong, a surrogate, past U+10FFFF, cut short).
std::size_t decode(std::string_view text, std::size_t at, std::uint32_t& point) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[at + i]); };
  const unsigned char lead = byte(0);
  std::size_t length = 0;
  std::uint32_t minimum = 0;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
    point = lead & 0x1f;
    minimum = 0x80;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    point = lead & 0x0f;
    minimum = 0x800;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    point = lead & 0x07;
    minimum = 0x10000;
  } else {
    return 0;
  }
  if (at + length > text.size()) {
    return 0;
  }
  for (std::size_t i = 1; i < length; ++i) {
    if (!is_continuation(byte(i))) {
      return 0;
    }
    point = (point << 6) | (byte(i) & 0x3f);
  }
  if (point < minimum || point > 0x10ffff || (point >= 0xd800 && point <= 0xdfff)) {
    return 0;
  }
  return length;
}

// C1 controls, which terminals may obey (U+009B is CSI), and the characters that change
// the direction in which the rest of a line is drawn.
bool is_hidden_control(std::uint32_t point) {
  return (point >= 0x80 && point <= 0x9f) || point == 0x061c || point == 0x200e ||
         point == 0x200f || (point >= 0x202a && point <= 0x202e) ||
         (point >= 0x2066 && point <= 0x2069);
}

} // namespace

std::string shown(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  while (at < text.size()) {
    const auto byte = static_cast<unsigned char>(text[at]);
    if (byte < 0x80) {
      switch (byte) {
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case 0x1b:
        out += "\\e";
        break;
      default:
        if (byte < 0x20 || byte == 0x7f) {
          append_byte(out, byte);
        } else {
          out += static_cast<char>(byte);
        }
      }
      ++at;
      continue;
    }
    std::uint32_t point = 0;
    const std::size_t length = decode(text, at, point);
    if (length == 0) {
      append_byte(out, byte);
      ++at;
    } else if (is_hidden_control(point)) {
      append_code_point(out, point);
      at += length;
    } else {
      out.append(text.substr(at, length));
      at += length;
    }
  }
  return out;
}

std::string clipped(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) {
    return std::string(text);
  }
  std::size_t cut = limit;
  while (cut > 0 && is_continuation(static_cast<unsigned char>(text[cut]))) {
    --cut;
  }
  return std::string(text.substr(0, cut)) + "...";
}

} // namespace patrol
