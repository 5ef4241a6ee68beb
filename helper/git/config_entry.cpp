#include "helper/git/config_entry.hpp"

#include <cctype>

namespace patrol::helper {

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

std::string lowered(std::string_view text) {
  std::string out(text);
  for (char &c : out) {
    c = lower(c);
  }
  return out;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && lowered(a) == lowered(b);
}

bool in_sections(std::string_view name, Sections sections) {
  for (std::string_view section : sections) {
    if (name.size() > section.size() && name[section.size()] == '.' &&
        equals_ignoring_case(name.substr(0, section.size()), section)) {
      return true;
    }
  }
  return false;
}

} // namespace patrol::helper
