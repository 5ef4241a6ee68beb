#pragma once
// What someone without an OAuth client id does to get one for a forge: the page to open on
// that host and the values to enter there (from the forge's preset), then the command that
// stores the id scoped to that host. Pure: text out, nothing sent.
#include <string>
#include <string_view>

#include "oauth/presets.hpp"

namespace patrol::helper {

// Indented lines: the page to open, the values to enter, the configure command. preset may
// be nullptr (a server patrol does not know: the steps are generic). origin is
// protocol://host[:port].
std::string registration_steps(const oauth::OAuthPreset* preset, std::string_view origin);

// One line for a terminal during `get`: where to register and how to store the id.
std::string registration_hint(const oauth::OAuthPreset& preset, std::string_view origin);

// `git credential-patrol configure --oauth ORIGIN CLIENT_ID[ CLIENT_SECRET]`.
std::string configure_command(const oauth::OAuthPreset* preset, std::string_view origin);

} // namespace patrol::helper
