#pragma once
// The client half of the Secret Service's encrypted session, the API's
// "dh-ietf1024-sha256-aes128-cbc-pkcs7" algorithm as libsecret speaks it: Diffie-Hellman
// in RFC 2409's 1024-bit group 2 (generator 2), HKDF-SHA256 of the shared value (no salt,
// no info) for a 16-byte key, then AES-128-CBC with PKCS#7 padding for each secret.
// Secrets then cross the bus encrypted, not in the clear for anyone who watches it.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "common/secret.hpp"

namespace patrol::store {

inline constexpr std::string_view session_algorithm = "dh-ietf1024-sha256-aes128-cbc-pkcs7";

// A secret as the Secret Service carries it: its parameters (the 16-byte IV) and value.
struct EncryptedSecret {
  std::string iv;
  std::string ciphertext;
};

// Make it, send public_key() in OpenSession, give the service's answer to derive(); then
// decrypt() each secret. The private key and the AES key are wiped when it goes away.
class SecretSession {
public:
  // A fresh key pair from the kernel's random bytes.
  static Result<SecretSession> start();

  // Big-endian unsigned bytes, OpenSession's "ay" input.
  [[nodiscard]] const std::string& public_key() const { return public_key_; }

  // The AES key from the service's public key (OpenSession's "ay" output); Errc::store_failed
  // when that key is not one a genuine peer sends (<= 1, >= p - 1).
  Result<void> derive(std::string_view peer_public_key);

  // The plaintext of a secret the service sent; Errc::store_failed when the IV, the length
  // or the padding is wrong, or derive() has not succeeded.
  [[nodiscard]] Result<Secret> decrypt(std::string_view iv, std::string_view ciphertext) const;

  // plaintext padded and encrypted under a fresh random IV, for SetSecret or CreateItem.
  [[nodiscard]] Result<EncryptedSecret> encrypt(const Secret& plaintext) const;

private:
  SecretSession(Secret private_key, std::string public_key)
      : private_key_(std::move(private_key)), public_key_(std::move(public_key)) {}

  Secret private_key_; // big-endian bytes, 256 bits
  std::string public_key_;
  Secret aes_key_; // empty until derive()
};

// The parts decrypt() is made of, for tests with published vectors.
// AES-128-CBC without padding: Errc::store_failed unless key and iv are 16 bytes and the
// ciphertext a non-empty multiple of 16.
Result<Secret> aes128_cbc_decrypt(const Secret& key, std::string_view iv,
                                  std::string_view ciphertext);
// The length of padded without its PKCS#7 padding, or nullopt when that padding is wrong.
std::optional<std::size_t> pkcs7_unpadded_length(std::string_view padded);

} // namespace patrol::store
