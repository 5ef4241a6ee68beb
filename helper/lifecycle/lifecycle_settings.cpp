#include "helper/lifecycle/lifecycle_settings.hpp"

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>

#include "helper/messages.hpp"

namespace patrol::helper {
namespace {

template <class T> T setting(Result<T> parsed, T fallback) {
  if (parsed) {
    return std::move(*parsed);
  }
  say_warning(parsed.error().message + "; using the default");
  return fallback;
}

} // namespace

LifecycleSettings lifecycle_settings(const Config& config, std::string_view url) {
  LifecycleSettings out;
  if (std::optional<std::string> text = config.get(Setting::warnDays, url)) {
    out.warn_days = setting(parse_warn_days(*text), out.warn_days);
  }
  if (std::optional<std::string> text = config.get(Setting::recheckInterval, url)) {
    out.recheck_seconds = setting(parse_interval(*text), out.recheck_seconds);
  }
  if (std::optional<std::string> text = config.get(Setting::autoRotate, url)) {
    Result<bool> parsed = parse_bool(*text);
    if (!parsed) {
      parsed = fail(Errc::config, "patrol.autoRotate: " + parsed.error().message);
    }
    out.auto_rotate = setting(std::move(parsed), false);
  }
  if (std::optional<std::string> text = config.get(Setting::warnEvery, url)) {
    out.warn_every = setting(parse_warn_every(*text), out.warn_every);
  }
  return out;
}

Timeouts person_timeouts(const Config& config, std::string_view url) {
  Timeouts out = patient_timeouts;
  const std::optional<std::string> text = config.get(Setting::forgeTimeout, url);
  if (!text) {
    return out;
  }
  Result<std::optional<std::int64_t>> parsed = parse_interval(*text);
  Result<std::int64_t> seconds =
      parsed && *parsed && **parsed > 0
          ? Result<std::int64_t>(**parsed)
          : fail(Errc::config, "patrol.forgeTimeout must be seconds, or a number with s, m or "
                               "h (like 30s), not '" +
                                   *text + "'");
  out.total = std::chrono::seconds(setting(std::move(seconds), std::int64_t{30}));
  out.connect = std::min(out.connect, out.total);
  return out;
}

} // namespace patrol::helper
