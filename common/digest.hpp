#pragma once
// SHA-256: as lowercase hex, names for files that stand for a credential or a token
// without holding it (lock files, the memory of environment tokens); as bytes, the hash
// under HMAC and HKDF (common/hkdf.hpp).
#include <cstddef>
#include <string>
#include <string_view>

namespace patrol {

inline constexpr std::size_t sha256_bytes = 32;

// The 32-byte digest; the caller wipes it when what was hashed is a secret.
std::string sha256(std::string_view bytes);

std::string sha256_hex(std::string_view bytes);

} // namespace patrol
