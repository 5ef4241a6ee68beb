#include "helper/lifecycle/refresh.hpp"

#include <memory>
#include <optional>
#include <string>

#include "common/test_hooks.hpp"
#include "helper/commands/command_line.hpp"
#include "helper/commands/stored_credentials.hpp"
#include "helper/git/credential_record.hpp"
#include "helper/git/protocol.hpp"
#include "helper/lifecycle/background.hpp"
#include "helper/lifecycle/flight.hpp"
#include "helper/lifecycle/lifecycle.hpp"
#include "helper/lifecycle/lifecycle_settings.hpp"
#include "helper/lifecycle/token_lookup.hpp"
#include "helper/lifecycle/token_memory.hpp"
#include "helper/messages.hpp"
#include "helper/operations/store_choice.hpp"
#include "store/credential_lock.hpp"

namespace patrol::helper {
namespace {

// The credential's lock: the one get took and handed over as descriptor kept_fd, else
// taken here (a refresh run by hand waits like any other).
Flight take_lock(const store::Record& keys, bool handed) {
  if (handed) {
    std::optional<store::FileLock> lock = store::FileLock::adopt(
        store::flight_lock_path(keys.protocol, keys.host, keys.username), kept_fd);
    if (lock) {
      return Flight{std::move(lock), false};
    }
  }
  return board(keys, flight_patience);
}

} // namespace

int run_refresh(const Parsed& args) {
  const bool handed = args.has("--holding-lock");
  Result<UrlStore> opened = url_store(args);
  if (!opened) {
    return failed(opened.error());
  }
  const std::string& url = opened->url;
  const Config& config = opened->config;
  store::Store& store = *opened->store;
  const store::Record keys = record_of(opened->target); // the keys: a URL holds no password
  // One lookup per credential: parallel gets hand the work to one refresh at most.
  const Flight flight = take_lock(keys, handed);
  if (flight.busy) {
    trace("another process is refreshing " + url);
    return 0;
  }
  Result<std::optional<store::Record>> found = reread(store, keys);
  if (!found || !*found) {
    trace("nothing to refresh for " + url);
    return 0;
  }
  const store::Record before = **found;
  store::Record record = before;
  const forge::Forge forge = forge_for(config, url, record.protocol, record.host);
  const LifecycleSettings settings = lifecycle_settings(config, url);
  // A refresh that finished while this one waited for the lock is enough.
  if (forge.kind == forge::ForgeKind::none ||
      !assess(record, now_seconds(), 0, settings.recheck_seconds).stale) {
    return 0;
  }
  Result<forge::TokenInfo> info =
      look_up(forge, record.secret, http_settings(config, url, patient_timeouts));
  if (info) {
    learn(record, *info, now_seconds());
  } else {
    // Tried: the next try waits a full interval rather than one per git call.
    trace("refresh of " + url + " failed: " + info.error().message);
    record.checked_at = now_seconds();
  }
  test_hook(Hook::pause_before_refresh_save);
  if (record.store == "env") {
    if (Result<void> kept = remember(record); !kept) {
      trace("refresh of " + url + " not remembered: " + kept.error().message);
      return 1;
    }
    return 0;
  }
  // Compare-and-swap: a token stored while the forge was asked is never overwritten.
  Result<bool> saved = store.replace(before, record);
  if (!saved) {
    trace("refresh of " + url + " not kept: " + saved.error().message);
    return 1;
  }
  if (!*saved) {
    trace("refresh of " + url + " not kept: another token was stored meanwhile");
  }
  return 0;
}

} // namespace patrol::helper
