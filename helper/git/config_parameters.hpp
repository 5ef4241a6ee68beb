#pragma once
// Configuration given on git's command line (`git -c key=value`), as git hands it to its
// helpers: GIT_CONFIG_COUNT with GIT_CONFIG_KEY_n and GIT_CONFIG_VALUE_n, then
// GIT_CONFIG_PARAMETERS (shell-quoted words), read as git's config.c reads them.
#include <vector>

#include "common/result.hpp"
#include "helper/git/config_entry.hpp"

namespace patrol::helper {

// Appends every command-line entry, in git's order; an error is text git would refuse.
Result<void> read_command_line(std::vector<ConfigEntry>& out);

} // namespace patrol::helper
