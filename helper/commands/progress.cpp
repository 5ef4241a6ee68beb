#include "helper/commands/progress.hpp"

#include <cerrno>
#include <string>

#include <unistd.h>

#include "common/text.hpp"
#include "helper/messages.hpp"

namespace patrol::helper {
namespace {

void write_stderr(const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(STDERR_FILENO, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return;
    }
    done += static_cast<std::size_t>(n);
  }
}

} // namespace

Waiting::Waiting(std::string_view what) {
  if (isatty(STDERR_FILENO) != 1) {
    return;
  }
  // No newline: the line is taken back with a carriage return when the wait is over.
  write_stderr(std::string(program_name) + ": " + shown(what) + "\u2026");
  shown_ = true;
}

Waiting::~Waiting() {
  if (shown_) {
    write_stderr("\r\033[K");
  }
}

std::string did_not_answer(std::string_view host, std::string_view why, std::string_view kept) {
  return std::string(host) + " did not answer (" + std::string(why) + "); nothing was lost: " +
         std::string(kept);
}

} // namespace patrol::helper
