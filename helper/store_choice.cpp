#include "helper/store_choice.hpp"

#include <string>
#include <vector>

#include "helper/messages.hpp"
#include "helper/url_match.hpp"
#include "store/env.hpp"
#include "store/layered.hpp"
#include "store/secret_service_probe.hpp"

namespace patrol::helper {
namespace {

// The host (with a non-default port) of url when it is configured as GitLab, so that
// GITLAB_TOKEN answers for it too.
std::vector<std::string> configured_gitlab_hosts(const Config& config, std::string_view url) {
  if (url.empty() || config.get("forge", url).value_or("") != "gitlab") {
    return {};
  }
  Result<NormalizedUrl> parsed = normalize_url(url);
  if (!parsed || parsed->host_off == 0) {
    return {};
  }
  std::string host = parsed->text.substr(parsed->host_off, parsed->host_len);
  if (parsed->port_off != 0 && parsed->port_len != 0) {
    host += ":" + parsed->text.substr(parsed->port_off, parsed->port_len);
  }
  return {parsed->text.substr(0, parsed->scheme_len) + "://" + host};
}

} // namespace

store::Settings store_settings(const Config& config, std::string_view url) {
  return [&config, url = std::string(url)](std::string_view key) -> std::optional<std::string> {
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
      store::make_env_store(environment, configured_gitlab_hosts(config, url)),
      std::move(persistent));
}

} // namespace patrol::helper
