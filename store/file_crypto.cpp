#include "store/file_crypto.hpp"

#include <algorithm>
#include <array>
#include <memory>

#include "common/random.hpp"
#include "store/crypto_library.hpp"

namespace patrol::store::file_crypto {
namespace {

tl::unexpected<Error> crypto_failed(std::string_view what) {
  return fail(Errc::store_failed, "libgcrypt failed while " + std::string(what));
}

// Upper bound on what a file may ask scrypt for: 256 MiB of memory.
constexpr std::uint64_t max_scrypt_memory = std::uint64_t{256} << 20;

// libgcrypt's scrypt has r fixed at 8, the value this store has always written.
constexpr std::uint64_t scrypt_block_size = 8;

// An AES-256-GCM handle keyed with key and set to nonce, or nullptr.
CipherPtr gcm(const CryptoLibrary* gcrypt, const Secret& key, std::string_view nonce) {
  return open_cipher(gcrypt, GCRY_CIPHER_AES256, GCRY_CIPHER_MODE_GCM, key.view(), nonce);
}

} // namespace

bool acceptable(const ScryptParams& params) {
  const bool power_of_two = params.n > 1 && (params.n & (params.n - 1)) == 0;
  return power_of_two && params.r >= 1 && params.r <= 32 && params.p >= 1 && params.p <= 16 &&
         params.n <= (std::uint64_t{1} << 22) && 128 * params.r * params.n <= max_scrypt_memory;
}

bool strong_enough(const ScryptParams& params) {
  const ScryptParams defaults;
  return params.n >= defaults.n && params.r >= defaults.r && params.p >= defaults.p;
}

Result<Secret> derive_key(const Secret& passphrase, std::string_view salt,
                          const ScryptParams& params) {
  if (!acceptable(params)) {
    return fail(Errc::store_failed, "the file asks for scrypt parameters this build refuses");
  }
  if (params.r != scrypt_block_size) {
    return fail(Errc::store_failed, "the file asks for scrypt with r=" + std::to_string(params.r) +
                                        ", and this build derives keys with r=8 only");
  }
  Result<const CryptoLibrary*> gcrypt = crypto_library();
  if (!gcrypt) {
    return tl::unexpected(gcrypt.error());
  }
  std::string key(key_bytes, '\0');
  if ((*gcrypt)->kdf_derive(passphrase.view().data(), passphrase.view().size(), GCRY_KDF_SCRYPT,
                            static_cast<int>(params.n), salt.data(), salt.size(),
                            static_cast<unsigned long>(params.p), key.size(), key.data()) != 0) {
    wipe(key);
    return crypto_failed("deriving a key from the passphrase (scrypt)");
  }
  return Secret(std::move(key));
}

Result<std::string> seal(const Secret& key, std::string_view plaintext, std::string_view aad) {
  if (key.view().size() != key_bytes) {
    return fail(Errc::store_failed, "an encryption key of the wrong length");
  }
  Result<const CryptoLibrary*> loaded = crypto_library();
  if (!loaded) {
    return tl::unexpected(loaded.error());
  }
  const CryptoLibrary* gcrypt = *loaded;
  Result<std::string> nonce = random_bytes(nonce_bytes);
  if (!nonce) {
    return tl::unexpected(nonce.error());
  }
  std::string sealed = *nonce;
  sealed.resize(nonce_bytes + plaintext.size() + tag_bytes);
  char* out = sealed.data() + nonce_bytes;
  CipherPtr handle = gcm(gcrypt, key, *nonce);
  const bool ok =
      handle && gcrypt->cipher_authenticate(handle.get(), aad.data(), aad.size()) == 0 &&
      (plaintext.empty() || gcrypt->cipher_encrypt(handle.get(), out, plaintext.size(),
                                                   plaintext.data(), plaintext.size()) == 0) &&
      gcrypt->cipher_gettag(handle.get(), out + plaintext.size(), tag_bytes) == 0;
  if (!ok) {
    return crypto_failed("encrypting");
  }
  return sealed;
}

Result<Secret> open(const Secret& key, std::string_view sealed, std::string_view aad) {
  if (key.view().size() != key_bytes || sealed.size() < nonce_bytes + tag_bytes) {
    return fail(Errc::store_failed, "the encrypted data is too short or the key is wrong");
  }
  Result<const CryptoLibrary*> loaded = crypto_library();
  if (!loaded) {
    return tl::unexpected(loaded.error());
  }
  const CryptoLibrary* gcrypt = *loaded;
  const std::size_t length = sealed.size() - nonce_bytes - tag_bytes;
  const std::string_view nonce = sealed.substr(0, nonce_bytes);
  const std::string_view ciphertext = sealed.substr(nonce_bytes, length);
  const std::string_view tag = sealed.substr(nonce_bytes + length);
  std::string plain(length, '\0');
  CipherPtr handle = gcm(gcrypt, key, nonce);
  const bool ok =
      handle && gcrypt->cipher_authenticate(handle.get(), aad.data(), aad.size()) == 0 &&
      (ciphertext.empty() || gcrypt->cipher_decrypt(handle.get(), plain.data(), plain.size(),
                                                    ciphertext.data(), ciphertext.size()) == 0) &&
      gcrypt->cipher_checktag(handle.get(), tag.data(), tag.size()) == 0;
  if (!ok) {
    wipe(plain);
    return fail(Errc::store_failed, "the encrypted data does not open with this key");
  }
  return Secret(std::move(plain));
}

// RFC 4648 base64 with padding, here rather than from a library: the file format reads
// and writes it for fields that need no cryptography.
namespace {

constexpr std::string_view alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Each byte's value in the alphabet, or -1.
constexpr std::array<signed char, 256> decoding = [] {
  std::array<signed char, 256> table{};
  table.fill(-1);
  for (std::size_t i = 0; i < alphabet.size(); ++i) {
    table[static_cast<unsigned char>(alphabet[i])] = static_cast<signed char>(i);
  }
  return table;
}();

} // namespace

std::string base64_encode(std::string_view bytes) {
  std::string text(4 * ((bytes.size() + 2) / 3), '=');
  char* out = text.data();
  for (std::size_t at = 0; at < bytes.size(); at += 3) {
    const std::size_t count = std::min<std::size_t>(3, bytes.size() - at);
    std::uint32_t group = 0;
    for (std::size_t i = 0; i < 3; ++i) {
      group = (group << 8) | (i < count ? static_cast<unsigned char>(bytes[at + i]) : 0U);
    }
    for (std::size_t i = 0; i <= count; ++i) { // the rest stays '='
      out[i] = alphabet[(group >> (18 - 6 * i)) & 0x3f];
    }
    out += 4;
  }
  return text;
}

// Written into a buffer sized once: every credential in the file passes through here on
// every write (and a version 1 or 2 file's whole payload on every read).
std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) {
    return std::nullopt;
  }
  // Padding only at the very end: "xx==" or "xxx=".
  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') {
    padding = text[text.size() - 2] == '=' ? 2 : 1;
  }
  std::string bytes(3 * (text.size() / 4) - padding, '\0');
  char* out = bytes.data();
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  // One value of the alphabet, or -1 (which ORed into the others marks the group invalid).
  const auto value = [&](std::size_t at) -> int { return decoding[in[at]]; };
  const std::size_t whole = padding != 0 ? text.size() - 4 : text.size();
  for (std::size_t at = 0; at < whole; at += 4) {
    const int a = value(at), b = value(at + 1), c = value(at + 2), d = value(at + 3);
    if ((a | b | c | d) < 0) {
      return std::nullopt;
    }
    const auto group = static_cast<std::uint32_t>((a << 18) | (b << 12) | (c << 6) | d);
    out[0] = static_cast<char>(group >> 16);
    out[1] = static_cast<char>((group >> 8) & 0xff);
    out[2] = static_cast<char>(group & 0xff);
    out += 3;
  }
  if (padding != 0) {
    const std::size_t at = whole;
    const int a = value(at), b = value(at + 1), c = padding == 1 ? value(at + 2) : 0;
    if ((a | b | c) < 0) {
      return std::nullopt;
    }
    const auto group = static_cast<std::uint32_t>((a << 18) | (b << 12) | (c << 6));
    out[0] = static_cast<char>(group >> 16);
    if (padding == 1) {
      out[1] = static_cast<char>((group >> 8) & 0xff);
    }
  }
  return bytes;
}

} // namespace patrol::store::file_crypto
