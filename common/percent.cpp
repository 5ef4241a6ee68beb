#include "common/percent.hpp"

namespace patrol {

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

void append_escaped(std::string& out, unsigned char byte) {
  constexpr std::string_view hex = "0123456789ABCDEF";
  out.push_back('%');
  out.push_back(hex[byte >> 4U]);
  out.push_back(hex[byte & 0xFU]);
}

void percent_encode(std::string& out, std::string_view text, std::string_view keep,
                    bool space_as_plus) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                            c == '~' || keep.find(c) != std::string_view::npos;
    if (unreserved) {
      out.push_back(c);
    } else if (space_as_plus && c == ' ') {
      out.push_back('+');
    } else {
      append_escaped(out, byte);
    }
  }
}

} // namespace patrol
