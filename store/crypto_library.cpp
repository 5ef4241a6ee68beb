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
  Result<SharedLibrary> handle = SharedLibrary::open(
      soname, "libgcrypt20", "the encrypted file store and the Secret Service's encrypted session");
  if (!handle) {
    return tl::unexpected(handle.error());
  }
  const SharedLibrary& lib = *handle;
  decltype(&::gcry_check_version) check_version = nullptr;
  decltype(&::gcry_control) control = nullptr;
  const bool bound =
      lib.bind("gcry_check_version", check_version) && lib.bind("gcry_control", control) &&
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
      lib.bind("gcry_mpi_new", library.mpi_new) && lib.bind("gcry_mpi_snew", library.mpi_snew) &&
      lib.bind("gcry_mpi_release", library.mpi_release) &&
      lib.bind("gcry_mpi_set", library.mpi_set) &&
      lib.bind("gcry_mpi_sub_ui", library.mpi_sub_ui) &&
      lib.bind("gcry_mpi_cmp", library.mpi_cmp) &&
      lib.bind("gcry_mpi_cmp_ui", library.mpi_cmp_ui) &&
      lib.bind("gcry_mpi_powm", library.mpi_powm) && lib.bind("gcry_mpi_scan", library.mpi_scan) &&
      lib.bind("gcry_mpi_print", library.mpi_print);
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
  // The Secret Service session keeps its private numbers in libgcrypt's secure memory,
  // which libgcrypt makes on first use; where the memory-lock limit is below its 32 KiB the
  // pool is still wiped but not locked, and libgcrypt would say so on stderr, a line git's
  // user cannot act on.
  control(GCRYCTL_DISABLE_SECMEM_WARN, 0);
  return &library;
}

} // namespace

Result<const CryptoLibrary*> crypto_library() {
  static const Result<const CryptoLibrary*> loaded = load(); // once, thread-safe
  return loaded;
}

CipherPtr open_cipher(const CryptoLibrary* gcrypt, int algorithm, int mode, std::string_view key,
                      std::string_view iv) {
  gcry_cipher_hd_t raw = nullptr;
  if (gcrypt->cipher_open(&raw, algorithm, mode, 0) != 0) {
    return CipherPtr(nullptr, CipherClose{gcrypt});
  }
  CipherPtr handle(raw, CipherClose{gcrypt});
  if (gcrypt->cipher_setkey(raw, key.data(), key.size()) != 0 ||
      gcrypt->cipher_setiv(raw, iv.data(), iv.size()) != 0) {
    return CipherPtr(nullptr, CipherClose{gcrypt});
  }
  return handle;
}

} // namespace patrol::store
