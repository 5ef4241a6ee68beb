#pragma once
// What `status` and `check` start from: the settings, the store they choose, and every
// credential in it.
#include <memory>
#include <vector>

#include "common/result.hpp"
#include "helper/git/config.hpp"
#include "store/store.hpp"

namespace patrol::helper {

struct StoredCredentials {
  Config config;
  std::unique_ptr<store::Store> store;
  std::vector<store::Record> records;
};

Result<StoredCredentials> stored_credentials();

} // namespace patrol::helper
