#pragma once
// The table of store backends, keyed by name. It feeds store selection, --version's list
// of stores and the "unknown store; available: ..." error.
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "store/store.hpp"

namespace patrol::store {

// What a backend asks of the configuration: the file store's settings of the same names,
// and git's credential.interactive.
enum class StoreSetting {
  filePath,
  filePassphraseFile,
  fileCredential,
  fileUnlockTimeout,
  interactive
};

// A backend's settings, already resolved for the URL at hand by whoever reads the
// configuration; nullopt when not set.
using Settings = std::function<std::optional<std::string>(StoreSetting key)>;

struct Backend {
  std::string_view name;
  std::string_view description;
  std::function<Result<std::unique_ptr<Store>>(const Settings&)> open;
};

std::span<const Backend> backends();

// Opens the backend with this name; an unknown name is an Errc::config error that lists
// the available ones.
Result<std::unique_ptr<Store>> open(std::string_view name, const Settings& settings = {});

// The store for `patrol.store=auto`: the Secret Service when one is reachable and has a
// default keyring (unlocked, or locked and so unlockable), else the encrypted file store.
Result<std::unique_ptr<Store>> open_auto(const Settings& settings = {});

} // namespace patrol::store
