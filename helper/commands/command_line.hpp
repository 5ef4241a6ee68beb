#pragma once
// One parser for every command's arguments, driven by the command table: options (long
// name, alias, "--name VALUE" or "--name=VALUE"), operands counted against the entry's
// minimum and maximum, "--" ending the options, --help and -h. Pure: no I/O here, so the
// wording of every usage error is in this one file.
//
// Usage errors are Errc::usage (exit 129, as git): one line, what is wrong and then either
// "did you mean X?" or the command's usage line.
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "helper/commands/commands.hpp"
#include "helper/git/protocol.hpp"

namespace patrol::helper {

Result<Parsed> parse_command_line(const Command& command, Args args);

// "usage: git credential-patrol status [--json]"
std::string usage_line(const Command& command);
// The usage line, the summary and one line per option: what `CMD --help` prints.
std::string command_help(const Command& command);

// The usage errors, one wording each, for a command to report what only it can judge.
Error usage_error(const Command& command, std::string_view what);
Error too_many_arguments(const Command& command, std::string_view first_extra);
Error missing_argument(const Command& command, std::string_view which);
Error bad_value(const Command& command, std::string_view option, std::string_view value,
                std::string_view wanted);

// The candidate closest to `word` when it is close enough to be a typo of it (an edit or
// two, transpositions counting as one), else nullopt.
std::optional<std::string_view> closest(std::string_view word,
                                        std::span<const std::string_view> candidates);

// What to do with argv[1] when it names no command. nullopt: stay silent, it may be an
// operation of a newer git (git runs `git-credential-patrol OP` with the request on stdin
// and nothing after OP). Else the usage error for a person's mistyped command: it has
// arguments after it, is close to one of the commands, or there is no request on stdin
// (a terminal, or nothing at all as from cron's </dev/null).
std::optional<Error> unknown_command(std::string_view name, bool has_arguments,
                                     bool request_on_stdin);

// A URL given as an argument: one without a scheme ("gitlab.example.com/group") is taken
// as https://. The same for every command that takes a URL.
std::string url_with_scheme(std::string_view text);
// The URL argument parsed as git would send it: protocol and host at least, and no
// password (argv is visible to every user of the machine). Errors are usage errors.
Result<Credential> url_argument(const Command& command, std::string_view text);

} // namespace patrol::helper
