#pragma once
// SHA-256 as lowercase hex: names for files that stand for a credential or a token
// without holding it (lock files, the memory of environment tokens).
#include <string>
#include <string_view>

namespace patrol {

std::string sha256_hex(std::string_view bytes);

} // namespace patrol
