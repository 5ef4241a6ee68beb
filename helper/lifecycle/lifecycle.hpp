#pragma once
// What a stored token's dates and scopes mean, and the words patrol says about them: the
// expiry warning, the refusal of an expired token, the reason git was refused, the
// missing push scope. Pure: the clock is a parameter, no I/O.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "forge/recognise.hpp"
#include "forge/token_api.hpp"
#include "store/record.hpp"

namespace patrol::helper {

inline constexpr std::int64_t seconds_per_day = 86400;

enum class Standing {
  fine,     // no known expiry, or further away than the warning window
  expiring, // inside the warning window
  expired,  // the expiry has passed, or the forge said so: not handed to git
  revoked,  // the forge said the token was revoked: not handed to git
};

struct Assessment {
  Standing standing = Standing::fine;
  std::optional<std::int64_t> days_left; // calendar days (UTC) until the expiry date
  bool stale = false; // never checked, or checked longer ago than the recheck interval
};

// warn_days 0 turns warnings off; recheck nullopt turns background checks off.
Assessment assess(const store::Record& record, std::int64_t now, std::int64_t warn_days,
                  std::optional<std::int64_t> recheck_seconds);

// Calendar days (UTC) from now's date to then's date: a GitLab token expiring on the
// 3rd of the month has 2 days left on the 1st, whatever the hour.
std::int64_t calendar_days(std::int64_t now, std::int64_t then);

// patrol.warnDays: a whole number of days, 0 to 3650.
Result<std::int64_t> parse_warn_days(std::string_view text);
// patrol.recheckInterval: seconds, or a number with s, m, h or d ("90s", "30m", "24h",
// "2d"); "0" or "never" turns background checks off (nullopt).
Result<std::optional<std::int64_t>> parse_interval(std::string_view text);
// patrol.warnEvery: how often get repeats a token's expiry warning.
struct WarnEvery {
  bool daily = true;        // once per calendar day (UTC), the default
  std::int64_t seconds = 0; // when not daily: at least this long apart; 0 at every get
};
// "daily", "always" (or "0"), or a duration as patrol.recheckInterval takes it ("12h", "7d").
Result<WarnEvery> parse_warn_every(std::string_view text);
// Whether get says the warning again, given when it last did (nullopt: never). A warning
// dated after now (a clock set back) is due, so a wrong date cannot silence it for good.
bool warning_due(std::optional<std::int64_t> warned_at, std::int64_t now, WarnEvery every);

// A git boolean: true/yes/on/1, false/no/off/0 and "" (case-insensitive).
Result<bool> parse_bool(std::string_view text);

// GitLab's maximum (and default) lifetime of a personal access token, in days.
inline constexpr std::int64_t gitlab_max_lifetime_days = 365;
// The lifetime asked for a rotated token, in days: twice the warning window, at least 30
// and at most GitLab's 365. Without one GitLab gives a week, inside the window, and every
// get would rotate again.
std::int64_t rotated_lifetime_days(std::int64_t warn_days);
// Why a GitLab token cannot be asked to expire on `date` (Unix seconds of its 00:00 UTC)
// at `now`: the date is not after today (a token dies at 00:00 UTC on its date), or it is
// beyond GitLab's maximum lifetime. Empty when it can.
std::string expiry_date_problem(std::int64_t date, std::int64_t now);

// `protocol://user@host/path` of a record, as `rotate` and `refresh` take it.
std::string record_url(const store::Record& record);

// The expiry warning's first line, the program's prefix included, is at most this long.
inline constexpr std::size_t warning_width = 100;

struct ExpiryWarning {
  std::string line;   // which token expires when, through shown(): at most `width` bytes
  std::string remedy; // what to do, with the renewal link: the second line; may be empty
};
// The warning get prints inside the window. The line drops what it can spare until it fits
// `width`: the date (the days left stay), then the token's name, then cuts the account.
ExpiryWarning expiry_warning(const store::Record& record, forge::ForgeKind kind, std::int64_t now,
                             std::size_t width);

// One line each, without the program prefix.
std::string expired_refusal(const store::Record& record, forge::ForgeKind kind, std::int64_t now);
std::string revoked_refusal(const store::Record& record, forge::ForgeKind kind);
// What `store` says when the forge calls the token it was given expired or revoked.
std::string dead_on_arrival(const store::Record& record, forge::ForgeKind kind);
// Why the forge refused the token git just used; empty when the answer explains nothing.
std::string rejection_reason(const store::Record& record, forge::ForgeKind kind,
                             const forge::TokenInfo& info, std::int64_t now);
// The warning for a token stored without the scope a push needs; empty when it has it.
std::string push_scope_warning(const store::Record& record, forge::ForgeKind kind);

} // namespace patrol::helper
