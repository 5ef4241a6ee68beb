#pragma once
// OAuth in the helper: at get, a stored OAuth token about to expire is refreshed silently,
// and when nothing usable is stored and a person is at the terminal the device flow signs
// them in (the prompt on /dev/tty, never on stdout). login --oauth runs the flow on
// demand; logout revokes where the server offers RFC 7009 revocation.
#include <optional>

#include "common/result.hpp"
#include "helper/git/config.hpp"
#include "helper/git/protocol.hpp"
#include "store/record.hpp"
#include "store/store.hpp"

namespace patrol::helper {

// An OAuth token with a refresh token is kept alive by refresh: its hours-long lifetime is
// no reason for the lifecycle's expiry warnings.
bool refreshes_itself(const store::Record& record);

// get, between the store's answer and the lifecycle: the record to hand to git, or nullopt.
// An OAuth record expiring within a minute is refreshed (the new pair saved); a dead
// refresh token (invalid_grant) removes the record. With nothing usable left, the device
// flow runs when OAuth is configured for the URL, patrol.oauth is not never, /dev/tty opens
// and GIT_TERMINAL_PROMPT is not false; the new tokens are saved before git gets them.
std::optional<store::Record> refresh_or_sign_in(const Config& config, store::Store& store,
                                                std::optional<store::Record> found,
                                                const Credential& request);

// login --oauth: the device flow for target (protocol and host, perhaps a username), shown
// on the terminal, or on stderr when there is none (a person asked for it). The new record
// is saved; an error says why there is none.
Result<store::Record> oauth_login(const Config& config, store::Store& store,
                                  const Credential& target);

// logout: revokes an OAuth record's tokens (refresh token, then access token) where the
// server offers RFC 7009 revocation. false when there is nothing to revoke or nowhere to.
Result<bool> revoke_if_possible(const Config& config, const store::Record& record);

} // namespace patrol::helper
