#pragma once
// An exclusive lock on the credential file's companion lock file (flock), held by one
// process's read-modify-write at a time, so parallel git processes lose no update. The
// lock file is separate because the credential file itself is replaced by rename.
#include <chrono>
#include <optional>
#include <string>

#include "common/result.hpp"

namespace patrol::store {

class FileLock {
public:
  // Waits at most `patience` for the lock: a stuck holder ends in an error, never a hang.
  static Result<FileLock> acquire(const std::string& path, std::chrono::milliseconds patience);
  // The same, but nullopt when another process still holds it after `patience` (zero: one
  // try), so the caller can say what it does instead.
  static Result<std::optional<FileLock>> try_acquire(const std::string& path,
                                                     std::chrono::milliseconds patience);
  // Takes over fd when it is an open description of `path` that holds the lock (a
  // descriptor inherited from the process that took it); nullopt otherwise.
  static std::optional<FileLock> adopt(const std::string& path, int fd);

  // The descriptor, for handing the lock to a child process; the lock stays held while
  // any copy of it is open.
  [[nodiscard]] int fd() const { return fd_; }

  FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();

private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

} // namespace patrol::store
