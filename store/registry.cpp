#include "store/registry.hpp"

#include <array>
#include <string>

#include "store/env.hpp"
#include "store/file.hpp"
#include "store/secret_service.hpp"
#include "store/secret_service_probe.hpp"

namespace patrol::store {

namespace {

Result<std::unique_ptr<Store>> open_file(const Settings& settings, std::string because = "") {
  Result<FileStoreOptions> options = file_options(settings);
  if (!options) {
    return tl::unexpected(options.error());
  }
  options->chosen_because = std::move(because);
  return open_file_store(std::move(*options));
}

// git's credential.interactive, which the helper passes as the setting "interactive".
bool may_prompt(const Settings& settings) {
  return !settings || settings(StoreSetting::interactive) != "false";
}

} // namespace

std::span<const Backend> backends() {
  static const std::array<Backend, 3> table{{
      {"secretservice", "Secret Service (GNOME Keyring, KWallet)",
       [](const Settings& settings) { return open_secret_service(false, may_prompt(settings)); }},
      {"file", "an AES-256-GCM encrypted file, unlocked once per login session",
       [](const Settings& settings) { return open_file(settings); }},
      {"env",
       "read-only tokens from CI and forge CLI environment variables (CI_JOB_TOKEN, "
       "GITLAB_TOKEN, GH_TOKEN)",
       [](const Settings&) -> Result<std::unique_ptr<Store>> {
         return make_env_store(process_environment());
       }},
  }};
  return table;
}

Result<std::unique_ptr<Store>> open(std::string_view name, const Settings& settings) {
  std::string available = "auto";
  for (const Backend& backend : backends()) {
    if (backend.name == name) {
      return backend.open(settings);
    }
    available += available.empty() ? "" : ", ";
    available += backend.name;
  }
  return fail(Errc::config, "unknown store '" + std::string(name) + "'; available: " + available);
}

Result<std::unique_ptr<Store>> open_auto(const Settings& settings) {
  ProbeResult probe = probe_secret_service();
  if (probe.usable) {
    Result<std::unique_ptr<Store>> keyring = open_secret_service(true, may_prompt(settings));
    if (keyring) {
      return keyring;
    }
    probe.reason = keyring.error().message;
  }
  return open_file(settings, probe.reason);
}

} // namespace patrol::store
