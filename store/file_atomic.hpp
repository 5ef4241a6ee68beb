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
// Test hook: when PATROL_TEST_PAUSE_BEFORE_RENAME names a path, that file is created once
// the temporary file is complete and the process sleeps 30 s before renaming, so a test
// can kill it there.
Result<void> write_atomically(const std::string& path, std::string_view bytes);

} // namespace patrol::store
