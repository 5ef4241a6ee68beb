#include "common/duration.hpp"

#include <charconv>
#include <cstdint>

#include "common/ascii.hpp"

namespace patrol {
namespace {

// Seconds in the unit text ends with, removing it; 1 when it ends with a digit.
std::uint64_t take_unit(std::string_view& text) {
  if (text.empty()) {
    return 1;
  }
  std::uint64_t unit = 0;
  switch (ascii_lower(text.back())) {
  case 's':
    unit = 1;
    break;
  case 'm':
    unit = 60;
    break;
  case 'h':
    unit = 3600;
    break;
  case 'd':
    unit = 86400;
    break;
  default:
    return 1;
  }
  text.remove_suffix(1);
  return unit;
}

} // namespace

std::optional<std::chrono::seconds> parse_duration(std::string_view text,
                                                   std::chrono::seconds limit) {
  const std::uint64_t unit = take_unit(text);
  std::uint64_t count = 0;
  const char* end = text.data() + text.size();
  const auto [next, error] = std::from_chars(text.data(), end, count);
  if (text.empty() || error != std::errc() || next != end || limit.count() < 0 ||
      count > static_cast<std::uint64_t>(limit.count()) / unit) {
    return std::nullopt;
  }
  return std::chrono::seconds(static_cast<std::int64_t>(count * unit));
}

} // namespace patrol
