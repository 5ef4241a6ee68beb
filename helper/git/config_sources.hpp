#pragma once
// The configuration files git would read from here (system, XDG, global, the repository's
// and its worktree's), honouring GIT_CONFIG_NOSYSTEM, GIT_CONFIG_SYSTEM, GIT_CONFIG_GLOBAL
// and GIT_DIR. The user's files are read by patrol's own reader (helper/git/config_file.hpp);
// libgit2, which costs milliseconds to start, only for an [includeIf], a file the reader
// leaves to git, or a repository config that could hold one of the sections.
#include <vector>

#include "common/result.hpp"
#include "helper/git/config_entry.hpp"

namespace patrol::helper {

// The entries of the sections from every file, in the order git reads them. A file git
// would reject is an Errc::config error naming it; an unreadable one is skipped, as git
// skips it.
Result<std::vector<ConfigEntry>> read_config_files(Sections sections);

} // namespace patrol::helper
