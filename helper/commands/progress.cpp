#include "helper/commands/progress.hpp"

#include <cerrno>
#include <string>

#include <unistd.h>

#include "common/fd_io.hpp"
#include "common/text.hpp"
#include "helper/messages.hpp"

namespace patrol::helper {
namespace {

// Nothing to do when stderr fails: the wait goes on without its line.
void write_stderr(const std::string& text) { (void)write_all(STDERR_FILENO, text); }

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
  return std::string(host) + " did not answer (" + std::string(why) +
         "); nothing was lost: " + std::string(kept);
}

} // namespace patrol::helper
