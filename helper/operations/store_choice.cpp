#include "helper/operations/store_choice.hpp"

#include <string>

#include "helper/messages.hpp"
#include "store/env.hpp"
#include "store/layered.hpp"
#include "store/secret_service_probe.hpp"

namespace patrol::helper {

store::Settings store_settings(const Config& config, std::string_view url) {
  return [&config, url = std::string(url)](std::string_view key) -> std::optional<std::string> {
    if (key == "interactive") {
      return config.interactive() ? "true" : "false"; // git's credential.interactive
    }
    std::string value = config.value(key, url);
    if (value.empty()) {
      return std::nullopt;
    }
    return value;
  };
}

Result<std::unique_ptr<store::Store>> open_persistent_store(const Config& config,
                                                           std::string_view url) {
  const std::string name = config.value("store", url);
  const store::Settings settings = store_settings(config, url);
  Result<std::unique_ptr<store::Store>> opened =
      name == "auto" ? store::open_auto(settings) : store::open(name, settings);
  if (tracing()) {
    trace(opened ? "store " + std::string((*opened)->name()) + " chosen: patrol.store=" + name +
                       (name == "auto" && (*opened)->name() != "secretservice"
                            ? " and " + store::probe_secret_service().reason
                            : std::string())
                 : "no store: " + opened.error().message);
  }
  return opened;
}

Result<std::unique_ptr<store::Store>> open_store(const Config& config, std::string_view url) {
  Result<std::unique_ptr<store::Store>> persistent = open_persistent_store(config, url);
  const store::EnvLookup environment = store::process_environment();
  if (config.value("store", url) == "env" || !store::env_has_tokens(environment) ||
      (!persistent && persistent.error().code == Errc::config)) {
    return persistent;
  }
  return store::make_layered_store(
      store::make_env_store(environment),
      std::move(persistent));
}

} // namespace patrol::helper
