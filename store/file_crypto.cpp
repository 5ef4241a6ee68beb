#include "store/file_crypto.hpp"

#include <memory>

#include <openssl/evp.h>
#include <openssl/rand.h>

namespace patrol::store::file_crypto {
namespace {

struct CipherFree {
  void operator()(EVP_CIPHER_CTX* context) const { EVP_CIPHER_CTX_free(context); }
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
  std::string bytes(count, '\0');
  if (RAND_bytes(bytes_of(bytes), int_size(count)) != 1) {
    return crypto_failed("drawing random bytes");
  }
  return bytes;
}

Result<Secret> derive_key(const Secret& passphrase, std::string_view salt,
                          const ScryptParams& params) {
  if (!acceptable(params)) {
    return fail(Errc::store_failed, "the file asks for scrypt parameters this build refuses");
  }
  std::string key(key_bytes, '\0');
  const std::uint64_t memory = 128 * params.r * params.n + (std::uint64_t{1} << 20);
  if (EVP_PBE_scrypt(passphrase.view().data(), passphrase.view().size(), bytes_of(salt),
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
  Result<std::string> nonce = random_bytes(nonce_bytes);
  if (!nonce) {
    return tl::unexpected(nonce.error());
  }
  CipherPtr context(EVP_CIPHER_CTX_new());
  std::string sealed = *nonce;
  sealed.resize(nonce_bytes + plaintext.size() + tag_bytes);
  unsigned char* out = bytes_of(sealed) + nonce_bytes;
  int written = 0;
  int final_written = 0;
  const bool ok =
      context &&
      EVP_EncryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_IVLEN, int_size(nonce_bytes), nullptr) ==
          1 &&
      EVP_EncryptInit_ex(context.get(), nullptr, nullptr, bytes_of(key.view()),
                         bytes_of(*nonce)) == 1 &&
      EVP_EncryptUpdate(context.get(), nullptr, &written, bytes_of(aad), int_size(aad.size())) ==
          1 &&
      EVP_EncryptUpdate(context.get(), out, &written, bytes_of(plaintext),
                        int_size(plaintext.size())) == 1 &&
      EVP_EncryptFinal_ex(context.get(), out + written, &final_written) == 1 &&
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_GET_TAG, int_size(tag_bytes),
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
  const std::size_t length = sealed.size() - nonce_bytes - tag_bytes;
  const std::string_view nonce = sealed.substr(0, nonce_bytes);
  const std::string_view ciphertext = sealed.substr(nonce_bytes, length);
  std::string tag(sealed.substr(nonce_bytes + length));
  std::string plain(length, '\0');
  CipherPtr context(EVP_CIPHER_CTX_new());
  int written = 0;
  int final_written = 0;
  const bool ok =
      context &&
      EVP_DecryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_IVLEN, int_size(nonce_bytes), nullptr) ==
          1 &&
      EVP_DecryptInit_ex(context.get(), nullptr, nullptr, bytes_of(key.view()), bytes_of(nonce)) ==
          1 &&
      EVP_DecryptUpdate(context.get(), nullptr, &written, bytes_of(aad), int_size(aad.size())) ==
          1 &&
      EVP_DecryptUpdate(context.get(), bytes_of(plain), &written, bytes_of(ciphertext),
                        int_size(ciphertext.size())) == 1 &&
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_TAG, int_size(tag_bytes),
                          tag.data()) == 1 &&
      EVP_DecryptFinal_ex(context.get(), bytes_of(plain) + written, &final_written) == 1;
  if (!ok) {
    wipe(plain);
    return fail(Errc::store_failed, "the encrypted data does not open with this key");
  }
  return Secret(std::move(plain));
}

std::string base64_encode(std::string_view bytes) {
  std::string text(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int length = EVP_EncodeBlock(bytes_of(text), bytes_of(bytes), int_size(bytes.size()));
  text.resize(static_cast<std::size_t>(length));
  return text;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) {
    return std::nullopt;
  }
  std::string bytes(3 * (text.size() / 4) + 1, '\0');
  const int length = EVP_DecodeBlock(bytes_of(bytes), bytes_of(text), int_size(text.size()));
  if (length < 0) {
    return std::nullopt;
  }
  std::size_t size = static_cast<std::size_t>(length);
  // EVP_DecodeBlock counts the padding as zero bytes.
  for (std::size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) {
    --size;
  }
  bytes.resize(size);
  return bytes;
}

} // namespace patrol::store::file_crypto
