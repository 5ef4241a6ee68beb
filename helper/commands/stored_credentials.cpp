#include "helper/commands/stored_credentials.hpp"

#include <utility>

#include "helper/operations/store_choice.hpp"

namespace patrol::helper {

Result<StoredCredentials> stored_credentials() {
  Result<Config> config = Config::load();
  if (!config) {
    return tl::unexpected(config.error());
  }
  Result<std::unique_ptr<store::Store>> store = open_store(*config, "");
  if (!store) {
    return tl::unexpected(store.error());
  }
  Result<std::vector<store::Record>> records = (*store)->list(store::Query{});
  if (!records) {
    return tl::unexpected(records.error());
  }
  return StoredCredentials{std::move(*config), std::move(*store), std::move(*records)};
}

} // namespace patrol::helper
