#include "store/dbus/value.hpp"

#include "common/secret.hpp"

namespace patrol::dbus {

Value::~Value() { wipe(text); }

namespace {

Value scalar(std::string signature, std::uint64_t number) {
  Value value;
  value.signature = std::move(signature);
  value.number = number;
  return value;
}

Value textual(std::string signature, std::string_view text) {
  Value value;
  value.signature = std::move(signature);
  value.text = text;
  return value;
}

} // namespace

Value Value::byte(std::uint8_t value) { return scalar("y", value); }
Value Value::boolean(bool value) { return scalar("b", value ? 1 : 0); }
Value Value::uint32(std::uint32_t value) { return scalar("u", value); }
Value Value::string(std::string_view value) { return textual("s", value); }
Value Value::object_path(std::string_view value) { return textual("o", value); }
Value Value::bytes(std::string_view value) { return textual("ay", value); }

Value Value::array(std::string element_signature, std::vector<Value> elements) {
  Value value;
  value.signature = "a" + element_signature;
  value.items = std::move(elements);
  return value;
}

Value Value::structure(std::vector<Value> fields) {
  Value value;
  value.signature = "(";
  for (const Value& each : fields) {
    value.signature += each.signature;
  }
  value.signature += ")";
  value.items = std::move(fields);
  return value;
}

Value Value::dict_entry(Value key, Value value) {
  Value entry;
  entry.signature = "{" + key.signature + value.signature + "}";
  entry.items.push_back(std::move(key));
  entry.items.push_back(std::move(value));
  return entry;
}

Value Value::variant(Value contained) {
  Value value;
  value.signature = "v";
  value.items.push_back(std::move(contained));
  return value;
}

Value Value::string_dict(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::vector<Value> elements;
  elements.reserve(entries.size());
  for (const auto& [key, value] : entries) {
    elements.push_back(dict_entry(string(key), string(value)));
  }
  return array("{ss}", std::move(elements));
}

const Value* Value::field(std::size_t i) const {
  const bool container =
      !signature.empty() &&
      (signature.front() == '(' || signature.front() == '{' || (signature == "v" && i == 0));
  return container && i < items.size() ? &items[i] : nullptr;
}

} // namespace patrol::dbus
