#include "store/kernel_keyring.hpp"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include <linux/keyctl.h>
#include <sys/syscall.h>
#include <unistd.h>

// The kernel's key calls directly: libkeyutils wraps these same system calls, and loading
// it cost every git operation a library at start-up.
namespace patrol::store::kernel_keyring {
namespace {

using key_serial_t = std::int32_t;

// keyutils.h's permission bits (not in the kernel's UAPI headers).
constexpr unsigned long key_pos_all = 0x3f000000;
constexpr unsigned long key_usr_view = 0x00010000;

long keyctl(int operation, unsigned long a = 0, unsigned long b = 0, unsigned long c = 0,
            unsigned long d = 0) {
  return syscall(SYS_keyctl, operation, a, b, c, d);
}

unsigned long as_arg(key_serial_t key) { return static_cast<unsigned long>(key); }

constexpr const char* key_type = "user";

key_serial_t search(key_serial_t keyring, const std::string& description) {
  return static_cast<key_serial_t>(keyctl(KEYCTL_SEARCH, as_arg(keyring),
                                          reinterpret_cast<unsigned long>(key_type),
                                          reinterpret_cast<unsigned long>(description.c_str()), 0));
}

// The key and the keyring that holds it: the session keyring is searched first, as the
// login's own key is kept there. A session keyring that stands in for none (the
// user-session keyring) reaches the user keyring's keys too, so a key found both ways is
// the user keyring's.
std::optional<std::pair<key_serial_t, Holder>> find(const std::string& description) {
  const key_serial_t in_session = search(KEY_SPEC_SESSION_KEYRING, description);
  const key_serial_t in_user = search(KEY_SPEC_USER_KEYRING, description);
  if (in_session >= 0) {
    return std::pair{in_session, in_session == in_user ? Holder::user : Holder::session};
  }
  if (in_user >= 0) {
    return std::pair{in_user, Holder::user};
  }
  return std::nullopt;
}

// The timeout column of the key's line in /proc/keys.
std::string time_left(key_serial_t key) {
  char id[16];
  std::snprintf(id, sizeof id, "%08x", static_cast<unsigned>(key));
  std::ifstream keys("/proc/keys");
  std::string line;
  while (std::getline(keys, line)) {
    std::istringstream fields(line);
    std::string serial;
    std::string flags;
    std::string usage;
    std::string timeout;
    if (fields >> serial >> flags >> usage >> timeout && serial == id) {
      return timeout;
    }
  }
  return "unknown";
}

} // namespace

Holder holder_here() {
  // Without create: a process with no session keyring is given the user-session keyring
  // here, and both ids are the same.
  const auto session =
      static_cast<key_serial_t>(keyctl(KEYCTL_GET_KEYRING_ID, as_arg(KEY_SPEC_SESSION_KEYRING), 0));
  const auto user_session = static_cast<key_serial_t>(
      keyctl(KEYCTL_GET_KEYRING_ID, as_arg(KEY_SPEC_USER_SESSION_KEYRING), 0));
  return session >= 0 && session != user_session ? Holder::session : Holder::user;
}

std::string describe(Holder holder) {
  return holder == Holder::session
             ? "the session keyring (this login's own)"
             : "the user keyring (this login has no session keyring of its own)";
}

std::string description_for(std::string_view file_path) {
  return "git-credential-patrol:file:" + std::string(file_path);
}

std::optional<Secret> read(const std::string& description) {
  const std::optional<std::pair<key_serial_t, Holder>> found = find(description);
  if (!found) {
    return std::nullopt;
  }
  // KEYCTL_READ answers the payload's size; read again when the buffer was too small.
  std::vector<char> buffer(64);
  for (;;) {
    const long length = keyctl(KEYCTL_READ, as_arg(found->first),
                               reinterpret_cast<unsigned long>(buffer.data()), buffer.size());
    if (length < 0) {
      wipe(buffer.data(), buffer.size());
      return std::nullopt;
    }
    const auto size = static_cast<std::size_t>(length);
    if (size <= buffer.size()) {
      Secret bytes(std::string(buffer.data(), size));
      wipe(buffer.data(), buffer.size());
      return bytes;
    }
    wipe(buffer.data(), buffer.size());
    buffer.assign(size, '\0');
  }
}

Result<Holder> write(const std::string& description, const Secret& bytes,
                     std::chrono::seconds timeout) {
  const Holder holder = holder_here();
  const key_serial_t keyring =
      holder == Holder::session ? KEY_SPEC_SESSION_KEYRING : KEY_SPEC_USER_KEYRING;
  const auto key =
      static_cast<key_serial_t>(syscall(SYS_add_key, key_type, description.c_str(),
                                        bytes.view().data(), bytes.view().size(), keyring));
  if (key < 0) {
    return fail(Errc::unsupported,
                "the kernel keyring is not available (" + std::string(std::strerror(errno)) + ")");
  }
  // Only this user's processes that possess the keyring holding it may read it.
  keyctl(KEYCTL_SETPERM, as_arg(key), key_pos_all | key_usr_view);
  if (timeout.count() > 0) {
    keyctl(KEYCTL_SET_TIMEOUT, as_arg(key), static_cast<unsigned long>(timeout.count()));
  }
  return holder;
}

bool remove(const std::string& description) {
  bool removed = false;
  for (const key_serial_t keyring : {KEY_SPEC_SESSION_KEYRING, KEY_SPEC_USER_KEYRING}) {
    const key_serial_t key = search(keyring, description);
    if (key >= 0) {
      // Invalidated, not only unlinked, so no other link keeps it alive.
      keyctl(KEYCTL_INVALIDATE, as_arg(key));
      keyctl(KEYCTL_UNLINK, as_arg(key), as_arg(keyring));
      removed = true;
    }
  }
  return removed;
}

std::optional<Kept> locate(const std::string& description) {
  const std::optional<std::pair<key_serial_t, Holder>> found = find(description);
  if (!found) {
    return std::nullopt;
  }
  return Kept{found->second, time_left(found->first)};
}

} // namespace patrol::store::kernel_keyring
