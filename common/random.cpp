#include "common/random.hpp"

#include <cerrno>

#include <sys/random.h>

namespace patrol {

Result<std::string> random_bytes(std::size_t count) {
  std::string bytes(count, '\0');
  std::size_t filled = 0;
  while (filled < count) {
    const ssize_t got = ::getrandom(bytes.data() + filled, count - filled, 0);
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got <= 0) {
      return fail(Errc::io, "the kernel gave no random bytes (getrandom failed); check that "
                            "/dev/urandom works in this environment");
    }
    filled += static_cast<std::size_t>(got);
  }
  return bytes;
}

} // namespace patrol
