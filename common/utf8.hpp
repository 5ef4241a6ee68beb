#pragma once
// Whether bytes are UTF-8, for stores whose keys must be text (the Secret Service's
// attributes, the file store's JSON strings).
#include <string_view>

namespace patrol {

// RFC 3629 UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
[[nodiscard]] bool valid_utf8(std::string_view text);

} // namespace patrol
