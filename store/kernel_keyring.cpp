#include "store/kernel_keyring.hpp"

#include <cerrno>
#include <cstring>

#include <keyutils.h>

namespace patrol::store::kernel_keyring {
namespace {

constexpr const char* key_type = "user";

key_serial_t find(const std::string& description) {
  return static_cast<key_serial_t>(
      keyctl_search(KEY_SPEC_SESSION_KEYRING, key_type, description.c_str(), 0));
}

} // namespace

std::string description_for(std::string_view file_path) {
  return "git-credential-patrol:file:" + std::string(file_path);
}

std::optional<Secret> read(const std::string& description) {
  const key_serial_t key = find(description);
  if (key < 0) {
    return std::nullopt;
  }
  void* buffer = nullptr;
  const long length = keyctl_read_alloc(key, &buffer);
  if (length < 0 || buffer == nullptr) {
    return std::nullopt;
  }
  const auto size = static_cast<std::size_t>(length);
  Secret bytes(std::string(static_cast<const char*>(buffer), size));
  wipe(buffer, size);
  std::free(buffer);
  return bytes;
}

Result<void> write(const std::string& description, const Secret& bytes,
                   std::chrono::seconds timeout) {
  const key_serial_t key = add_key(key_type, description.c_str(), bytes.view().data(),
                                   bytes.view().size(), KEY_SPEC_SESSION_KEYRING);
  if (key < 0) {
    return fail(Errc::unsupported, "the kernel keyring is not available (" +
                                       std::string(std::strerror(errno)) + ")");
  }
  // Only this user's processes that possess the session keyring may read it.
  keyctl_setperm(key, KEY_POS_ALL | KEY_USR_VIEW);
  if (timeout.count() > 0) {
    keyctl_set_timeout(key, static_cast<unsigned>(timeout.count()));
  }
  return {};
}

bool remove(const std::string& description) {
  const key_serial_t key = find(description);
  if (key < 0) {
    return false;
  }
  // Unlink from the session keyring and invalidate, so no other link keeps it alive.
  keyctl_invalidate(key);
  keyctl_unlink(key, KEY_SPEC_SESSION_KEYRING);
  return true;
}

} // namespace patrol::store::kernel_keyring
