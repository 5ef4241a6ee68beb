#pragma once
// One entry of git's configuration as the readers hand it on ("section.subsection.key" and
// its value), and how names compare: as git compares section and key names, ignoring ASCII
// case.
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace patrol::helper {

struct ConfigEntry {
  std::string name;                 // full key, e.g. patrol.https://h.example.store
  std::optional<std::string> value; // nullopt: written without '=' (an implicit true)
};

// Section names, lower-case: {"patrol", "credential"}.
using Sections = std::span<const std::string_view>;

// Whether name ("section.rest") is in one of the sections, compared as git compares
// section names (case-insensitively; libgit2 gives them lower-cased).
bool in_sections(std::string_view name, Sections sections);

} // namespace patrol::helper
