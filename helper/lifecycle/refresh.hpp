#pragma once
// `git-credential-patrol refresh URL`, started detached by get for a stale record: asks
// the forge about the stored token again and keeps the answer, so a token revoked,
// extended or rotated elsewhere is noticed. The secret comes from the store, never argv.
#include "helper/commands/commands.hpp"

namespace patrol::helper {

int run_refresh(const Parsed& args);

} // namespace patrol::helper
