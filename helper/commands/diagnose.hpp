#pragma once
// `diagnose [--probe] [URL]`: what git and patrol will do for a URL and why — git's
// version, the helpers git runs and their paths, the patrol settings in effect and where
// each comes from, the store and why, the keyrings reachable, the forge, CA and proxy,
// and with --probe one request to the forge. Prints no secret and changes nothing.
#include "helper/commands/commands.hpp"

namespace patrol::helper {

int run_diagnose(const Parsed& args);

} // namespace patrol::helper
