#pragma once
// libgcrypt, loaded when the file store first encrypts, decrypts or derives a key rather
// than when the program starts: the Secret Service and environment stores never need it.
// libgcrypt rather than OpenSSL 3: OpenSSL's first use of a cipher builds its provider's
// whole algorithm table, some 8 million instructions on every get from the file store,
// where libgcrypt's load, initialisation and AES-256-GCM take 0.3 million. The Secret
// Service path already brings libgcrypt (libsecret's session encryption).
#include <gcrypt.h>

#include "common/result.hpp"

namespace patrol::store {

struct CryptoLibrary {
  decltype(&::gcry_cipher_open) cipher_open;
  decltype(&::gcry_cipher_close) cipher_close;
  decltype(&::gcry_cipher_setkey) cipher_setkey;
  decltype(&::gcry_cipher_setiv) cipher_setiv;
  decltype(&::gcry_cipher_authenticate) cipher_authenticate;
  decltype(&::gcry_cipher_encrypt) cipher_encrypt;
  decltype(&::gcry_cipher_decrypt) cipher_decrypt;
  decltype(&::gcry_cipher_gettag) cipher_gettag;
  decltype(&::gcry_cipher_checktag) cipher_checktag;
  decltype(&::gcry_kdf_derive) kdf_derive;
  decltype(&::gcry_md_hash_buffers) md_hash_buffers;
};

// The loaded and initialised library; loads it on the first call (thread-safe).
// Errc::unsupported when libgcrypt 1.9 or newer cannot be loaded.
Result<const CryptoLibrary*> crypto_library();

} // namespace patrol::store
