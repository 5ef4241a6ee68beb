#pragma once
// The `secretservice` backend: items in the Secret Service (GNOME Keyring, KWallet), with
// the attributes of git's own git-credential-libsecret, so each finds the other's items
// (secret_item.hpp). git's get reads the keyring directly over D-Bus
// (secret_service_direct.hpp); writes, erases and listings go through libsecret, loaded
// when first needed.
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
// probe), so the check is skipped. `may_prompt` false (git's credential.interactive=false):
// a locked keyring is reported, never unlocked through the service's prompt.
Result<std::unique_ptr<Store>> open_secret_service(bool answered = false, bool may_prompt = true);

} // namespace patrol::store
