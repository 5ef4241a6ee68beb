#include "store/credential_lock.hpp"

#include <cstdlib>

#include "common/digest.hpp"
#include "store/private_dir.hpp"

namespace patrol::store {
namespace {

// A store lock is held only for a re-read and a write: long enough for a slow keyring
// under many parallel writers, short enough never to look hung.
constexpr std::chrono::milliseconds store_patience(20000);

std::string absolute_env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && value[0] == '/' ? value : "";
}

Result<std::string> in_lock_directory(const std::string& name) {
  const std::string directory = lock_directory();
  if (Result<void> made = ensure_private_directory(directory); !made) {
    return tl::unexpected(made.error());
  }
  return directory + "/" + name;
}

} // namespace

std::string lock_directory() {
  if (std::string runtime = absolute_env("XDG_RUNTIME_DIR"); !runtime.empty()) {
    return runtime + "/git-credential-patrol";
  }
  std::string cache = absolute_env("XDG_CACHE_HOME");
  if (cache.empty()) {
    cache = absolute_env("HOME") + "/.cache";
  }
  return cache + "/git-credential-patrol/locks";
}

std::string flight_lock_path(std::string_view protocol, std::string_view host,
                             std::string_view username) {
  std::string keys;
  keys.append(protocol).append(1, '\n').append(host).append(1, '\n').append(username);
  return lock_directory() + "/credential-" + sha256_hex(keys) + ".lock";
}

Result<std::optional<FileLock>> lock_flight(std::string_view protocol, std::string_view host,
                                            std::string_view username,
                                            std::chrono::milliseconds patience) {
  if (Result<void> made = ensure_private_directory(lock_directory()); !made) {
    return tl::unexpected(made.error());
  }
  return FileLock::try_acquire(flight_lock_path(protocol, host, username), patience);
}

Result<FileLock> lock_store(std::string_view name) {
  Result<std::string> path = in_lock_directory("store-" + std::string(name) + ".lock");
  if (!path) {
    return tl::unexpected(path.error());
  }
  return FileLock::acquire(*path, store_patience);
}

} // namespace patrol::store
