#pragma once
// Starts this program again, detached, to do work git must not wait for: its own session,
// no parent to reap it, none of git's file descriptors (git reads the helper's stdout
// until every copy of it is closed), and stdin/stdout/stderr on /dev/null.
#include <string>
#include <vector>

namespace patrol::helper {

// The descriptor number a kept descriptor has in the detached process.
inline constexpr int kept_fd = 3;

// Runs `<this executable> <args...>` in the background; false when it could not start.
// args must never hold a secret: they are visible to every user in the process list.
// keep, when not -1, is handed to the process as descriptor kept_fd (a lock it takes over).
bool run_detached(const std::vector<std::string>& args, int keep = -1);

} // namespace patrol::helper
