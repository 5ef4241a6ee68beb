#include "store/dbus/message.hpp"

#include <array>
#include <optional>

#include "common/secret.hpp"

namespace patrol::dbus {

namespace {

// The specification's limits.
constexpr std::size_t max_signature = 255;
constexpr int max_array_nesting = 32;
constexpr int max_struct_nesting = 32;
constexpr int max_total_nesting = 64; // arrays, structs and variants in the data together
constexpr std::uint32_t max_array_bytes = 64 * 1024 * 1024;
constexpr std::uint32_t max_body_bytes = 128 * 1024 * 1024;
constexpr std::size_t fixed_header = 16;
constexpr std::size_t npos = std::string_view::npos;

// Header field codes.
enum Field : std::uint8_t {
  field_path = 1,
  field_interface = 2,
  field_member = 3,
  field_error_name = 4,
  field_reply_serial = 5,
  field_destination = 6,
  field_sender = 7,
  field_signature = 8,
  field_unix_fds = 9,
};

bool basic(char code) { return std::string_view("ybnqiuxtdsogh").find(code) != npos; }

std::size_t alignment(char code) {
  switch (code) {
  case 'n':
  case 'q':
    return 2;
  case 'b':
  case 'i':
  case 'u':
  case 'h':
  case 's':
  case 'o':
  case 'a':
    return 4;
  case 'x':
  case 't':
  case 'd':
  case '(':
  case '{':
    return 8;
  default: // y g v
    return 1;
  }
}

std::size_t padded(std::size_t offset, std::size_t align) {
  return (offset + align - 1) / align * align;
}

// The end of the complete type starting at `at`, or npos when it is not one.
std::size_t complete_type_end(std::string_view sig, std::size_t at, int arrays, int structs) {
  if (at >= sig.size()) {
    return npos;
  }
  const char code = sig[at];
  if (basic(code) || code == 'v') {
    return at + 1;
  }
  if (code == 'a') {
    if (arrays + 1 > max_array_nesting) {
      return npos;
    }
    if (at + 1 < sig.size() && sig[at + 1] == '{') {
      // A dict entry: a basic key and one complete value, only directly inside an array.
      if (structs + 1 > max_struct_nesting || at + 2 >= sig.size() || !basic(sig[at + 2])) {
        return npos;
      }
      const std::size_t value_end = complete_type_end(sig, at + 3, arrays + 1, structs + 1);
      if (value_end == npos || value_end >= sig.size() || sig[value_end] != '}') {
        return npos;
      }
      return value_end + 1;
    }
    return complete_type_end(sig, at + 1, arrays + 1, structs);
  }
  if (code == '(') {
    if (structs + 1 > max_struct_nesting) {
      return npos;
    }
    std::size_t next = at + 1;
    while (next < sig.size() && sig[next] != ')') {
      next = complete_type_end(sig, next, arrays, structs + 1);
      if (next == npos) {
        return npos;
      }
    }
    if (next >= sig.size() || next == at + 1) { // unclosed, or "()"
      return npos;
    }
    return next + 1;
  }
  return npos;
}

bool single_complete_type(std::string_view sig) {
  return sig.size() <= max_signature && !sig.empty() &&
         complete_type_end(sig, 0, 0, 0) == sig.size();
}

// Reads values from a whole message; offsets are from the message's first byte, which is
// what the specification aligns to.
class Reader {
public:
  Reader(std::string_view data, bool big_endian) : data_(data), big_endian_(big_endian) {}

  std::size_t offset() const { return at_; }
  const char* why() const { return why_; }

  bool failed(const char* why) {
    why_ = why;
    return false;
  }

  // Skips to the next multiple of `align`; the padding must be there and be zero.
  bool align(std::size_t align) {
    const std::size_t to = padded(at_, align);
    if (to > data_.size()) {
      return failed("it ends inside alignment padding");
    }
    for (; at_ < to; ++at_) {
      if (data_[at_] != '\0') {
        return failed("its alignment padding is not zero");
      }
    }
    return true;
  }

  bool unsigned_of(std::size_t width, std::uint64_t& out) {
    if (!align(width)) {
      return false;
    }
    if (data_.size() - at_ < width) {
      return failed("it ends inside a number");
    }
    out = 0;
    for (std::size_t i = 0; i < width; ++i) {
      const std::size_t byte = big_endian_ ? i : width - 1 - i;
      out = out << 8 | static_cast<unsigned char>(data_[at_ + byte]);
    }
    at_ += width;
    return true;
  }

  bool u32(std::uint32_t& out) {
    std::uint64_t wide = 0;
    if (!unsigned_of(4, wide)) {
      return false;
    }
    out = static_cast<std::uint32_t>(wide);
    return true;
  }

  // `length` bytes and the zero byte after them, with no zero byte among them.
  bool text_of(std::size_t length, std::string& out) {
    if (length >= data_.size() - at_) {
      return failed("a string runs past its end");
    }
    const std::string_view text = data_.substr(at_, length);
    if (text.find('\0') != npos || data_[at_ + length] != '\0') {
      return failed("a string is not terminated by its only zero byte");
    }
    out = text;
    at_ += length + 1;
    return true;
  }

  bool value(std::string_view sig, int depth, Value& out) {
    if (++values_ > max_values) {
      return failed("it holds more values than a lookup ever receives");
    }
    out.signature = sig;
    const char code = sig.front();
    switch (code) {
    case 'y':
      return unsigned_of(1, out.number);
    case 'n':
    case 'q':
      return unsigned_of(2, out.number);
    case 'i':
    case 'u':
      return unsigned_of(4, out.number);
    case 'x':
    case 't':
    case 'd':
      return unsigned_of(8, out.number);
    case 'b':
      if (!unsigned_of(4, out.number)) {
        return false;
      }
      return out.number <= 1 || failed("a boolean is neither 0 nor 1");
    case 's':
    case 'o': {
      std::uint32_t length = 0;
      if (!u32(length) || !text_of(length, out.text)) {
        return false;
      }
      return code == 's' || valid_object_path(out.text) || failed("an object path is not valid");
    }
    case 'g':
      return signature(out.text);
    case 'v':
      return variant(depth, out);
    case 'a':
      return array(sig, depth, out);
    case '(':
    case '{':
      return structure(sig, depth, out);
    default: // 'h': never asked for
      return failed("it carries a Unix file descriptor or an unknown type");
    }
  }

  bool signature(std::string& out) {
    if (at_ >= data_.size()) {
      return failed("it ends inside a signature");
    }
    const auto length = static_cast<unsigned char>(data_[at_++]);
    if (!text_of(length, out)) {
      return false;
    }
    return valid_signature(out) || failed("a signature is not valid");
  }

  // Reads one value of each complete type in `sig`, in order.
  bool values(std::string_view sig, int depth, std::vector<Value>& out) {
    std::size_t at = 0;
    while (at < sig.size()) {
      const std::size_t end = complete_type_end(sig, at, 0, 0);
      Value each;
      if (!value(sig.substr(at, end - at), depth, each)) {
        return false;
      }
      out.push_back(std::move(each));
      at = end;
    }
    return true;
  }

private:
  bool variant(int depth, Value& out) {
    if (depth + 1 > max_total_nesting) {
      return failed("its values nest too deeply");
    }
    std::string contained;
    if (!signature(contained)) {
      return false;
    }
    if (!single_complete_type(contained)) {
      return failed("a variant does not hold exactly one value");
    }
    out.items.emplace_back();
    return value(contained, depth + 1, out.items.back());
  }

  bool array(std::string_view sig, int depth, Value& out) {
    if (depth + 1 > max_total_nesting) {
      return failed("its values nest too deeply");
    }
    std::uint32_t length = 0;
    if (!u32(length)) {
      return false;
    }
    if (length > max_array_bytes) {
      return failed("an array is longer than 64 MiB");
    }
    const std::string_view element = sig.substr(1);
    if (!align(alignment(element.front()))) {
      return false;
    }
    if (length > data_.size() - at_) {
      return failed("an array runs past its end");
    }
    const std::size_t end = at_ + length;
    if (element == "y") {
      out.text = data_.substr(at_, length);
      at_ = end;
      return true;
    }
    while (at_ < end) {
      out.items.emplace_back();
      if (!value(element, depth + 1, out.items.back())) {
        return false;
      }
    }
    return at_ == end || failed("an array's elements do not end where its length says");
  }

  bool structure(std::string_view sig, int depth, Value& out) {
    if (depth + 1 > max_total_nesting) {
      return failed("its values nest too deeply");
    }
    return align(8) && values(sig.substr(1, sig.size() - 2), depth + 1, out.items);
  }

  std::string_view data_;
  bool big_endian_;
  std::size_t at_ = 0;
  std::size_t values_ = 0;
  const char* why_ = "it is malformed";
};

// Writes little-endian values; offsets are from the first byte written, which begins at a
// multiple of 8 in the message (the header's start, or the body's).
class Writer {
public:
  std::string out;

  void pad(std::size_t align) { out.resize(padded(out.size(), align), '\0'); }

  void unsigned_of(std::size_t width, std::uint64_t value) {
    pad(width);
    for (std::size_t i = 0; i < width; ++i) {
      out.push_back(static_cast<char>(value >> (8 * i) & 0xff));
    }
  }

  void text(std::string_view text) {
    unsigned_of(4, text.size());
    out.append(text);
    out.push_back('\0');
  }

  void signature(std::string_view sig) {
    out.push_back(static_cast<char>(sig.size()));
    out.append(sig);
    out.push_back('\0');
  }

  void value(const Value& value) {
    switch (value.signature.empty() ? '\0' : value.signature.front()) {
    case 'y':
      unsigned_of(1, value.number);
      break;
    case 'n':
    case 'q':
      unsigned_of(2, value.number);
      break;
    case 'b':
    case 'i':
    case 'u':
      unsigned_of(4, value.number);
      break;
    case 'x':
    case 't':
    case 'd':
      unsigned_of(8, value.number);
      break;
    case 's':
    case 'o':
      text(value.text);
      break;
    case 'g':
      signature(value.text);
      break;
    case 'v':
      if (!value.items.empty()) {
        signature(value.items.front().signature);
        this->value(value.items.front());
      }
      break;
    case 'a':
      array(value);
      break;
    case '(':
    case '{':
      pad(8);
      for (const Value& field : value.items) {
        this->value(field);
      }
      break;
    default:
      break;
    }
  }

private:
  void array(const Value& value) {
    unsigned_of(4, 0);
    const std::size_t length_at = out.size() - 4;
    pad(alignment(value.signature.size() > 1 ? value.signature[1] : 'y'));
    const std::size_t start = out.size();
    if (value.signature == "ay") {
      out.append(value.text);
    } else {
      for (const Value& element : value.items) {
        this->value(element);
      }
    }
    const std::size_t length = out.size() - start;
    for (std::size_t i = 0; i < 4; ++i) {
      out[length_at + i] = static_cast<char>(length >> (8 * i) & 0xff);
    }
  }
};

void string_field(std::vector<Value>& fields, Field code, const std::string& text,
                  Value (*make)(std::string_view)) {
  if (!text.empty()) {
    fields.push_back(Value::structure({Value::byte(code), Value::variant(make(text))}));
  }
}

Value signature_value(std::string_view sig) {
  Value value;
  value.signature = "g";
  value.text = sig;
  return value;
}

tl::unexpected<Error> malformed(std::string_view why) {
  return fail(Errc::invalid_input, "a D-Bus message is malformed: " + std::string(why));
}

// Copies one header field into the message, checking the type the specification gives it.
bool take_field(std::uint8_t code, const Value& value, Message& message, const char*& why) {
  const auto text = [&](std::string& to, const char* type) {
    if (!value.is(type)) {
      why = "a header field has the wrong type";
      return false;
    }
    to = value.text;
    return true;
  };
  switch (code) {
  case field_path:
    return text(message.path, "o");
  case field_interface:
    return text(message.interface, "s");
  case field_member:
    return text(message.member, "s");
  case field_error_name:
    return text(message.error_name, "s");
  case field_destination:
    return text(message.destination, "s");
  case field_sender:
    return text(message.sender, "s");
  case field_signature:
    return text(message.signature, "g");
  case field_reply_serial:
  case field_unix_fds:
    if (!value.is("u")) {
      why = "a header field has the wrong type";
      return false;
    }
    if (code == field_unix_fds && value.number != 0) {
      why = "it carries Unix file descriptors";
      return false;
    }
    if (code == field_reply_serial) {
      if (value.number == 0) {
        why = "its reply serial is zero";
        return false;
      }
      message.reply_serial = static_cast<std::uint32_t>(value.number);
    }
    return true;
  default: // the specification: unknown fields are ignored
    return true;
  }
}

// The fields each type of message must have.
const char* missing_field(const Message& message) {
  switch (message.type) {
  case MessageType::method_call:
    return message.path.empty() || message.member.empty() ? "a method call lacks its path or member"
                                                          : nullptr;
  case MessageType::signal:
    return message.path.empty() || message.interface.empty() || message.member.empty()
               ? "a signal lacks its path, interface or member"
               : nullptr;
  case MessageType::error:
    return message.error_name.empty() || message.reply_serial == 0
               ? "an error lacks its name or reply serial"
               : nullptr;
  case MessageType::method_return:
    return message.reply_serial == 0 ? "a method return lacks its reply serial" : nullptr;
  }
  return "its type is unknown";
}

} // namespace

bool valid_object_path(std::string_view path) {
  if (path.empty() || path.front() != '/') {
    return false;
  }
  if (path.size() == 1) {
    return true;
  }
  if (path.back() == '/') {
    return false;
  }
  char previous = '/';
  for (const char c : path.substr(1)) {
    const bool element_char =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (c == '/' ? previous == '/' : !element_char) {
      return false;
    }
    previous = c;
  }
  return true;
}

bool valid_signature(std::string_view signature) {
  if (signature.size() > max_signature) {
    return false;
  }
  std::size_t at = 0;
  while (at < signature.size()) {
    at = complete_type_end(signature, at, 0, 0);
    if (at == npos) {
      return false;
    }
  }
  return true;
}

std::string marshal(const Message& message) {
  Writer body;
  std::string body_signature;
  for (const Value& value : message.body) {
    body_signature += value.signature;
    body.value(value);
  }

  std::vector<Value> fields;
  string_field(fields, field_path, message.path, Value::object_path);
  string_field(fields, field_interface, message.interface, Value::string);
  string_field(fields, field_member, message.member, Value::string);
  string_field(fields, field_error_name, message.error_name, Value::string);
  if (message.reply_serial != 0) {
    fields.push_back(Value::structure(
        {Value::byte(field_reply_serial), Value::variant(Value::uint32(message.reply_serial))}));
  }
  string_field(fields, field_destination, message.destination, Value::string);
  string_field(fields, field_sender, message.sender, Value::string);
  if (!body_signature.empty()) {
    fields.push_back(Value::structure(
        {Value::byte(field_signature), Value::variant(signature_value(body_signature))}));
  }

  Writer whole;
  whole.out.reserve(fixed_header + 256 + body.out.size());
  whole.out.push_back('l');
  whole.out.push_back(static_cast<char>(message.type));
  whole.out.push_back(static_cast<char>(message.flags));
  whole.out.push_back('\1');
  whole.unsigned_of(4, body.out.size());
  whole.unsigned_of(4, message.serial);
  whole.value(Value::array("(yv)", std::move(fields)));
  whole.pad(8);
  whole.out.append(body.out);
  wipe(body.out);
  return std::move(whole.out);
}

Result<std::size_t> message_size(std::string_view first16) {
  if (first16.size() < fixed_header) {
    return malformed("it is shorter than the 16 bytes of a header");
  }
  if (first16[0] != 'l' && first16[0] != 'B') {
    return malformed("its first byte names no byte order");
  }
  if (first16[3] != '\1') {
    return malformed("its protocol version is not 1");
  }
  Reader reader(first16.substr(0, fixed_header), first16[0] == 'B');
  std::uint32_t ignored = 0;
  std::uint32_t body = 0;
  std::uint32_t serial = 0;
  std::uint32_t fields = 0;
  if (!reader.u32(ignored) || !reader.u32(body) || !reader.u32(serial) || !reader.u32(fields)) {
    return malformed(reader.why());
  }
  if (body > max_body_bytes || fields > max_array_bytes) {
    return malformed("it claims more bytes than the specification allows");
  }
  const std::size_t size = padded(fixed_header + fields, 8) + body;
  if (size > max_message) {
    return malformed("it is larger than " + std::to_string(max_message / (1024 * 1024)) +
                     " MiB, the most this client accepts");
  }
  return size;
}

Result<Message> parse(std::string_view whole) {
  Result<std::size_t> size = message_size(whole);
  if (!size) {
    return tl::unexpected(size.error());
  }
  if (*size != whole.size()) {
    return malformed("its length is not what its header says");
  }
  Message message;
  const auto type = static_cast<std::uint8_t>(whole[1]);
  if (type < 1 || type > 4) {
    return malformed("its type is unknown");
  }
  message.type = static_cast<MessageType>(type);
  message.flags = static_cast<std::uint8_t>(whole[2]);

  Reader reader(whole, whole[0] == 'B');
  std::uint32_t prefix = 0;
  std::uint32_t body_length = 0;
  if (!reader.u32(prefix) || !reader.u32(body_length) || !reader.u32(message.serial)) {
    return malformed(reader.why());
  }
  if (message.serial == 0) {
    return malformed("its serial is zero");
  }
  Value fields;
  if (!reader.value("a(yv)", 0, fields)) {
    return malformed(reader.why());
  }
  std::array<bool, 256> seen{};
  for (const Value& field : fields.items) {
    const auto code = static_cast<std::uint8_t>(field.items[0].number);
    if (seen[code]) {
      return malformed("a header field appears twice");
    }
    seen[code] = true;
    const char* why = nullptr;
    if (!take_field(code, field.items[1].items[0], message, why)) {
      return malformed(why);
    }
  }
  if (const char* why = missing_field(message)) {
    return malformed(why);
  }
  if (!reader.align(8)) {
    return malformed(reader.why());
  }
  if (whole.size() - reader.offset() != body_length) {
    return malformed("its body is not as long as its header says");
  }
  if (!reader.values(message.signature, 0, message.body)) {
    return malformed(reader.why());
  }
  if (reader.offset() != whole.size()) {
    return malformed("its body has bytes its signature does not account for");
  }
  return message;
}

} // namespace patrol::dbus
