#pragma once
// Asking a person for a passphrase on the controlling terminal (/dev/tty, not stdin,
// which belongs to git's protocol), with echo off.
#include <optional>
#include <string_view>

#include "common/result.hpp"
#include "common/secret.hpp"

namespace patrol::store {

// Whether a controlling terminal can be opened.
bool terminal_available();

// The line typed (without its newline); nullopt when there is no terminal.
Result<std::optional<Secret>> ask_hidden(std::string_view prompt);

} // namespace patrol::store
