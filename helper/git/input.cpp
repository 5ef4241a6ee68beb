#include "helper/git/input.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>
#include <unistd.h>
#include <utility>

#include "common/secret.hpp"
#include "helper/git/protocol.hpp"

namespace patrol::helper {
namespace {

bool ends_with(std::string_view text, std::string_view tail) {
  return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

// The request ends with a blank line: "\n" or "\r\n" at the start or after a "\n".
bool complete(std::string_view text) {
  return text == "\n" || text == "\r\n" || ends_with(text, "\n\n") || ends_with(text, "\n\r\n");
}

// How many bytes can be read without risking to read past the blank line: one where the
// next byte could end it, else two (a blank line needs at least "\n\n").
std::size_t safe_step(std::string_view text) {
  const bool one_byte_from_end =
      text.empty() || text == "\r" || ends_with(text, "\n") || ends_with(text, "\n\r");
  return one_byte_from_end ? 1 : 2;
}

// Grows the buffer without leaving copies of its bytes behind in freed memory.
void make_room(std::string& buffer, std::size_t extra) {
  if (buffer.size() + extra <= buffer.capacity()) {
    return;
  }
  std::string bigger;
  bigger.reserve(std::max(buffer.capacity() * 2, buffer.size() + extra));
  bigger = buffer;
  wipe(buffer);
  buffer = std::move(bigger);
}

} // namespace

Result<std::string> read_request(int fd) {
  constexpr std::size_t limit = max_input_bytes + 1;
  std::string buffer;
  buffer.reserve(4096);
  while (!complete(buffer)) {
    if (buffer.size() >= limit) {
      wipe(buffer);
      return fail(Errc::invalid_input, "credential input longer than 1 MiB");
    }
    char bytes[2];
    const std::size_t want = std::min(safe_step(buffer), limit - buffer.size());
    const ssize_t got = ::read(fd, bytes, want);
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      const int error = errno;
      wipe(buffer);
      return fail(Errc::io,
                  std::string("cannot read the credential request: ") + std::strerror(error));
    }
    if (got == 0) {
      break;
    }
    make_room(buffer, static_cast<std::size_t>(got));
    buffer.append(bytes, static_cast<std::size_t>(got));
  }
  return buffer;
}

} // namespace patrol::helper
