#pragma once
// The unlocked data key of the file store, kept in the kernel keyring (keyutils): a "user"
// key with a timeout after which the kernel drops it, readable only by processes that
// possess the keyring holding it.
//
// Which keyring: the session keyring when the login has one of its own (pam_keyinit,
// `keyctl session`): every process of that session and no other gets the key. A login
// without one (an SSH login whose PAM stack lacks pam_keyinit, WSL, cron, docker exec)
// has either no session keyring at all, when the kernel would make a new one for the one
// process that adds a key, lost as it exits, or the user-session keyring standing in for
// one. There the key goes to the user keyring, shared by the user's processes, under a
// description naming the file.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "common/secret.hpp"

namespace patrol::store::kernel_keyring {

enum class Holder {
  session, // the login's own session keyring (@s)
  user,    // the user keyring (@u): no session keyring of the login's own
};

// Where this process keeps a key it writes.
Holder holder_here();
// "the session keyring" or "the user keyring", with why, for unlock and diagnose.
std::string describe(Holder holder);

// The key's description for a file: one cached key per credential file.
std::string description_for(std::string_view file_path);

// The cached bytes, or nullopt when there are none (never cached, timed out, locked, or
// no kernel keyring in this environment, as in containers whose seccomp filter forbids it).
// The session keyring is searched first, then the user keyring.
std::optional<Secret> read(const std::string& description);

// Caches bytes for `timeout` where holder_here() says; Errc::unsupported when the kernel
// keyring is not available.
Result<Holder> write(const std::string& description, const Secret& bytes,
                     std::chrono::seconds timeout);

// Forgets the cached bytes, wherever they are; true when there were some.
bool remove(const std::string& description);

// Where a cached key is and the time it has left as /proc/keys shows it ("7h", "59m",
// "perm"); nullopt when there is none.
struct Kept {
  Holder holder = Holder::session;
  std::string time_left;
};
std::optional<Kept> locate(const std::string& description);

} // namespace patrol::store::kernel_keyring
