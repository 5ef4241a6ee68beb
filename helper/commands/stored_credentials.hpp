#pragma once
// What commands start from: for `status` and `check` the settings, the store they choose
// and every credential in it; for `rotate URL` and `refresh URL` the URL argument, the
// settings and the store that serves the URL.
#include <memory>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "helper/commands/commands.hpp"
#include "helper/git/config.hpp"
#include "helper/git/protocol.hpp"
#include "store/store.hpp"

namespace patrol::helper {

struct StoredCredentials {
  Config config;
  std::unique_ptr<store::Store> store;
  std::vector<store::Record> records;
};

Result<StoredCredentials> stored_credentials();

struct UrlStore {
  Credential target; // the URL argument as git's credential (no password: refused)
  std::string url;   // with its scheme
  Config config;
  std::unique_ptr<store::Store> store;
};

// args.operands[0] read as a URL (command_line.hpp's url_argument), then the settings and
// the store for it; the first error on the way.
Result<UrlStore> url_store(const Parsed& args);

} // namespace patrol::helper
