#pragma once
// git's booleans, in one place: what git_parse_maybe_bool accepts for a config value or an
// environment variable (GIT_TERMINAL_PROMPT, GIT_CONFIG_NOSYSTEM, quit=, ...).
#include <optional>
#include <string_view>

namespace patrol {

// true/yes/on and false/no/off in any case, "" as false, else an integer as git_parse_int
// reads it (strtoimax base 0, an optional k/m/g factor, within int) meaning nonzero;
// anything else is nullopt (git would refuse it).
[[nodiscard]] std::optional<bool> parse_git_bool(std::string_view value);

// GIT_TERMINAL_PROMPT as git reads it (git_env_bool, default true): false forbids asking on
// the terminal. A value git would refuse also forbids it: git itself would die before asking.
[[nodiscard]] bool git_terminal_prompt_allowed();

} // namespace patrol
