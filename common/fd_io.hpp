#pragma once
// Writing to a file descriptor, in one place: write(2) may write less than asked (a pipe,
// a terminal) or be interrupted by a signal before it writes anything.
#include <string_view>

namespace patrol {

// Writes all of bytes to fd, writing the rest after a short write and trying again after
// EINTR. false when a write fails (errno says why; EIO when write(2) wrote nothing without
// an error), with an unknown part of bytes written.
[[nodiscard]] bool write_all(int fd, std::string_view bytes);

} // namespace patrol
