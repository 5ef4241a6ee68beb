#pragma once
// `git credential-patrol rotate URL [--expires-at YYYY-MM-DD]`: rotates the stored GitLab
// token now (helper/lifecycle/rotation.hpp), asking for the given expiry or the default one.
#include "helper/commands/commands.hpp"

namespace patrol::helper {

int run_rotate(const Parsed& args);

} // namespace patrol::helper
