#pragma once
// Single flight per credential for the lifecycle's read-modify-writes — rotation, OAuth
// refresh and the background lookup — on the lock of store/credential_lock.hpp. Whoever
// takes it second re-reads the store and uses what it finds instead of doing the work
// again; what is written goes through the store's compare-and-swap (Store::replace).
#include <chrono>
#include <optional>

#include "common/result.hpp"
#include "store/file_lock.hpp"
#include "store/record.hpp"
#include "store/store.hpp"

namespace patrol::helper {

// How long a process waits for another one's rotation or refresh: those hold the lock for
// one short network call (quick timeouts, 5 s) and a write. The background lookup holds
// it longer on a slow forge; a waiter that gives up says so in one line and goes on with
// the token the store holds.
inline constexpr std::chrono::milliseconds flight_patience{10000};

struct Flight {
  std::optional<store::FileLock> lock; // held until the Flight goes
  bool busy = false;                   // another process held it all the while
};

// Takes the credential's lock, waiting at most `patience` (zero: one try). When no lock
// file can be made (a directory that is not ours), that is traced and the work goes ahead
// unlocked, as it did before there were locks.
Flight board(const store::Record& keys, std::chrono::milliseconds patience);

// What the store holds for the credential of `keys` now (its protocol, host, path and
// username), with what is remembered of an environment token (token_memory.hpp).
Result<std::optional<store::Record>> reread(store::Store& store, const store::Record& keys);

} // namespace patrol::helper
