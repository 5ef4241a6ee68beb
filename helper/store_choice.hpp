#pragma once
// Which store serves a URL: patrol.store (or PATROL_STORE) names one; "auto" picks one.
#include <memory>
#include <string_view>

#include "common/result.hpp"
#include "helper/config.hpp"
#include "store/store.hpp"

namespace patrol::helper {

Result<std::unique_ptr<store::Store>> open_store(const Config& config, std::string_view url);

} // namespace patrol::helper
