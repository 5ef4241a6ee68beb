#include "common/git_bool.hpp"

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <climits>
#include <cstdlib>
#include <string>

#include "common/ascii.hpp"

namespace patrol {

std::optional<bool> parse_git_bool(std::string_view value) {
  if (value.empty()) {
    return false;
  }
  for (const std::string_view word : {"true", "yes", "on"}) {
    if (iequals_ascii(value, word)) {
      return true;
    }
  }
  for (const std::string_view word : {"false", "no", "off"}) {
    if (iequals_ascii(value, word)) {
      return false;
    }
  }
  if (value.find('\0') != std::string_view::npos) {
    return std::nullopt;
  }
  const std::string text(value);
  char* end = nullptr;
  errno = 0;
  const std::intmax_t number = std::strtoimax(text.c_str(), &end, 0);
  if (errno == ERANGE || end == text.c_str()) {
    return std::nullopt;
  }
  const std::string_view unit(end);
  std::intmax_t factor = 0;
  if (unit.empty()) {
    factor = 1;
  } else if (iequals_ascii(unit, "k")) {
    factor = 1024;
  } else if (iequals_ascii(unit, "m")) {
    factor = 1024 * 1024;
  } else if (iequals_ascii(unit, "g")) {
    factor = 1024 * 1024 * 1024;
  } else {
    return std::nullopt;
  }
  const std::intmax_t max = INT_MAX;
  if ((number < 0 && -max / factor > number) || (number > 0 && max / factor < number)) {
    return std::nullopt;
  }
  return number != 0;
}

bool git_terminal_prompt_allowed() {
  const char* value = std::getenv("GIT_TERMINAL_PROMPT");
  if (value == nullptr) {
    return true;
  }
  return parse_git_bool(value).value_or(false);
}

} // namespace patrol
