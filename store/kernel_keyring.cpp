#include "store/kernel_keyring.hpp"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <vector>

#include <linux/keyctl.h>
#include <sys/syscall.h>
#include <unistd.h>

// The kernel's key calls directly: libkeyutils wraps these same system calls, and loading
// it cost every git operation a library at start-up.
namespace patrol::store::kernel_keyring {
namespace {

using key_serial_t = std::int32_t;

constexpr const char* key_type = "user";
// keyutils.h's permission bits (not in the kernel's UAPI headers).
constexpr unsigned long key_pos_all = 0x3f000000;
constexpr unsigned long key_usr_view = 0x00010000;

long keyctl(int operation, unsigned long a = 0, unsigned long b = 0, unsigned long c = 0,
            unsigned long d = 0) {
  return syscall(SYS_keyctl, operation, a, b, c, d);
}

key_serial_t find(const std::string& description) {
  return static_cast<key_serial_t>(keyctl(KEYCTL_SEARCH,
                                          static_cast<unsigned long>(KEY_SPEC_SESSION_KEYRING),
                                          reinterpret_cast<unsigned long>(key_type),
                                          reinterpret_cast<unsigned long>(description.c_str()), 0));
}

unsigned long as_arg(key_serial_t key) { return static_cast<unsigned long>(key); }

} // namespace

std::string description_for(std::string_view file_path) {
  return "git-credential-patrol:file:" + std::string(file_path);
}

std::optional<Secret> read(const std::string& description) {
  const key_serial_t key = find(description);
  if (key < 0) {
    return std::nullopt;
  }
  // KEYCTL_READ answers the payload's size; read again when the buffer was too small.
  std::vector<char> buffer(64);
  for (;;) {
    const long length = keyctl(KEYCTL_READ, as_arg(key), reinterpret_cast<unsigned long>(buffer.data()),
                               buffer.size());
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

Result<void> write(const std::string& description, const Secret& bytes,
                   std::chrono::seconds timeout) {
  const auto key = static_cast<key_serial_t>(
      syscall(SYS_add_key, key_type, description.c_str(), bytes.view().data(),
              bytes.view().size(), KEY_SPEC_SESSION_KEYRING));
  if (key < 0) {
    return fail(Errc::unsupported, "the kernel keyring is not available (" +
                                       std::string(std::strerror(errno)) + ")");
  }
  // Only this user's processes that possess the session keyring may read it.
  keyctl(KEYCTL_SETPERM, as_arg(key), key_pos_all | key_usr_view);
  if (timeout.count() > 0) {
    keyctl(KEYCTL_SET_TIMEOUT, as_arg(key), static_cast<unsigned long>(timeout.count()));
  }
  return {};
}

bool remove(const std::string& description) {
  const key_serial_t key = find(description);
  if (key < 0) {
    return false;
  }
  // Unlink from the session keyring and invalidate, so no other link keeps it alive.
  keyctl(KEYCTL_INVALIDATE, as_arg(key));
  keyctl(KEYCTL_UNLINK, as_arg(key), static_cast<unsigned long>(KEY_SPEC_SESSION_KEYRING));
  return true;
}

} // namespace patrol::store::kernel_keyring
