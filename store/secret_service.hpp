#pragma once
// The `secretservice` backend: items in the Secret Service (GNOME Keyring, KWallet) through
// libsecret, under git's own schema `org.git.Password`, so git-credential-libsecret and
// patrol find each other's items.
//
// Attributes (never confidential, never anything but these): user, object (path),
// protocol, server (host without port), port (only when the host has one). The secret,
// expiry, refresh token and patrol's own data live in the secret text (secret_text.hpp).
//
// Errors say which of three things happened: nothing matched (an empty result, not an
// error), the keyring is locked and could not be unlocked (Errc::store_locked), or no
// Secret Service can be reached (Errc::store_unavailable: no session bus, a bus that does
// not answer, or nothing on it providing org.freedesktop.secrets).
#include <memory>

#include "common/result.hpp"
#include "store/store.hpp"

namespace patrol::store {

// Connects to the session bus and checks that a Secret Service owns or can be started
// for org.freedesktop.secrets; the Secret Service itself is spoken to on first use.
Result<std::unique_ptr<Store>> open_secret_service();

} // namespace patrol::store
