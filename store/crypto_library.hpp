#pragma once
// libcrypto (OpenSSL 3), loaded when the file store first encrypts or decrypts rather than
// when the program starts: the Secret Service and environment stores never need it, and
// linking it costs every `git credential fill` a library, its relocations and OpenSSL's
// initialisation.
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "common/result.hpp"

namespace patrol::store {

struct CryptoLibrary {
  decltype(&::RAND_bytes) rand_bytes;
  decltype(&::EVP_PBE_scrypt) pbe_scrypt;
  decltype(&::EVP_aes_256_gcm) aes_256_gcm;
  decltype(&::EVP_CIPHER_CTX_new) cipher_ctx_new;
  decltype(&::EVP_CIPHER_CTX_free) cipher_ctx_free;
  decltype(&::EVP_CIPHER_CTX_ctrl) cipher_ctx_ctrl;
  decltype(&::EVP_EncryptInit_ex) encrypt_init;
  decltype(&::EVP_EncryptUpdate) encrypt_update;
  decltype(&::EVP_EncryptFinal_ex) encrypt_final;
  decltype(&::EVP_DecryptInit_ex) decrypt_init;
  decltype(&::EVP_DecryptUpdate) decrypt_update;
  decltype(&::EVP_DecryptFinal_ex) decrypt_final;
};

// The loaded and initialised library; loads it on the first call (thread-safe).
// Errc::unsupported when libcrypto 3 cannot be loaded.
Result<const CryptoLibrary*> crypto_library();

} // namespace patrol::store
