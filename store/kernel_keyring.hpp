#pragma once
// The unlocked data key of the file store, kept in the kernel keyring for the login
// session (keyutils): a "user" key in the session keyring, which the kernel gives to every
// process of the session and to no one else, with a timeout after which the kernel drops
// it. Without a session keyring the kernel uses the user's session keyring instead.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "common/secret.hpp"

namespace patrol::store::kernel_keyring {

// The key's description for a file: one cached key per credential file.
std::string description_for(std::string_view file_path);

// The cached bytes, or nullopt when there are none (never cached, timed out, locked, or
// no kernel keyring in this environment, as in containers whose seccomp filter forbids it).
std::optional<Secret> read(const std::string& description);

// Caches bytes for `timeout`; Errc::unsupported when the kernel keyring is not available.
Result<void> write(const std::string& description, const Secret& bytes,
                   std::chrono::seconds timeout);

// Forgets the cached bytes; true when there were some.
bool remove(const std::string& description);

} // namespace patrol::store::kernel_keyring
