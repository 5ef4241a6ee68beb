#pragma once
// ASCII case folding, in one place. git, URLs, HTTP header names, config keys and forge
// host names fold only A-Z; std::tolower follows the locale, which may fold other bytes.
#include <string>
#include <string_view>

namespace patrol {

// c with A-Z turned into a-z; every other byte unchanged.
[[nodiscard]] constexpr char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// text with A-Z turned into a-z.
[[nodiscard]] std::string to_ascii_lower(std::string_view text);

// Whether a and b are equal once A-Z are folded.
[[nodiscard]] bool iequals_ascii(std::string_view a, std::string_view b);

} // namespace patrol
