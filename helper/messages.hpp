#pragma once
// Every line a person sees comes through here: one line, one prefix, on stderr.
#include <string_view>

#include "common/result.hpp"

namespace patrol::helper {

inline constexpr std::string_view program_name = "git-credential-patrol";

void say_error(std::string_view message);
void say_warning(std::string_view message);
void say(std::string_view message); // plain information, still on stderr
// Why something silently did not happen (a failed lookup, a skipped refresh): on stderr
// only when PATROL_TRACE is set and not 0.
void trace(std::string_view message);

// Exit codes: 0 done (or nothing to do), 1 a failure at run time, 2 bad input or usage.
int exit_code(const Error& error);
void report(const Error& error);

} // namespace patrol::helper
