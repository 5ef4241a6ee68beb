#pragma once
// An exclusive lock on the credential file's companion lock file (flock), held by one
// process's read-modify-write at a time, so parallel git processes lose no update. The
// lock file is separate because the credential file itself is replaced by rename.
#include <chrono>
#include <string>

#include "common/result.hpp"

namespace patrol::store {

class FileLock {
public:
  // Waits at most `patience` for the lock: a stuck holder ends in an error, never a hang.
  static Result<FileLock> acquire(const std::string& path, std::chrono::milliseconds patience);

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
