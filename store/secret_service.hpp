#pragma once
// The `secretservice` backend: items in the Secret Service (GNOME Keyring, KWallet) through
// libsecret, with the attributes of git's own git-credential-libsecret, so each finds the
// other's items. Searches ignore the schema name (git's `org.git.Password` with
// DONT_MATCH_NAME); items are written as `org.gnome.keyring.NetworkPassword`, the one name
// that git 2.39's helper (which matches the name) and newer git's (which does not) both find.
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
// `answered`: the caller has just had an answer from the Secret Service (the auto store's
// probe), so the check is skipped.
Result<std::unique_ptr<Store>> open_secret_service(bool answered = false);

} // namespace patrol::store
