#pragma once
// The table of store backends, keyed by name. It feeds store selection, --version's list
// of stores and the "unknown store; available: ..." error.
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "store/store.hpp"

namespace patrol::store {

struct Backend {
  std::string_view name;
  std::string_view description;
  std::function<Result<std::unique_ptr<Store>>()> open;
};

std::span<const Backend> backends();

// Opens the backend with this name; an unknown name is an Errc::config error that lists
// the available ones.
Result<std::unique_ptr<Store>> open(std::string_view name);

// The store for `patrol.store=auto`: the Secret Service for now; the encrypted file store
// becomes its fallback when no Secret Service is reachable.
Result<std::unique_ptr<Store>> open_auto();

} // namespace patrol::store
