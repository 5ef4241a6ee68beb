#pragma once
// A confidential string (password, token, refresh token). Its memory is wiped when it
// goes away, and it has no operator<< so it cannot reach a log by accident: callers ask
// for view() explicitly where the protocol or a store needs the bytes.
#include <cstddef>
#include <string>
#include <string_view>

namespace patrol {

class Secret {
public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  Secret(const Secret& other) : value_(other.value_) {}
  Secret(Secret&& other) noexcept : value_(std::move(other.value_)) { other.wipe(); }
  Secret& operator=(const Secret& other);
  Secret& operator=(Secret&& other) noexcept;
  ~Secret() { wipe(); }

  [[nodiscard]] std::string_view view() const { return value_; }
  [[nodiscard]] bool empty() const { return value_.empty(); }
  [[nodiscard]] static std::string_view redacted() { return "********"; }
  bool operator==(const Secret& other) const;

  void wipe() noexcept;

private:
  std::string value_;
};

// Wipes a plain buffer that held a secret (input lines, D-Bus replies).
void wipe(std::string& buffer) noexcept;

// text with every occurrence of secret replaced by Secret::redacted(): a server's words
// that echo the token sent to it are shown without the token.
std::string without_secret(std::string text, const Secret& secret);
void wipe(void* data, std::size_t size) noexcept;

} // namespace patrol
