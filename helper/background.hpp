#pragma once
// Starts this program again, detached, to do work git must not wait for: its own session,
// no parent to reap it, none of git's file descriptors (git reads the helper's stdout
// until every copy of it is closed), and stdin/stdout/stderr on /dev/null.
#include <string>
#include <vector>

namespace patrol::helper {

// Runs `<this executable> <args...>` in the background; false when it could not start.
// args must never hold a secret: they are visible to every user in the process list.
bool run_detached(const std::vector<std::string>& args);

} // namespace patrol::helper
