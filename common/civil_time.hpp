#pragma once
// The project's one date parser and formatter: forge dates to Unix seconds and back.
// Pure: no clock, no time zone database, no locale.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace patrol {

// "YYYY-MM-DD" → Unix seconds at 00:00 UTC on that day (when a GitLab token dies).
std::optional<std::int64_t> parse_date(std::string_view text);

// "YYYY-MM-DD HH:MM:SS UTC" or "YYYY-MM-DD HH:MM:SS +hhmm" / "-hhmm" (GitHub's
// GitHub-Authentication-Token-Expiration), and RFC 3339 "YYYY-MM-DDTHH:MM:SS[.fff](Z|±hh:mm)".
std::optional<std::int64_t> parse_timestamp(std::string_view text);

// Unix seconds → "YYYY-MM-DD" (UTC).
std::string format_date(std::int64_t unix_seconds);
// Unix seconds → "YYYY-MM-DD HH:MM UTC".
std::string format_timestamp(std::int64_t unix_seconds);

// Whole days from `now` until `then`, rounded down; negative once `then` has passed.
std::int64_t days_until(std::int64_t now, std::int64_t then);

} // namespace patrol
