#pragma once
// One D-Bus value as a tree that carries its own complete type. Messages to and from the
// session bus (store/dbus/message.hpp) are made of these; the Secret Service replies are
// read with field() and is(), which answer nullptr or false for a shape not asked for.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace patrol::dbus {

struct Value {
  std::string signature;    // this value's complete type, e.g. "s", "ao", "a{ss}", "(oayays)", "v"
  std::uint64_t number = 0; // y b n q i u x t d (b: 0/1; signed kept as two's complement;
                            // d as its IEEE 754 bits)
  std::string text;         // s o g; and the bytes of an "ay"
  std::vector<Value> items; // array elements (not for "ay"), struct and dict-entry fields,
                            // a variant's one contained value

  Value() = default;
  Value(const Value&) = default;
  Value(Value&&) noexcept = default;
  Value& operator=(const Value&) = default;
  Value& operator=(Value&&) noexcept = default;
  // The bytes of a secret travel in an "ay" (encrypted, but wiped all the same).
  ~Value();

  static Value byte(std::uint8_t value);
  static Value boolean(bool value);
  static Value uint32(std::uint32_t value);
  static Value string(std::string_view value);
  static Value object_path(std::string_view value);
  static Value bytes(std::string_view value); // "ay"
  static Value array(std::string element_signature, std::vector<Value> elements);
  static Value structure(std::vector<Value> fields); // "(...)"
  static Value dict_entry(Value key, Value value);   // "{..}", only inside an array
  static Value variant(Value contained);             // "v"
  static Value string_dict(const std::vector<std::pair<std::string, std::string>>& entries);

  // Lookups for readers of replies; nullptr when the shape is not what is asked:
  // struct or dict-entry field i, or (i == 0) a variant's content.
  const Value* field(std::size_t i) const;
  bool is(std::string_view sig) const { return signature == sig; }
  bool operator==(const Value&) const = default;
};

} // namespace patrol::dbus
