#pragma once
// Every line a person sees comes through here: one line, one prefix, on stderr, the
// kind ("error:", "warning:") coloured only when stderr is a terminal and NO_COLOR is unset.
// Messages and traces pass through shown() (common/text.hpp): control and bidi
// characters in them, which can only have come from a server or a store, are escaped.
#include <chrono>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace patrol::helper {

inline constexpr std::string_view program_name = "git-credential-patrol";

void say_error(std::string_view message);
void say_warning(std::string_view message);
void say(std::string_view message); // plain information, still on stderr
// Lines that belong under the line said before (steps, a list): on stderr without the
// program's name, each escaped like a message.
void say_more(std::string_view lines);
// What patrol does and why (command, request, settings, store, forge lookups, timings):
// nowhere unless PATROL_TRACE is set. PATROL_TRACE=1 (or true) writes to stderr; an
// absolute path appends to that file (created 0600, never through a symbolic link).
void trace(std::string_view message);
[[nodiscard]] bool tracing();
// A secret as a trace shows it: "<redacted>", or the value itself when
// PATROL_TRACE_SECRETS is set too (a warning line at the head of the trace says so).
[[nodiscard]] std::string traced_secret(std::string_view secret);

// Traces "<what> took N ms" when it goes out of scope.
class TraceTimer {
public:
  explicit TraceTimer(std::string what);
  TraceTimer(const TraceTimer&) = delete;
  TraceTimer& operator=(const TraceTimer&) = delete;
  ~TraceTimer();

private:
  std::string what_;
  std::chrono::steady_clock::time_point start_;
};

// Exit codes, the same for every command: 0 done (or nothing to do), 1 a failure at run
// time, 129 a usage error (Errc::usage: bad option, missing or extra argument, mistyped
// command), as git. Only `check` has more: 2 and 3 for what it found.
inline constexpr int usage_exit_code = 129;
int exit_code(const Error& error);
void report(const Error& error);
// report(), then exit_code(): what a command returns when it stops on the error.
int failed(const Error& error);

} // namespace patrol::helper
