#pragma once
// `configure` and `unconfigure`: the only commands that change the user's git config.
// configure adds `credential.helper=` (an empty value, which makes git forget helpers
// set in files read earlier) then `credential.helper=patrol`, to the global (default)
// or system file, or the same under credential.<url>.helper; unconfigure removes exactly
// that pair. Both write through `git config`, git's own writer with its locking.
#include "helper/commands/commands.hpp"

namespace patrol::helper {

int run_configure(const Parsed& args);
int run_unconfigure(const Parsed& args);

} // namespace patrol::helper
