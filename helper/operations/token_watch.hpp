#pragma once
// The token lifecycle at each operation git runs: get warns, refuses an expired token,
// starts a background refresh of a stale record and may rotate (patrol.autoRotate);
// store learns a new token's expiry and scopes; erase explains why git was refused.
#include <optional>
#include <string_view>

#include "helper/git/config.hpp"
#include "helper/git/protocol.hpp"
#include "store/record.hpp"
#include "store/store.hpp"

namespace patrol::helper {

// get, before the record is handed to git: the record to hand (perhaps a rotated one), or
// nullopt when it must not be handed (expired). Inside the window it warns, at most once
// per patrol.warnEvery (a day): the warning's date is kept in the record. Never waits on the
// network unless patrol.autoRotate is on and the token is inside the warning window; the rotated
// token is asked to live twice the window (at least 30 days, at most 365).
std::optional<store::Record> check_before_serving(const Config& config, store::Store& store,
                                                  store::Record record, const Credential& request);

// store, before a new secret is saved: one short lookup at the forge (a host no setting
// or name makes known is asked once what it is: token_check.hpp); a failure leaves the
// expiry unknown and is traced. Warns when a push would need another scope.
void learn_new_token(const Config& config, store::Record& record, const Credential& request);

// erase, before the rejected credential is deleted: says why the forge refused it.
void explain_refusal(const Config& config, store::Store& store, const Credential& request);

} // namespace patrol::helper
