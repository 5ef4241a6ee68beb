#include "store/file_lock.hpp"

#include <cerrno>
#include <cstring>
#include <thread>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/test_hooks.hpp"

namespace patrol::store {

Result<FileLock> FileLock::acquire(const std::string& path, std::chrono::milliseconds patience) {
  Result<std::optional<FileLock>> lock = try_acquire(path, patience);
  if (!lock) {
    return tl::unexpected(lock.error());
  }
  if (!*lock) {
    return fail(Errc::store_failed, "another git-credential-patrol process has held " + path +
                                        " for too long; try again");
  }
  return std::move(**lock);
}

Result<std::optional<FileLock>> FileLock::try_acquire(const std::string& path,
                                                      std::chrono::milliseconds patience) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    return fail(Errc::io, "cannot open the lock file " + path + ": " + std::strerror(errno));
  }
  const auto deadline = std::chrono::steady_clock::now() + patience;
  std::chrono::milliseconds pause(1);
  bool waited = false;
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      const int error = errno;
      ::close(fd);
      return fail(Errc::io, "cannot lock " + path + ": " + std::strerror(error));
    }
    if (!waited) {
      waited = true;
      test_hook(Hook::pause_on_held_lock);
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      ::close(fd);
      return std::optional<FileLock>();
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
  return std::optional<FileLock>(FileLock(fd));
}

std::optional<FileLock> FileLock::adopt(const std::string& path, int fd) {
  struct stat held {};
  struct stat named {};
  if (fd < 0 || ::fstat(fd, &held) != 0 || ::stat(path.c_str(), &named) != 0 ||
      held.st_dev != named.st_dev || held.st_ino != named.st_ino) {
    return std::nullopt;
  }
  // Through the open description that already holds it, flock succeeds at once; it fails
  // only when another process holds the lock.
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    return std::nullopt;
  }
  ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  return FileLock(fd);
}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) {
      ::close(fd_);
    }
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

FileLock::~FileLock() {
  if (fd_ >= 0) {
    ::close(fd_); // closing the last descriptor releases the flock
  }
}

} // namespace patrol::store
