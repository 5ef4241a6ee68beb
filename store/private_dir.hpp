#pragma once
// A directory only its owner may write into (0700 when created), for files that stand for
// credentials: the credential file, lock files, the memory of environment tokens.
#include <string>

#include "common/result.hpp"

namespace patrol::store {

// Creates the directory and its parents (0700) when missing; refuses one that is not ours
// or that others may write into.
Result<void> ensure_private_directory(const std::string& directory);

} // namespace patrol::store
