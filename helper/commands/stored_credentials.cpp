#include "helper/commands/stored_credentials.hpp"

#include <utility>

#include "helper/commands/command_line.hpp"
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

Result<UrlStore> url_store(const Parsed& args) {
  Result<Credential> target = url_argument(*args.command, args.operands.at(0));
  if (!target) {
    return tl::unexpected(target.error());
  }
  std::string url = url_with_scheme(args.operands.at(0));
  Result<Config> config = Config::load();
  if (!config) {
    return tl::unexpected(config.error());
  }
  Result<std::unique_ptr<store::Store>> store = open_store(*config, url);
  if (!store) {
    return tl::unexpected(store.error());
  }
  return UrlStore{std::move(*target), std::move(url), std::move(*config), std::move(*store)};
}

} // namespace patrol::helper
