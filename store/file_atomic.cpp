#include "store/file_atomic.hpp"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

#include "common/fd_io.hpp"
#include "common/test_hooks.hpp"

namespace patrol::store {
namespace {

std::string directory_of(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) {
    return ".";
  }
  return slash == 0 ? "/" : path.substr(0, slash);
}

tl::unexpected<Error> write_failed(const std::string& path, int error) {
  std::string cause = std::strerror(error);
  if (error == ENOSPC || error == EDQUOT) {
    cause = "no space left on the device";
  }
  return fail(Errc::io, "cannot write " + path + " (" + cause + "); its previous content is kept");
}

} // namespace

Result<void> write_atomically(const std::string& path, std::string_view bytes) {
  std::string temporary = path + ".tmp-" + std::to_string(::getpid());
  const int fd =
      ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    return write_failed(path, errno);
  }
  if (!write_all(fd, bytes) || ::fsync(fd) != 0) {
    const int error = errno;
    ::close(fd);
    ::unlink(temporary.c_str());
    return write_failed(path, error);
  }
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    return write_failed(path, error);
  }
  test_hook(Hook::pause_before_rename);
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    return write_failed(path, error);
  }
  const int directory = ::open(directory_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (directory >= 0) {
    ::fsync(directory);
    ::close(directory);
  }
  return {};
}

} // namespace patrol::store
