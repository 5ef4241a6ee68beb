#pragma once
// Durations as patrol's settings write them (fileUnlockTimeout, recheckInterval,
// warnEvery, forgeTimeout): one grammar, each caller with its own bound and default.
#include <chrono>
#include <optional>
#include <string_view>

namespace patrol {

// A whole number of seconds, or a whole number followed by one unit s, m, h or d (in
// either case): "90", "90s", "30m", "8h", "2d". No sign, space or fraction. nullopt for
// anything else, and for a duration longer than `limit`.
[[nodiscard]] std::optional<std::chrono::seconds> parse_duration(std::string_view text,
                                                                 std::chrono::seconds limit);

} // namespace patrol
