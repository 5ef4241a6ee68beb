#include "common/secret.hpp"

#include <string.h>

namespace patrol {

void wipe(std::string& buffer) noexcept {
  // Cleanse the whole capacity: short-string storage and earlier, longer contents alike.
  buffer.resize(buffer.capacity());
  explicit_bzero(buffer.data(), buffer.size());
  buffer.clear();
}

// glibc's explicit_bzero, which the compiler may not drop as a dead store: the wipe needs
// no cryptography library loaded at start-up.
void wipe(void* data, std::size_t size) noexcept { explicit_bzero(data, size); }

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

// In time that depends on the length only, not on where the first difference is.
bool Secret::operator==(const Secret& other) const {
  if (value_.size() != other.value_.size()) {
    return false;
  }
  const volatile unsigned char* a = reinterpret_cast<const unsigned char*>(value_.data());
  const volatile unsigned char* b = reinterpret_cast<const unsigned char*>(other.value_.data());
  unsigned char difference = 0;
  for (std::size_t i = 0; i < value_.size(); ++i) {
    difference = static_cast<unsigned char>(difference | (a[i] ^ b[i]));
  }
  return difference == 0;
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
