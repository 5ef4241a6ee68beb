#include "store/secret_session.hpp"

#include <memory>
#include <type_traits>

#include "common/hkdf.hpp"
#include "common/random.hpp"
#include "store/crypto_library.hpp"

namespace patrol::store {
namespace {

// RFC 2409 6.2, the second Oakley group ("ietf-ike-grp-modp-1024" in libsecret), a safe
// prime: its only small subgroups are {1} and {1, p - 1}, which derive() refuses.
constexpr const char* prime_hex = "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"
                                  "29024E088A67CC74020BBEA63B139B22514A08798E3404DD"
                                  "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245"
                                  "E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
                                  "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381"
                                  "FFFFFFFFFFFFFFFF";
constexpr const char* generator_hex = "02";
constexpr std::size_t prime_bytes = 128;
constexpr std::size_t block_bytes = 16; // AES's block, the IV's and the key's length
// The private exponent: 256 random bits. The group offers about 80 bits of security, and
// an exponent of twice that (RFC 3526, section 8; van Oorschot and Wiener) loses none of it,
// while each modular exponentiation costs a quarter of a 1,024-bit one's (libsecret draws
// 1,023 bits: two exponentiations were two thirds of a get's instructions).
constexpr std::size_t exponent_bytes = 32;

struct MpiRelease {
  const CryptoLibrary* gcrypt;
  void operator()(gcry_mpi_t number) const { gcrypt->mpi_release(number); } // wipes its limbs
};
using Mpi = std::unique_ptr<std::remove_pointer_t<gcry_mpi_t>, MpiRelease>;

tl::unexpected<Error> session_failed(std::string_view what) {
  return fail(Errc::store_failed,
              "the Secret Service's encrypted session failed: " + std::string(what));
}

Mpi from_hex(const CryptoLibrary* gcrypt, const char* hex) {
  gcry_mpi_t number = nullptr;
  if (gcrypt->mpi_scan(&number, GCRYMPI_FMT_HEX, hex, 0, nullptr) != 0) {
    number = nullptr;
  }
  return Mpi(number, MpiRelease{gcrypt});
}

// bytes read as a big-endian unsigned number, in secure memory when secret (libgcrypt
// then keeps powm's intermediate values there too).
Mpi from_bytes(const CryptoLibrary* gcrypt, std::string_view bytes, bool secret) {
  gcry_mpi_t scanned = nullptr;
  if (gcrypt->mpi_scan(&scanned, GCRYMPI_FMT_USG, bytes.data(), bytes.size(), nullptr) != 0) {
    return Mpi(nullptr, MpiRelease{gcrypt});
  }
  Mpi number(scanned, MpiRelease{gcrypt});
  if (!secret) {
    return number;
  }
  Mpi secure(gcrypt->mpi_snew(8 * prime_bytes), MpiRelease{gcrypt});
  gcrypt->mpi_set(secure.get(), number.get());
  return secure;
}

// number as big-endian unsigned bytes, padded on the left with zeros to width bytes.
std::string to_bytes(const CryptoLibrary* gcrypt, const Mpi& number, std::size_t width) {
  std::size_t length = 0;
  if (gcrypt->mpi_print(GCRYMPI_FMT_USG, nullptr, 0, &length, number.get()) != 0 ||
      length > width) {
    return {};
  }
  std::string bytes(width, '\0');
  auto* out = reinterpret_cast<unsigned char*>(bytes.data()) + (width - length);
  if (gcrypt->mpi_print(GCRYMPI_FMT_USG, out, length, &length, number.get()) != 0) {
    wipe(bytes);
  }
  return bytes;
}

// Minimal big-endian bytes, as libsecret sends its public key.
std::string to_bytes(const CryptoLibrary* gcrypt, const Mpi& number) {
  std::string bytes = to_bytes(gcrypt, number, prime_bytes);
  const std::size_t first = bytes.find_first_not_of('\0');
  return first == std::string::npos ? std::string() : bytes.substr(first);
}

} // namespace

Result<SecretSession> SecretSession::start() {
  Result<const CryptoLibrary*> loaded = crypto_library();
  if (!loaded) {
    return tl::unexpected(loaded.error());
  }
  const CryptoLibrary* gcrypt = *loaded;
  Result<std::string> drawn = random_bytes(exponent_bytes);
  if (!drawn) {
    return tl::unexpected(drawn.error());
  }
  Secret private_key(std::move(*drawn));
  const Mpi prime = from_hex(gcrypt, prime_hex);
  const Mpi generator = from_hex(gcrypt, generator_hex);
  const Mpi exponent = from_bytes(gcrypt, private_key.view(), true);
  if (!prime || !generator || !exponent) {
    return session_failed("libgcrypt could not read a number");
  }
  if (gcrypt->mpi_cmp_ui(exponent.get(), 1) <= 0) { // 2^-255 to happen; never a usable key
    return session_failed("the random private key came out as 0 or 1; try again");
  }
  const Mpi public_number(gcrypt->mpi_new(8 * prime_bytes), MpiRelease{gcrypt});
  gcrypt->mpi_powm(public_number.get(), generator.get(), exponent.get(), prime.get());
  std::string public_key = to_bytes(gcrypt, public_number);
  if (public_key.empty()) {
    return session_failed("libgcrypt could not write the public key");
  }
  return SecretSession(std::move(private_key), std::move(public_key));
}

Result<void> SecretSession::derive(std::string_view peer_public_key) {
  Result<const CryptoLibrary*> loaded = crypto_library();
  if (!loaded) {
    return tl::unexpected(loaded.error());
  }
  const CryptoLibrary* gcrypt = *loaded;
  const Mpi prime = from_hex(gcrypt, prime_hex);
  const Mpi peer = from_bytes(gcrypt, peer_public_key, false);
  const Mpi exponent = from_bytes(gcrypt, private_key_.view(), true);
  const Mpi highest(gcrypt->mpi_new(8 * prime_bytes), MpiRelease{gcrypt});
  if (!prime || !peer || !exponent) {
    return session_failed("libgcrypt could not read a number");
  }
  gcrypt->mpi_sub_ui(highest.get(), prime.get(), 1);
  // 0, 1 and p - 1 would make the shared value one an eavesdropper knows; p and above are
  // no element of the group at all.
  if (gcrypt->mpi_cmp_ui(peer.get(), 1) <= 0 || gcrypt->mpi_cmp(peer.get(), highest.get()) >= 0) {
    return session_failed("the service's public key is outside the group (1 < key < p - 1); "
                          "the service on the bus is not a genuine Secret Service");
  }
  const Mpi shared(gcrypt->mpi_snew(8 * prime_bytes), MpiRelease{gcrypt});
  gcrypt->mpi_powm(shared.get(), peer.get(), exponent.get(), prime.get());
  std::string input_key = to_bytes(gcrypt, shared, prime_bytes); // padded, as libsecret does
  if (input_key.empty()) {
    return session_failed("libgcrypt could not write the shared value");
  }
  aes_key_ = hkdf_sha256(input_key, {}, {}, block_bytes);
  wipe(input_key);
  return {};
}

Result<Secret> SecretSession::decrypt(std::string_view iv, std::string_view ciphertext) const {
  if (aes_key_.empty()) {
    return session_failed("a secret arrived before the session's key was agreed");
  }
  Result<Secret> padded = aes128_cbc_decrypt(aes_key_, iv, ciphertext);
  if (!padded) {
    return padded;
  }
  const std::optional<std::size_t> length = pkcs7_unpadded_length(padded->view());
  if (!length) {
    return session_failed("the secret does not decrypt to a padded value (wrong key or a "
                          "corrupted message); try again");
  }
  return Secret(std::string(padded->view().substr(0, *length)));
}

Result<EncryptedSecret> SecretSession::encrypt(const Secret& plaintext) const {
  if (aes_key_.empty()) {
    return session_failed("a secret was to be sent before the session's key was agreed");
  }
  Result<const CryptoLibrary*> loaded = crypto_library();
  if (!loaded) {
    return tl::unexpected(loaded.error());
  }
  Result<std::string> iv = random_bytes(block_bytes);
  if (!iv) {
    return tl::unexpected(iv.error());
  }
  const std::size_t pad = block_bytes - plaintext.view().size() % block_bytes; // 1..16
  std::string data(plaintext.view());
  data.reserve(data.size() + pad); // no reallocation leaves a copy of the plaintext behind
  data.append(pad, static_cast<char>(pad));
  const CipherPtr cipher =
      open_cipher(*loaded, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_CBC, aes_key_.view(), *iv);
  if (!cipher ||
      (*loaded)->cipher_encrypt(cipher.get(), data.data(), data.size(), nullptr, 0) != 0) {
    wipe(data);
    return session_failed("libgcrypt could not encrypt the secret");
  }
  return EncryptedSecret{std::move(*iv), std::move(data)};
}

Result<Secret> aes128_cbc_decrypt(const Secret& key, std::string_view iv,
                                  std::string_view ciphertext) {
  if (key.view().size() != block_bytes) {
    return session_failed("the session's key is not 16 bytes");
  }
  if (iv.size() != block_bytes) {
    return session_failed("the secret's IV is " + std::to_string(iv.size()) +
                          " bytes, not 16; the service speaks another algorithm");
  }
  if (ciphertext.empty() || ciphertext.size() % block_bytes != 0) {
    return session_failed("the encrypted secret is " + std::to_string(ciphertext.size()) +
                          " bytes, not a whole number of 16-byte blocks");
  }
  Result<const CryptoLibrary*> loaded = crypto_library();
  if (!loaded) {
    return tl::unexpected(loaded.error());
  }
  std::string plain(ciphertext);
  const CipherPtr cipher =
      open_cipher(*loaded, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_CBC, key.view(), iv);
  if (!cipher ||
      (*loaded)->cipher_decrypt(cipher.get(), plain.data(), plain.size(), nullptr, 0) != 0) {
    wipe(plain);
    return session_failed("libgcrypt could not decrypt the secret");
  }
  return Secret(std::move(plain));
}

// Every padding byte is checked, each the padding's length, 1 to 16.
std::optional<std::size_t> pkcs7_unpadded_length(std::string_view padded) {
  if (padded.empty() || padded.size() % block_bytes != 0) {
    return std::nullopt;
  }
  const auto pad = static_cast<unsigned char>(padded.back());
  if (pad == 0 || pad > block_bytes) {
    return std::nullopt;
  }
  for (std::size_t i = padded.size() - pad; i < padded.size(); ++i) {
    if (static_cast<unsigned char>(padded[i]) != pad) {
      return std::nullopt;
    }
  }
  return padded.size() - pad;
}

} // namespace patrol::store
