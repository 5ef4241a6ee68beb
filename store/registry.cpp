#include "store/registry.hpp"

#include <array>
#include <string>

#include "store/secret_service.hpp"

namespace patrol::store {

std::span<const Backend> backends() {
  static const std::array<Backend, 1> table{{
      {"secretservice", "Secret Service (GNOME Keyring, KWallet) through libsecret",
       open_secret_service},
  }};
  return table;
}

Result<std::unique_ptr<Store>> open(std::string_view name) {
  std::string available;
  for (const Backend& backend : backends()) {
    if (backend.name == name) {
      return backend.open();
    }
    available += available.empty() ? "" : ", ";
    available += backend.name;
  }
  return fail(Errc::config, "unknown store '" + std::string(name) + "'; available: " + available);
}

Result<std::unique_ptr<Store>> open_auto() { return open("secretservice"); }

} // namespace patrol::store
