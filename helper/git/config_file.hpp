#pragma once
// Reading git configuration files the way git's config.c does, without libgit2: section
// headers ([section], [section "subsection"], [section.subsection]), keys with or without
// '=', quoted values, escapes and continuation lines, comments, and [include] path=
// (relative to the including file, ~ expanded, missing files skipped, 10 levels deep).
// libgit2 costs milliseconds to start (it loads the TLS trust store); this costs
// microseconds, so `get` reads its settings here. Conditional includes ([includeIf]) and
// anything git would refuse are left to libgit2, which words git's errors.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace patrol::helper {

struct ConfigFileEntry {
  std::string name;                 // section.[subsection.]key: section and key lower-cased
  std::optional<std::string> value; // nullopt: the key was written without '='
};

enum class ConfigFileRead {
  done,    // read (or there is no such file: git skips it as well)
  ask_git, // an [includeIf], or text git would refuse: read the files through libgit2
};

// Appends the entries of the file at `path` (and of what it includes, in place) whose
// section is one of `sections` (lower-case names, e.g. "patrol"). Pure but for reading files.
// A file's bytes, or nullopt when it cannot be read.
std::optional<std::string> slurp(const std::string& path);

ConfigFileRead read_config_file(const std::string& path, std::span<const std::string_view> sections,
                                std::vector<ConfigFileEntry>& out);

// The same for a file's text; `path` resolves relative includes. For tests.
ConfigFileRead parse_config_text(std::string_view text, const std::string& path,
                                 std::span<const std::string_view> sections,
                                 std::vector<ConfigFileEntry>& out);

} // namespace patrol::helper
