#pragma once
// Opening a file that will hold this user's private data (a trace) at a path the user
// named, without writing into a file someone else planted there.
#include <string>

#include "common/result.hpp"

namespace patrol {

// A descriptor open for appending to path. A new file is created 0600 with O_EXCL; an
// existing one is used only when it is a regular file owned by this user that neither
// group nor others may write. A symbolic link is never followed. Errc::io otherwise,
// saying why in a phrase ("it is not yours").
Result<int> open_private_append(const std::string& path);

} // namespace patrol
