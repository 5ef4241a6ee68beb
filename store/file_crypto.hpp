#pragma once
// The cryptography of the encrypted file store, over values: scrypt to turn a passphrase
// into a key, AES-256-GCM to seal and open bytes, and the base64 the file format
// needs. No files, no prompts.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "common/secret.hpp"

namespace patrol::store::file_crypto {

inline constexpr std::size_t key_bytes = 32;   // AES-256
inline constexpr std::size_t nonce_bytes = 12; // GCM's recommended IV length
inline constexpr std::size_t tag_bytes = 16;
inline constexpr std::size_t salt_bytes = 16;

// scrypt's cost: n = 2^15, r = 8 takes 32 MiB and about 0.1 s, once per login session.
struct ScryptParams {
  std::uint64_t n = std::uint64_t{1} << 15;
  std::uint64_t r = 8;
  std::uint64_t p = 1;
};

// Whether params are ones this build accepts to read (a file cannot make us allocate
// gigabytes or spin for minutes).
bool acceptable(const ScryptParams& params);

// Whether params are at least this build's defaults in each of n, r and p: the file store
// never wrote weaker ones, so weaker ones mean someone made the passphrase cheap to guess.
bool strong_enough(const ScryptParams& params);

Result<Secret> derive_key(const Secret& passphrase, std::string_view salt,
                          const ScryptParams& params);

inline constexpr std::size_t hmac_bytes = 32; // HMAC-SHA256

// nonce || ciphertext || tag, with a fresh random nonce; aad is authenticated, not stored.
Result<std::string> seal(const Secret& key, std::string_view plaintext, std::string_view aad);

// The plaintext, or an Errc::store_failed error when the key is wrong or a byte of sealed
// or aad changed; callers say which of those it means in their context.
Result<Secret> open(const Secret& key, std::string_view sealed, std::string_view aad);

std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

} // namespace patrol::store::file_crypto
