#pragma once
// `git credential-patrol status`: what is stored where; never a secret.
#include "helper/commands.hpp"

namespace patrol::helper {

int run_status(Args args);

} // namespace patrol::helper
