#pragma once
// Locks that stand for one credential — its protocol, host (with port) and username —
// shared by every git-credential-patrol process of the user. A lock file is named by a
// SHA-256 of those keys, never by the secret, and lives in
// $XDG_RUNTIME_DIR/git-credential-patrol/ (a 0700 directory), else in
// $XDG_CACHE_HOME/git-credential-patrol/locks/ (~/.cache when unset).
//
// Two roles, two files per credential or store:
// - "flight": held across a whole read-modify-write that asks the network (rotation, an
//   OAuth refresh, the background lookup), so one process does it and the others wait and
//   use what it stored;
// - store locks (credential_store_lock): held only while a backend without transactions
//   (the Secret Service) re-reads, compares and writes, so `store` never waits on the network.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "store/file_lock.hpp"

namespace patrol::store {

// The directory of the lock files (created on first use).
std::string lock_directory();

// The path of the single-flight lock of a credential.
std::string flight_lock_path(std::string_view protocol, std::string_view host,
                             std::string_view username);

// Takes the single-flight lock, waiting at most `patience` (zero: one try); nullopt when
// another process still holds it.
Result<std::optional<FileLock>> lock_flight(std::string_view protocol, std::string_view host,
                                            std::string_view username,
                                            std::chrono::milliseconds patience);

// The lock of a whole store without transactions (`name` is the backend's name), held for
// the few milliseconds of a compare-and-swap or a write.
Result<FileLock> lock_store(std::string_view name);

} // namespace patrol::store
