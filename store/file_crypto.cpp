#include "store/file_crypto.hpp"

#include <array>
#include <memory>

#include "store/crypto_library.hpp"

namespace patrol::store::file_crypto {
namespace {

struct CipherFree {
  const CryptoLibrary* ssl;
  void operator()(EVP_CIPHER_CTX* context) const { ssl->cipher_ctx_free(context); }
};
using CipherPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherFree>;

const unsigned char* bytes_of(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

unsigned char* bytes_of(std::string& text) { return reinterpret_cast<unsigned char*>(text.data()); }

int int_size(std::size_t size) { return static_cast<int>(size); }

tl::unexpected<Error> crypto_failed(std::string_view what) {
  return fail(Errc::store_failed, "OpenSSL failed while " + std::string(what));
}

// Upper bound on what a file may ask scrypt for: 256 MiB of memory.
constexpr std::uint64_t max_scrypt_memory = std::uint64_t{256} << 20;

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

Result<std::string> random_bytes(std::size_t count) {
  Result<const CryptoLibrary*> ssl = crypto_library();
  if (!ssl) {
    return tl::unexpected(ssl.error());
  }
  std::string bytes(count, '\0');
  if ((*ssl)->rand_bytes(bytes_of(bytes), int_size(count)) != 1) {
    return crypto_failed("drawing random bytes");
  }
  return bytes;
}

Result<Secret> derive_key(const Secret& passphrase, std::string_view salt,
                          const ScryptParams& params) {
  if (!acceptable(params)) {
    return fail(Errc::store_failed, "the file asks for scrypt parameters this build refuses");
  }
  Result<const CryptoLibrary*> ssl = crypto_library();
  if (!ssl) {
    return tl::unexpected(ssl.error());
  }
  std::string key(key_bytes, '\0');
  const std::uint64_t memory = 128 * params.r * params.n + (std::uint64_t{1} << 20);
  if ((*ssl)->pbe_scrypt(passphrase.view().data(), passphrase.view().size(), bytes_of(salt),
                     salt.size(), params.n, params.r, params.p, memory, bytes_of(key),
                     key.size()) != 1) {
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
  const CryptoLibrary* ssl = *loaded;
  Result<std::string> nonce = random_bytes(nonce_bytes);
  if (!nonce) {
    return tl::unexpected(nonce.error());
  }
  CipherPtr context(ssl->cipher_ctx_new(), CipherFree{ssl});
  std::string sealed = *nonce;
  sealed.resize(nonce_bytes + plaintext.size() + tag_bytes);
  unsigned char* out = bytes_of(sealed) + nonce_bytes;
  int written = 0;
  int final_written = 0;
  const bool ok =
      context &&
      ssl->encrypt_init(context.get(), ssl->aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
      ssl->cipher_ctx_ctrl(context.get(), EVP_CTRL_GCM_SET_IVLEN, int_size(nonce_bytes), nullptr) ==
          1 &&
      ssl->encrypt_init(context.get(), nullptr, nullptr, bytes_of(key.view()),
                         bytes_of(*nonce)) == 1 &&
      ssl->encrypt_update(context.get(), nullptr, &written, bytes_of(aad), int_size(aad.size())) ==
          1 &&
      ssl->encrypt_update(context.get(), out, &written, bytes_of(plaintext),
                        int_size(plaintext.size())) == 1 &&
      ssl->encrypt_final(context.get(), out + written, &final_written) == 1 &&
      ssl->cipher_ctx_ctrl(context.get(), EVP_CTRL_GCM_GET_TAG, int_size(tag_bytes),
                          out + plaintext.size()) == 1;
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
  const CryptoLibrary* ssl = *loaded;
  const std::size_t length = sealed.size() - nonce_bytes - tag_bytes;
  const std::string_view nonce = sealed.substr(0, nonce_bytes);
  const std::string_view ciphertext = sealed.substr(nonce_bytes, length);
  std::string tag(sealed.substr(nonce_bytes + length));
  std::string plain(length, '\0');
  CipherPtr context(ssl->cipher_ctx_new(), CipherFree{ssl});
  int written = 0;
  int final_written = 0;
  const bool ok =
      context &&
      ssl->decrypt_init(context.get(), ssl->aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
      ssl->cipher_ctx_ctrl(context.get(), EVP_CTRL_GCM_SET_IVLEN, int_size(nonce_bytes), nullptr) ==
          1 &&
      ssl->decrypt_init(context.get(), nullptr, nullptr, bytes_of(key.view()), bytes_of(nonce)) ==
          1 &&
      ssl->decrypt_update(context.get(), nullptr, &written, bytes_of(aad), int_size(aad.size())) ==
          1 &&
      ssl->decrypt_update(context.get(), bytes_of(plain), &written, bytes_of(ciphertext),
                        int_size(ciphertext.size())) == 1 &&
      ssl->cipher_ctx_ctrl(context.get(), EVP_CTRL_GCM_SET_TAG, int_size(tag_bytes),
                          tag.data()) == 1 &&
      ssl->decrypt_final(context.get(), bytes_of(plain) + written, &final_written) == 1;
  if (!ok) {
    wipe(plain);
    return fail(Errc::store_failed, "the encrypted data does not open with this key");
  }
  return Secret(std::move(plain));
}

// RFC 4648 base64 with padding, here rather than from libcrypto: the file format reads
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
  std::string text;
  text.reserve(4 * ((bytes.size() + 2) / 3));
  for (std::size_t at = 0; at < bytes.size(); at += 3) {
    const std::size_t count = std::min<std::size_t>(3, bytes.size() - at);
    std::uint32_t group = 0;
    for (std::size_t i = 0; i < 3; ++i) {
      group = (group << 8) | (i < count ? static_cast<unsigned char>(bytes[at + i]) : 0U);
    }
    for (std::size_t i = 0; i < 4; ++i) {
      text += i <= count ? alphabet[(group >> (18 - 6 * i)) & 0x3f] : '=';
    }
  }
  return text;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) {
    return std::nullopt;
  }
  std::string bytes;
  bytes.reserve(3 * (text.size() / 4));
  for (std::size_t at = 0; at < text.size(); at += 4) {
    const bool last = at + 4 == text.size();
    // Padding only at the very end: "xx==" or "xxx=".
    std::size_t padding = 0;
    if (last && text[at + 3] == '=') {
      padding = text[at + 2] == '=' ? 2 : 1;
    }
    std::uint32_t group = 0;
    for (std::size_t i = 0; i < 4; ++i) {
      const signed char value =
          i < 4 - padding ? decoding[static_cast<unsigned char>(text[at + i])] : 0;
      if (value < 0) {
        return std::nullopt;
      }
      group = (group << 6) | static_cast<std::uint32_t>(value);
    }
    for (std::size_t i = 0; i < 3 - padding; ++i) {
      bytes += static_cast<char>((group >> (16 - 8 * i)) & 0xff);
    }
  }
  return bytes;
}

} // namespace patrol::store::file_crypto
