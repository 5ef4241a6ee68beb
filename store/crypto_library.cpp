#include "store/crypto_library.hpp"

#include <string>

#include "common/shared_library.hpp"

namespace patrol::store {
namespace {

// OpenSSL 3.x keeps this SONAME; Debian's libssl3 package provides it.
constexpr const char* soname = "libcrypto.so.3";

Result<const CryptoLibrary*> load() {
  static CryptoLibrary library{};
  Result<SharedLibrary> handle = SharedLibrary::open(soname, "libssl3", "the encrypted file store");
  if (!handle) {
    return tl::unexpected(handle.error());
  }
  const SharedLibrary& lib = *handle;
  decltype(&::OPENSSL_init_crypto) init_crypto = nullptr;
  const bool bound =
      lib.bind("OPENSSL_init_crypto", init_crypto) && lib.bind("RAND_bytes", library.rand_bytes) &&
      lib.bind("EVP_PBE_scrypt", library.pbe_scrypt) &&
      lib.bind("EVP_aes_256_gcm", library.aes_256_gcm) &&
      lib.bind("EVP_CIPHER_CTX_new", library.cipher_ctx_new) &&
      lib.bind("EVP_CIPHER_CTX_free", library.cipher_ctx_free) &&
      lib.bind("EVP_CIPHER_CTX_ctrl", library.cipher_ctx_ctrl) &&
      lib.bind("EVP_EncryptInit_ex", library.encrypt_init) &&
      lib.bind("EVP_EncryptUpdate", library.encrypt_update) &&
      lib.bind("EVP_EncryptFinal_ex", library.encrypt_final) &&
      lib.bind("EVP_DecryptInit_ex", library.decrypt_init) &&
      lib.bind("EVP_DecryptUpdate", library.decrypt_update) &&
      lib.bind("EVP_DecryptFinal_ex", library.decrypt_final);
  if (!bound) {
    return fail(Errc::unsupported,
                std::string(soname) + " lacks a function patrol needs; install OpenSSL 3");
  }
  // Only what the file store uses: no openssl.cnf (the store chooses its algorithms
  // itself, and reading and applying the system's configuration is most of OpenSSL's
  // start-up), and no clean-up handler run at exit.
  if (init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG | OPENSSL_INIT_NO_ATEXIT, nullptr) != 1) {
    return fail(Errc::store_failed, "cannot initialise OpenSSL");
  }
  return &library;
}

} // namespace

Result<const CryptoLibrary*> crypto_library() {
  static const Result<const CryptoLibrary*> loaded = load(); // once, thread-safe
  return loaded;
}

} // namespace patrol::store
