#pragma once
// libgcrypt, loaded when the file store first encrypts, decrypts or derives a key, or a
// Secret Service session first agrees on a key, rather than when the program starts: the
// environment store and most commands never need it.
// libgcrypt rather than OpenSSL 3: OpenSSL's first use of a cipher builds its provider's
// whole algorithm table, some 8 million instructions on every get from the file store,
// where libgcrypt's load, initialisation and AES-256-GCM take 0.3 million. The Secret
// Service path already brings libgcrypt (libsecret's session encryption).
#include <memory>
#include <string_view>
#include <type_traits>

// Without libgcrypt's short mpi_* macros, which would rewrite the table's members below.
#ifndef GCRYPT_NO_MPI_MACROS
#define GCRYPT_NO_MPI_MACROS 1
#endif
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
  // Big numbers, for the Secret Service session's Diffie-Hellman.
  decltype(&::gcry_mpi_new) mpi_new;
  decltype(&::gcry_mpi_snew) mpi_snew;
  decltype(&::gcry_mpi_release) mpi_release;
  decltype(&::gcry_mpi_set) mpi_set;
  decltype(&::gcry_mpi_sub_ui) mpi_sub_ui;
  decltype(&::gcry_mpi_cmp) mpi_cmp;
  decltype(&::gcry_mpi_cmp_ui) mpi_cmp_ui;
  decltype(&::gcry_mpi_powm) mpi_powm;
  decltype(&::gcry_mpi_scan) mpi_scan;
  decltype(&::gcry_mpi_print) mpi_print;
};

// The loaded and initialised library; loads it on the first call (thread-safe).
// Errc::unsupported when libgcrypt 1.9 or newer cannot be loaded.
Result<const CryptoLibrary*> crypto_library();

struct CipherClose {
  const CryptoLibrary* gcrypt;
  void operator()(gcry_cipher_hd_t handle) const { gcrypt->cipher_close(handle); }
};
using CipherPtr = std::unique_ptr<std::remove_pointer_t<gcry_cipher_hd_t>, CipherClose>;

// A handle for algorithm in mode, keyed and set to iv; nullptr when libgcrypt refuses one
// of them (a key or an iv of the wrong length).
CipherPtr open_cipher(const CryptoLibrary* gcrypt, int algorithm, int mode, std::string_view key,
                      std::string_view iv);

} // namespace patrol::store
