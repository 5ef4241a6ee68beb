#pragma once
// HMAC-SHA256 (RFC 2104) and HKDF-SHA256 (RFC 5869) over common/digest.hpp's SHA-256:
// the Secret Service session turns its Diffie-Hellman value into an AES key with them.
#include <cstddef>
#include <string_view>

#include "common/secret.hpp"

namespace patrol {

Secret hmac_sha256(std::string_view key, std::string_view message);

// length bytes of output keying material from input_key; an empty salt means
// sha256_bytes zero bytes (RFC 5869 2.2). length is at most 255 * 32.
Secret hkdf_sha256(std::string_view input_key, std::string_view salt, std::string_view info,
                   std::size_t length);

} // namespace patrol
