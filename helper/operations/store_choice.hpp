#pragma once
// Which store serves a URL: patrol.store (or PATROL_STORE) names one; "auto" picks the
// Secret Service when it can keep credentials, else the encrypted file store. Tokens in
// the environment (the env store: CI_JOB_TOKEN, GITLAB_TOKEN, GH_TOKEN, ...) are consulted
// first whenever one is set; git's store and erase still go to the persistent store.
#include <memory>
#include <string_view>

#include "common/result.hpp"
#include "helper/git/config.hpp"
#include "store/registry.hpp"
#include "store/store.hpp"

namespace patrol::helper {

// The store git's operations use for url: the persistent store, behind the env store when
// an environment token is set.
Result<std::unique_ptr<store::Store>> open_store(const Config& config, std::string_view url);

// The persistent store alone (what import writes into).
Result<std::unique_ptr<store::Store>> open_persistent_store(const Config& config,
                                                            std::string_view url);

// The store settings (filePath, ...) for url, for backends and the unlock command.
store::Settings store_settings(const Config& config, std::string_view url);

} // namespace patrol::helper
