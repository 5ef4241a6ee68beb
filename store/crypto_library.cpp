#include "store/crypto_library.hpp"

#include <string>

#include "common/shared_library.hpp"

namespace patrol::store {
namespace {

// libgcrypt 1.x keeps this SONAME; Debian's libgcrypt20 package provides it.
constexpr const char* soname = "libgcrypt.so.20";
// scrypt and AES-GCM's checktag as used here are in every 1.9 and newer.
constexpr const char* oldest_version = "1.9.0";

Result<const CryptoLibrary*> load() {
  static CryptoLibrary library{};
  Result<SharedLibrary> handle =
      SharedLibrary::open(soname, "libgcrypt20", "the encrypted file store");
  if (!handle) {
    return tl::unexpected(handle.error());
  }
  const SharedLibrary& lib = *handle;
  decltype(&::gcry_check_version) check_version = nullptr;
  decltype(&::gcry_control) control = nullptr;
  const bool bound = lib.bind("gcry_check_version", check_version) &&
                     lib.bind("gcry_control", control) &&
                     lib.bind("gcry_cipher_open", library.cipher_open) &&
                     lib.bind("gcry_cipher_close", library.cipher_close) &&
                     lib.bind("gcry_cipher_setkey", library.cipher_setkey) &&
                     lib.bind("gcry_cipher_setiv", library.cipher_setiv) &&
                     lib.bind("gcry_cipher_authenticate", library.cipher_authenticate) &&
                     lib.bind("gcry_cipher_encrypt", library.cipher_encrypt) &&
                     lib.bind("gcry_cipher_decrypt", library.cipher_decrypt) &&
                     lib.bind("gcry_cipher_gettag", library.cipher_gettag) &&
                     lib.bind("gcry_cipher_checktag", library.cipher_checktag) &&
                     lib.bind("gcry_kdf_derive", library.kdf_derive) &&
                     lib.bind("gcry_md_hash_buffers", library.md_hash_buffers);
  if (!bound) {
    return fail(Errc::unsupported, std::string(soname) +
                                       " lacks a function patrol needs; install libgcrypt " +
                                       oldest_version + " or newer");
  }
  // libgcrypt wants one initialisation per process; libsecret may have done it already
  // (the auto store's probe loads it before the file store is chosen).
  if (control(GCRYCTL_INITIALIZATION_FINISHED_P) == 0) {
    if (check_version(oldest_version) == nullptr) {
      return fail(Errc::unsupported, std::string("libgcrypt is older than ") + oldest_version +
                                         "; install a newer one");
    }
    control(GCRYCTL_INITIALIZATION_FINISHED, 0);
  }
  return &library;
}

} // namespace

Result<const CryptoLibrary*> crypto_library() {
  static const Result<const CryptoLibrary*> loaded = load(); // once, thread-safe
  return loaded;
}

} // namespace patrol::store
