#pragma once
// A get's conversation with the Secret Service, spoken directly on the session bus
// (store/dbus/), without libsecret and GLib: git runs a get on every HTTPS operation, and
// libsecret's search-and-load is 18 D-Bus calls for one found credential plus GLib's type
// system brought up for it. Here a found credential is a search, its attributes, one
// session and one secret; a miss is the search alone.
//
// The guarantees are libsecret's: items are found by the same attributes and chosen the
// same way (secret_item.hpp, match.hpp); the secret travels in the same encrypted session
// (dh-ietf1024-sha256-aes128-cbc-pkcs7, secret_session.hpp; "plain" only where the service
// offers nothing else, as libsecret falls back); a locked item is unlocked through the
// service's own prompt, as SECRET_SEARCH_UNLOCK does; and an item deleted between the
// search and its reading is searched for again. Writes, erases and listings stay with
// libsecret (secret_service.cpp).
//
// Every function answers Errc::unsupported when the session bus's address is of a kind
// only GLib speaks (tcp:, autolaunch:, launchd: ...): the caller then takes libsecret's path.
#include <optional>
#include <string>

#include "common/result.hpp"
#include "store/record.hpp"

namespace patrol::store::secret_direct {

// What find() of SecretServiceStore does for a query without a password. may_prompt false
// (git's credential.interactive=false): a locked keyring is not unlocked.
Result<std::optional<Record>> find(const Query& query, bool may_prompt);

// Whether something owns the Secret Service's bus name or the bus can start it.
Result<bool> service_present(const std::string& name);

// The object path of the service's "default" alias ("/" when it has none); store_unavailable
// when the service does not answer within a few seconds (the auto store's probe: git waits).
Result<std::string> default_alias();

} // namespace patrol::store::secret_direct
