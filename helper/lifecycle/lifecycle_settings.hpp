#pragma once
// The lifecycle's settings for a URL, read once per operation: how early to warn, how often
// to ask the forge again, whether to rotate, how often to repeat a warning, and how long a
// person waits on a forge. A bad value is a warning and its default, so git keeps working.
#include <cstdint>
#include <optional>
#include <string_view>

#include "helper/git/config.hpp"
#include "helper/lifecycle/lifecycle.hpp"
#include "helper/lifecycle/token_lookup.hpp"

namespace patrol::helper {

struct LifecycleSettings {
  std::int64_t warn_days = 14;
  std::optional<std::int64_t> recheck_seconds = 86400; // nullopt: never
  bool auto_rotate = false;
  WarnEvery warn_every;
};

// patrol.warnDays, patrol.recheckInterval, patrol.autoRotate and patrol.warnEvery for url; a bad
// value is reported once as a warning and its default used, so that git keeps working.
LifecycleSettings lifecycle_settings(const Config& config, std::string_view url);

// The timeouts of a forge call a person waits on (login): patient_timeouts, with the
// whole exchange cut to patrol.forgeTimeout (seconds, or with s, m, h).
Timeouts person_timeouts(const Config& config, std::string_view url);

} // namespace patrol::helper
