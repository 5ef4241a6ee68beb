#pragma once
// Replacing a file so that a reader, a crash or a full disk sees the old content or the
// new, never a mix: a temporary file in the same directory, written and fsynced, renamed
// over the old one, then the directory fsynced so the rename itself is durable.
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace patrol::store {

// Writes `bytes` to `path` (mode 0600). On failure the temporary file is removed and the
// old file is untouched; the error names the cause (a full disk says so).
// Test hook Hook::pause_before_rename (common/test_hooks.hpp) between the synced temporary
// file and the rename.
Result<void> write_atomically(const std::string& path, std::string_view bytes);

} // namespace patrol::store
