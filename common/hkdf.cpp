#include "common/hkdf.hpp"

#include <algorithm>
#include <string>

#include "common/digest.hpp"

namespace patrol {
namespace {

constexpr std::size_t block_bytes = 64; // SHA-256's block

// SHA-256 of (key xor pad) followed by message, wiping the copies it makes.
std::string padded_hash(std::string_view key, unsigned char pad, std::string_view message) {
  std::string input(block_bytes, static_cast<char>(pad));
  for (std::size_t i = 0; i < key.size(); ++i) {
    input[i] = static_cast<char>(static_cast<unsigned char>(key[i]) ^ pad);
  }
  input.append(message);
  std::string digest = sha256(input);
  wipe(input);
  return digest;
}

} // namespace

Secret hmac_sha256(std::string_view key, std::string_view message) {
  std::string hashed_key;
  if (key.size() > block_bytes) { // RFC 2104: a long key is hashed first
    hashed_key = sha256(key);
    key = hashed_key;
  }
  std::string inner = padded_hash(key, 0x36, message);
  Secret mac(padded_hash(key, 0x5c, inner));
  wipe(inner);
  wipe(hashed_key);
  return mac;
}

Secret hkdf_sha256(std::string_view input_key, std::string_view salt, std::string_view info,
                   std::size_t length) {
  const std::string zeros(sha256_bytes, '\0');
  const Secret pseudorandom_key =
      hmac_sha256(salt.empty() ? std::string_view(zeros) : salt, input_key);
  std::string output;
  output.reserve(length); // no reallocation leaves a copy behind
  std::string block;      // T(i) = HMAC(PRK, T(i-1) | info | i)
  for (unsigned counter = 1; output.size() < length && counter <= 255; ++counter) {
    block.append(info);
    block += static_cast<char>(counter);
    Secret next = hmac_sha256(pseudorandom_key.view(), block);
    wipe(block);
    block.assign(next.view());
    output.append(block, 0, std::min(block.size(), length - output.size()));
  }
  wipe(block);
  return Secret(std::move(output));
}

} // namespace patrol
