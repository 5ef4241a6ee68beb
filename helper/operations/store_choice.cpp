#include "helper/operations/store_choice.hpp"

#include <string>

#include "helper/messages.hpp"
#include "store/env.hpp"
#include "store/layered.hpp"
#include "store/secret_service_probe.hpp"

namespace patrol::helper {

namespace {

// The setting a backend asks for; nullopt for git's credential.interactive.
std::optional<Setting> setting_for(store::StoreSetting key) {
  switch (key) {
  case store::StoreSetting::filePath:
    return Setting::filePath;
  case store::StoreSetting::filePassphraseFile:
    return Setting::filePassphraseFile;
  case store::StoreSetting::fileCredential:
    return Setting::fileCredential;
  case store::StoreSetting::fileUnlockTimeout:
    return Setting::fileUnlockTimeout;
  case store::StoreSetting::interactive:
    break;
  }
  return std::nullopt;
}

} // namespace

store::Settings store_settings(const Config& config, std::string_view url) {
  return [&config, url = std::string(url)](store::StoreSetting key) -> std::optional<std::string> {
    const std::optional<Setting> setting = setting_for(key);
    if (!setting) {
      return config.interactive() ? "true" : "false";
    }
    std::string value = config.value(*setting, url);
    if (value.empty()) {
      return std::nullopt;
    }
    return value;
  };
}

Result<std::unique_ptr<store::Store>> open_persistent_store(const Config& config,
                                                            std::string_view url) {
  const std::string name = config.value(Setting::store, url);
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
  if (config.value(Setting::store, url) == "env" || !store::env_has_tokens(environment) ||
      (!persistent && persistent.error().code == Errc::config)) {
    return persistent;
  }
  return store::make_layered_store(store::make_env_store(environment), std::move(persistent));
}

} // namespace patrol::helper
