#include "common/secret.hpp"

#include <openssl/crypto.h>

namespace patrol {

void wipe(std::string& buffer) noexcept {
  // Cleanse the whole capacity: short-string storage and earlier, longer contents alike.
  buffer.resize(buffer.capacity());
  OPENSSL_cleanse(buffer.data(), buffer.size());
  buffer.clear();
}

void wipe(void* data, std::size_t size) noexcept { OPENSSL_cleanse(data, size); }

void Secret::wipe() noexcept { patrol::wipe(value_); }

Secret& Secret::operator=(const Secret& other) {
  if (this != &other) {
    wipe();
    value_ = other.value_;
  }
  return *this;
}

Secret& Secret::operator=(Secret&& other) noexcept {
  if (this != &other) {
    wipe();
    value_ = std::move(other.value_);
    other.wipe();
  }
  return *this;
}

bool Secret::operator==(const Secret& other) const {
  return value_.size() == other.value_.size() &&
         CRYPTO_memcmp(value_.data(), other.value_.data(), value_.size()) == 0;
}

std::string without_secret(std::string text, const Secret& secret) {
  const std::string_view value = secret.view();
  if (value.empty()) {
    return text;
  }
  for (std::size_t at = text.find(value); at != std::string::npos;
       at = text.find(value, at + Secret::redacted().size())) {
    text.replace(at, value.size(), Secret::redacted());
  }
  return text;
}

} // namespace patrol
