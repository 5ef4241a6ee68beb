#include "helper/store_choice.hpp"

#include <string>

#include "store/registry.hpp"

namespace patrol::helper {

Result<std::unique_ptr<store::Store>> open_store(const Config& config, std::string_view url) {
  const std::string name = config.value("store", url);
  if (name == "auto") {
    return store::open_auto();
  }
  return store::open(name);
}

} // namespace patrol::helper
