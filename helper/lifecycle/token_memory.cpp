#include "helper/lifecycle/token_memory.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

#include <fcntl.h>
#include <unistd.h>

#include "common/ascii.hpp"
#include "common/digest.hpp"
#include "store/file_atomic.hpp"
#include "store/private_dir.hpp"
#include "store/secret_text.hpp"

namespace patrol::helper {
namespace {

constexpr std::string_view env_store = "env";
constexpr std::size_t largest_memory = 65536;

std::string cache_directory(std::string_view leaf) {
  const char* cache = std::getenv("XDG_CACHE_HOME");
  std::string base = cache != nullptr && cache[0] == '/' ? cache : "";
  if (base.empty()) {
    const char* home = std::getenv("HOME");
    base = std::string(home != nullptr ? home : "") + "/.cache";
  }
  return base + "/git-credential-patrol/" + std::string(leaf);
}

std::string directory() { return cache_directory("tokens"); }

// Hosts compare case-insensitively; the origin is hashed so any host spelling is a file name.
std::string host_path(std::string_view protocol, std::string_view host) {
  const std::string origin = to_ascii_lower(std::string(protocol) + "://" + std::string(host));
  return cache_directory("forges") + "/" + sha256_hex(origin);
}

std::string path_for(const store::Record& record) {
  std::string keyed = record.protocol + "://" + record.host + "\n";
  keyed += record.secret.view();
  std::string name = sha256_hex(keyed);
  wipe(keyed);
  return directory() + "/" + name;
}

std::optional<std::string> read_small(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    return std::nullopt;
  }
  std::string text;
  char buffer[4096];
  ssize_t got = 0;
  while ((got = ::read(fd, buffer, sizeof buffer)) > 0 && text.size() < largest_memory) {
    text.append(buffer, static_cast<std::size_t>(got));
  }
  ::close(fd);
  return text;
}

} // namespace

void recall(store::Record& record) {
  if (record.store != env_store || record.secret.empty()) {
    return;
  }
  std::optional<std::string> text = read_small(path_for(record));
  if (!text) {
    return;
  }
  store::Record known = store::secret_text::decode(*text);
  if (!known.checked_at) {
    return;
  }
  record.kind = known.kind;
  record.expires_at = known.expires_at;
  record.scopes = std::move(known.scopes);
  record.token_id = std::move(known.token_id);
  if (!known.token_name.empty()) {
    record.token_name = std::move(known.token_name);
  }
  record.checked_at = known.checked_at;
  record.warned_at = known.warned_at;
  record.state = known.state;
}

Result<void> remember(const store::Record& record) {
  store::Record facts = record;
  facts.secret = Secret(std::string("-"));
  facts.refresh_token = Secret();
  Result<Secret> text = store::secret_text::encode(facts);
  if (!text) {
    return tl::unexpected(text.error());
  }
  if (Result<void> made = store::ensure_private_directory(directory()); !made) {
    return made;
  }
  return store::write_atomically(path_for(record), text->view());
}

std::optional<forge::HostAnswer> recall_host(std::string_view protocol, std::string_view host) {
  std::optional<std::string> text = read_small(host_path(protocol, host));
  if (!text) {
    return std::nullopt;
  }
  return forge::host_answer_from_string(std::string_view(*text).substr(0, text->find('\n')));
}

std::optional<store::FileLock> lock_host(std::string_view protocol, std::string_view host,
                                         std::chrono::milliseconds patience) {
  if (!store::ensure_private_directory(cache_directory("forges"))) {
    return std::nullopt;
  }
  Result<std::optional<store::FileLock>> lock =
      store::FileLock::try_acquire(host_path(protocol, host) + ".lock", patience);
  return lock ? std::move(*lock) : std::nullopt;
}

Result<void> remember_host(std::string_view protocol, std::string_view host,
                           const forge::HostAnswer& answer) {
  if (Result<void> made = store::ensure_private_directory(cache_directory("forges")); !made) {
    return made;
  }
  return store::write_atomically(host_path(protocol, host),
                                 std::string(forge::to_string(answer)) + "\n");
}

} // namespace patrol::helper
