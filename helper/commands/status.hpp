#pragma once
// `git credential-patrol status [--json]`: what is stored where, and what is known of each
// token (name, expiry, days left, scopes, last checked); never a secret.
#include "helper/commands/commands.hpp"

namespace patrol::helper {

int run_status(const Parsed& args);

} // namespace patrol::helper
