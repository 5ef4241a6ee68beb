#pragma once
// The URL a credential request stands for, as git forms it to match credential.<url> and
// http.<url> settings: protocol://[user@]host[/path], user and path percent-encoded.
#include <string>

#include "helper/git/protocol.hpp"

namespace patrol::helper {

std::string credential_url(const Credential& credential);

// protocol://host[:port], without user or path: what host-scoped settings are scoped to.
std::string credential_origin(const Credential& credential);

} // namespace patrol::helper
