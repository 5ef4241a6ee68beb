#pragma once
// The token lifecycle at each operation git runs: get warns, refuses an expired token,
// starts a background refresh of a stale record and may rotate (patrol.autoRotate);
// store learns a new token's expiry and scopes; erase explains why git was refused.
#include <cstdint>
#include <optional>
#include <string_view>

#include "helper/git/config.hpp"
#include "helper/lifecycle/lifecycle.hpp"
#include "helper/git/protocol.hpp"
#include "helper/lifecycle/token_lookup.hpp"
#include "store/record.hpp"
#include "store/store.hpp"

namespace patrol::helper {

struct LifecycleSettings {
  std::int64_t warn_days = 14;
  std::optional<std::int64_t> recheck_seconds = 86400; // nullopt: never
  bool auto_rotate = false;
  WarnEvery warn_every;
};

// patrol.warnDays, patrol.recheckInterval, patrol.autoRotate and patrol.warnEvery for url; a bad value is
// reported once as a warning and its default used, so that git keeps working.
LifecycleSettings lifecycle_settings(const Config& config, std::string_view url);

// The timeouts of a forge call a person waits on (login): patient_timeouts, with the
// whole exchange cut to patrol.forgeTimeout (seconds, or with s, m, h).
Timeouts person_timeouts(const Config& config, std::string_view url);

// get, before the record is handed to git: the record to hand (perhaps a rotated one), or
// nullopt when it must not be handed (expired). Inside the window it warns, at most once
// per patrol.warnEvery (a day): the warning's date is kept in the record. Never waits on the network unless
// patrol.autoRotate is on and the token is inside the warning window; the rotated token
// is asked to live twice the window (at least 30 days, at most 365).
std::optional<store::Record> on_get(const Config& config, store::Store& store,
                                    store::Record record, const Credential& request);

// store, before a new secret is saved: one short lookup at the forge (a host no setting
// or name makes known is asked once what it is: token_check.hpp); a failure leaves the
// expiry unknown and is traced. Warns when a push would need another scope.
void on_store(const Config& config, store::Record& record, const Credential& request);

// erase, before the rejected credential is deleted: says why the forge refused it.
void on_erase(const Config& config, store::Store& store, const Credential& request);

} // namespace patrol::helper
