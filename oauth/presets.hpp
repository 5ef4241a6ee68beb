#pragma once
// The OAuth device-flow facts of a forge kind, as its row of the forge table holds them
// (forge/forges.hpp): endpoints relative to the forge's own host, scopes, the username git
// sends with the token, how to register an application.
#include <string>
#include <string_view>

#include "forge/forges.hpp"

namespace patrol::oauth {

using OAuthPreset = forge::OAuthPreset;

// The preset of the forge kind named `forge` ("gitlab"), or nullptr.
const OAuthPreset* oauth_preset(std::string_view forge);

// protocol://host + path, for a preset's endpoints on one host.
std::string endpoint_on(std::string_view protocol, std::string_view host, std::string_view path);

} // namespace patrol::oauth
