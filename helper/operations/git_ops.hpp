#pragma once
// The three operations git runs: get, store and erase, with the semantics of git's own
// helpers (exact protocol/host/port/username matching, path only when git sends one).
#include "helper/commands/commands.hpp"

namespace patrol::helper {

int run_get(const Parsed& args);
int run_store(const Parsed& args);
int run_erase(const Parsed& args);
// git 2.46+: prints "version 0" and the capabilities patrol speaks (authtype, state).
int run_capability(const Parsed& args);

} // namespace patrol::helper
