#include "helper/lifecycle/flight.hpp"

#include "helper/lifecycle/lifecycle.hpp"
#include "helper/lifecycle/token_memory.hpp"
#include "helper/messages.hpp"
#include "store/credential_lock.hpp"

namespace patrol::helper {

Flight board(const store::Record& keys, std::chrono::milliseconds patience) {
  Result<std::optional<store::FileLock>> lock =
      store::lock_flight(keys.protocol, keys.host, keys.username, patience);
  if (!lock) {
    trace("going on without the lock of " + record_url(keys) + ": " + lock.error().message);
    return Flight{};
  }
  if (!*lock) {
    return Flight{std::nullopt, true};
  }
  return Flight{std::move(*lock), false};
}

Result<std::optional<store::Record>> reread(store::Store& store, const store::Record& keys) {
  Result<std::optional<store::Record>> found = store.find(store::query_for(keys));
  if (found && *found) {
    recall(**found);
  }
  return found;
}

} // namespace patrol::helper
