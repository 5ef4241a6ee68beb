#pragma once
// GitLab token rotation, the step both the `rotate` command (helper/commands/rotate.hpp)
// and patrol.autoRotate take. GitLab revokes the old token the moment it answers, so the
// new one is never lost: if it cannot be stored it is shown once on the terminal.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "helper/git/config.hpp"
#include "helper/lifecycle/token_lookup.hpp"
#include "store/record.hpp"
#include "store/store.hpp"

namespace patrol::helper {

struct Rotation {
  store::Record record;                       // the new token and what GitLab says of it
  bool rotated = true;                        // false: another process rotated it first (record is
                                              // what it stored)
  std::optional<Error> store_failure;         // set when it could not be stored (it was shown)
  std::optional<std::int64_t> old_expires_at; // the rotated token's expiry, when known
};

// Rotates old's token at its GitLab, asking for a token that expires on expires_at
// (YYYY-MM-DD), and saves the new one in store before anything else. Single flight per
// credential (flight.hpp): under the credential's lock the store is read again; a token it
// no longer holds is never rotated, and a token another process rotated meanwhile is
// returned as it stored it. The save is a compare-and-swap against old. An error means
// nothing was rotated (the old token still stands, or GitLab said why it does not).
Result<Rotation> rotate_record(const Config& config, store::Store& store, const store::Record& old,
                               const std::string& expires_at, Timeouts timeouts);

// The expiry asked for a rotated token when none is given: today plus
// rotated_lifetime_days of the URL's warning window, as YYYY-MM-DD.
std::string default_rotation_expiry(const Config& config, std::string_view url);

// "rotated token 'NAME' for URL: the new token expires on DATE, the old one was to expire
// on DATE and no longer works".
std::string rotated_message(const Rotation& rotation);

} // namespace patrol::helper
