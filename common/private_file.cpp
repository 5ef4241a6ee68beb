#include "common/private_file.hpp"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace patrol {

Result<int> open_private_append(const std::string& path) {
  constexpr int flags = O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC;
  const int created = ::open(path.c_str(), flags | O_CREAT | O_EXCL, 0600);
  if (created >= 0) {
    return created;
  }
  if (errno != EEXIST) {
    return fail(Errc::io, std::strerror(errno));
  }
  // O_NONBLOCK: a FIFO planted at the path must not hang the open; it is refused below.
  const int fd = ::open(path.c_str(), flags | O_NONBLOCK);
  if (fd < 0) {
    // ENXIO: a FIFO nobody reads.
    return fail(Errc::io, errno == ELOOP   ? "it is a symbolic link"
                          : errno == ENXIO ? "it is not a regular file"
                                           : std::strerror(errno));
  }
  struct stat info {};
  const char* refused = nullptr;
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    refused = "it is not a regular file";
  } else if (info.st_uid != ::geteuid()) {
    refused = "it is not yours";
  } else if ((info.st_mode & 022) != 0) {
    refused = "others may write it";
  }
  if (refused != nullptr) {
    ::close(fd);
    return fail(Errc::io, refused);
  }
  const int status = ::fcntl(fd, F_GETFL);
  if (status >= 0) {
    ::fcntl(fd, F_SETFL, status & ~O_NONBLOCK);
  }
  return fd;
}

} // namespace patrol
