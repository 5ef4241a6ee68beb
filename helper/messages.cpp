#include "helper/messages.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

#include "common/fd_io.hpp"
#include "common/private_file.hpp"
#include "common/text.hpp"

namespace patrol::helper {
namespace {

bool env_set(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0';
}

// https://no-color.org: any non-empty NO_COLOR turns colour off.
bool colour_wanted() {
  static const bool wanted = !env_set("NO_COLOR") && isatty(STDERR_FILENO) == 1;
  return wanted;
}

void emit(int fd, std::string_view kind, std::string_view colour, std::string_view message) {
  std::string line;
  line.reserve(program_name.size() + kind.size() + message.size() + 16);
  line.append(program_name).append(": ");
  if (!kind.empty() && !colour.empty() && fd == STDERR_FILENO && colour_wanted()) {
    line.append(colour).append(kind).append("\033[0m");
  } else {
    line.append(kind);
  }
  // One line whatever the message holds, and nothing in it acts on the terminal: a
  // message may carry a server's words (token names, scopes, error descriptions).
  line.append(shown(message)).push_back('\n');
  // Whole lines in one write(2), so lines from parallel git processes do not interleave;
  // a message that cannot be written has nowhere else to go.
  (void)write_all(fd, line);
}

// Where traces go: -1 nowhere, else a file descriptor (stderr or the PATROL_TRACE file).
int open_trace() {
  const char* wanted = std::getenv("PATROL_TRACE");
  if (wanted == nullptr || *wanted == '\0') {
    return -1;
  }
  const std::string_view value = wanted;
  if (value == "0" || value == "false") {
    return -1;
  }
  if (!value.starts_with('/')) {
    return STDERR_FILENO; // 1, true, or anything but a path
  }
  Result<int> fd = open_private_append(std::string(value));
  if (!fd) {
    emit(STDERR_FILENO, "warning: ", "\033[1;33m",
         "cannot write the trace to " + std::string(value) +
             " (PATROL_TRACE): " + fd.error().message +
             "; give an absolute path to a new file, or to a file of yours that nobody else "
             "may write, not a symbolic link");
    return -1;
  }
  return *fd;
}

struct TraceTarget {
  int fd = -1;
  bool secrets = false; // PATROL_TRACE_SECRETS, honoured only where others cannot read
};

const TraceTarget& trace_target() {
  static const TraceTarget target = [] {
    TraceTarget made{open_trace(), false};
    if (made.fd < 0 || !env_set("PATROL_TRACE_SECRETS")) {
      return made;
    }
    struct stat info {};
    if (made.fd != STDERR_FILENO && (::fstat(made.fd, &info) != 0 || (info.st_mode & 077) != 0)) {
      emit(STDERR_FILENO, "warning: ", "\033[1;33m",
           "PATROL_TRACE_SECRETS is ignored: others may read the trace file; chmod 600 it "
           "first");
      return made;
    }
    made.secrets = true;
    emit(made.fd, "trace: ", "",
         "PATROL_TRACE_SECRETS is set: this trace shows secrets in clear; delete it after use");
    return made;
  }();
  return target;
}

int trace_fd() { return trace_target().fd; }

} // namespace

void say_error(std::string_view message) { emit(STDERR_FILENO, "error: ", "\033[1;31m", message); }
void say_warning(std::string_view message) {
  emit(STDERR_FILENO, "warning: ", "\033[1;33m", message);
}
void say(std::string_view message) { emit(STDERR_FILENO, "", "", message); }

void say_more(std::string_view lines) {
  std::string out;
  while (!lines.empty()) {
    const std::size_t end = std::min(lines.find('\n'), lines.size());
    out.append(shown(lines.substr(0, end))).push_back('\n');
    lines.remove_prefix(std::min(end + 1, lines.size()));
  }
  (void)write_all(STDERR_FILENO, out);
}

bool tracing() { return trace_fd() >= 0; }

void trace(std::string_view message) {
  if (const int fd = trace_fd(); fd >= 0) {
    emit(fd, "trace: ", "", message);
  }
}

std::string traced_secret(std::string_view secret) {
  if (trace_target().secrets) {
    return std::string(secret);
  }
  return secret.empty() ? "<empty>" : "<redacted>";
}

TraceTimer::TraceTimer(std::string what)
    : what_(std::move(what)), start_(std::chrono::steady_clock::now()) {}

TraceTimer::~TraceTimer() {
  if (tracing()) {
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start_);
    trace(what_ + " took " + std::to_string(elapsed.count()) + " ms");
  }
}

int exit_code(const Error& error) { return error.code == Errc::usage ? usage_exit_code : 1; }

void report(const Error& error) { say_error(error.message); }

int failed(const Error& error) {
  report(error);
  return exit_code(error);
}

} // namespace patrol::helper
