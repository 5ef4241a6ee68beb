#include "helper/git/config_entry.hpp"

#include "common/ascii.hpp"

namespace patrol::helper {

bool in_sections(std::string_view name, Sections sections) {
  for (std::string_view section : sections) {
    if (name.size() > section.size() && name[section.size()] == '.' &&
        iequals_ascii(name.substr(0, section.size()), section)) {
      return true;
    }
  }
  return false;
}

} // namespace patrol::helper
