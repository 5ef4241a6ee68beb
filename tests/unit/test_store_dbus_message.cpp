// The wire format checked three ways: against bytes written out by hand from the D-Bus
// specification, against GLib's own GDBusMessage (bodies byte for byte, and each reading
// the other's messages; in this test only: the product never loads GLib for it), and
// against a table of broken messages that must each be refused.
#include <catch2/catch.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <gio/gio.h>

#include "store/dbus/message.hpp"

using patrol::Errc;
using patrol::dbus::marshal;
using patrol::dbus::Message;
using patrol::dbus::message_size;
using patrol::dbus::MessageType;
using patrol::dbus::parse;
using patrol::dbus::valid_object_path;
using patrol::dbus::valid_signature;
using patrol::dbus::Value;

namespace {

using namespace std::string_literals;

// Method call, serial 1, path "/", member "M", body (uint32 7): little-endian, by hand.
const std::string by_hand_little = "l\x01\x00\x01"s            // order, type, flags, version
                                   "\x04\x00\x00\x00"s         // body length
                                   "\x01\x00\x00\x00"s         // serial
                                   "\x27\x00\x00\x00"s         // header fields: 39 bytes
                                   "\x01\x01o\x00"s            // PATH, variant of type o
                                   "\x01\x00\x00\x00/\x00"s    // "/"
                                   "\x00\x00\x00\x00\x00\x00"s // to 32
                                   "\x03\x01s\x00"s            // MEMBER, variant of type s
                                   "\x01\x00\x00\x00M\x00"s    // "M"
                                   "\x00\x00\x00\x00\x00\x00"s // to 48
                                   "\x08\x01g\x00"s            // SIGNATURE, variant of type g
                                   "\x01u\x00"s                // "u"
                                   "\x00"s                     // to the body at 56
                                   "\x07\x00\x00\x00"s;        // 7

// The same message big-endian.
const std::string by_hand_big = "B\x01\x00\x01"s
                                "\x00\x00\x00\x04"s
                                "\x00\x00\x00\x01"s
                                "\x00\x00\x00\x27"s
                                "\x01\x01o\x00"s
                                "\x00\x00\x00\x01/\x00"s
                                "\x00\x00\x00\x00\x00\x00"s
                                "\x03\x01s\x00"s
                                "\x00\x00\x00\x01M\x00"s
                                "\x00\x00\x00\x00\x00\x00"s
                                "\x08\x01g\x00"s
                                "\x01u\x00"s
                                "\x00"s
                                "\x00\x00\x00\x07"s;

Message call_with(std::vector<Value> body) {
  Message message;
  message.type = MessageType::method_call;
  message.serial = 7;
  message.path = "/org/example";
  message.interface = "org.example.I";
  message.member = "M";
  message.body = std::move(body);
  return message;
}

Value signature_value(std::string text) {
  Value value;
  value.signature = "g";
  value.text = std::move(text);
  return value;
}

struct GObjectUnref {
  void operator()(gpointer object) const { g_object_unref(object); }
};
using GMessage = std::unique_ptr<GDBusMessage, GObjectUnref>;

std::string printed(GVariant* value) {
  gchar* text = g_variant_print(value, TRUE);
  std::string copy = text;
  g_free(text);
  return copy;
}

// GLib's bytes for call_with(body), where `text` is the body in GVariant's text format.
std::string glib_blob(const char* type, const char* text, GDBusMessageByteOrder order) {
  GError* error = nullptr;
  GVariant* body = g_variant_parse(G_VARIANT_TYPE(type), text, nullptr, nullptr, &error);
  REQUIRE(body != nullptr);
  GMessage message(g_dbus_message_new_method_call(nullptr, "/org/example", "org.example.I", "M"));
  g_dbus_message_set_body(message.get(), body);
  g_dbus_message_set_serial(message.get(), 7);
  g_dbus_message_set_byte_order(message.get(), order);
  gsize size = 0;
  guchar* blob = g_dbus_message_to_blob(message.get(), &size, G_DBUS_CAPABILITY_FLAGS_NONE, &error);
  REQUIRE(blob != nullptr);
  std::string bytes(reinterpret_cast<const char*>(blob), size);
  g_free(blob);
  return bytes;
}

// What GLib reads from `bytes`: its body printed, or "" when GLib refuses them.
std::string glib_reads(const std::string& bytes) {
  GError* error = nullptr;
  GMessage message(
      g_dbus_message_new_from_blob(reinterpret_cast<guchar*>(const_cast<char*>(bytes.data())),
                                   bytes.size(), G_DBUS_CAPABILITY_FLAGS_NONE, &error));
  if (message == nullptr) {
    g_error_free(error);
    return "";
  }
  return printed(g_dbus_message_get_body(message.get()));
}

std::string glib_printed(const char* type, const char* text) {
  GVariant* value =
      g_variant_ref_sink(g_variant_parse(G_VARIANT_TYPE(type), text, nullptr, nullptr, nullptr));
  std::string out = printed(value);
  g_variant_unref(value);
  return out;
}

// The body of a little-endian message: the bytes its header's length counts from the end.
std::string body_bytes(const std::string& message) {
  REQUIRE(message.size() >= 16);
  std::size_t length = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    length |= static_cast<std::size_t>(static_cast<unsigned char>(message[4 + i])) << (8 * i);
  }
  REQUIRE(length <= message.size());
  return message.substr(message.size() - length);
}

struct Typed {
  const char* type; // the body's type as GLib writes it, a tuple
  const char* text; // the body in GVariant's text format
  std::vector<Value> body;
};

std::vector<Typed> every_type_used() {
  const Value secret = Value::structure({Value::object_path("/org/freedesktop/secrets/session/s1"),
                                         Value::bytes("\x01\x02"s), Value::bytes("\x00\xff"s),
                                         Value::string("text/plain")});
  return {
      {"(y)", "(byte 0x2a,)", {Value::byte(42)}},
      {"(b)", "(true,)", {Value::boolean(true)}},
      {"(b)", "(false,)", {Value::boolean(false)}},
      {"(u)", "(uint32 4000000000,)", {Value::uint32(4000000000U)}},
      {"(s)", "('h\xc3\xa9llo',)", {Value::string("h\xc3\xa9llo")}},
      {"(s)", "('',)", {Value::string("")}},
      {"(o)",
       "(objectpath '/org/freedesktop/secrets/collection/login',)",
       {Value::object_path("/org/freedesktop/secrets/collection/login")}},
      {"(g)", "(signature 'a{sv}',)", {signature_value("a{sv}")}},
      {"(ay)", "([byte 0x00, 0xff, 0x41],)", {Value::bytes("\x00\xff\x41"s)}},
      {"(ay)", "(@ay [],)", {Value::bytes("")}},
      {"(a{ss})",
       "({'server': 'gitlab.example', 'user': 'me'},)",
       {Value::string_dict({{"server", "gitlab.example"}, {"user", "me"}})}},
      {"(a{ss})", "(@a{ss} {},)", {Value::string_dict({})}},
      {"(a{sv})",
       "({'a': <uint32 1>, 'b': <'x'>},)",
       {Value::array("{sv}",
                     {Value::dict_entry(Value::string("a"), Value::variant(Value::uint32(1))),
                      Value::dict_entry(Value::string("b"), Value::variant(Value::string("x")))})}},
      {"(ao)",
       "([objectpath '/a', '/b/c'],)",
       {Value::array("o", {Value::object_path("/a"), Value::object_path("/b/c")})}},
      {"(ao)", "(@ao [],)", {Value::array("o", {})}},
      {"((oayays))",
       "((objectpath '/org/freedesktop/secrets/session/s1', [byte 0x01, 0x02], [byte 0x00, "
       "0xff], 'text/plain'),)",
       {secret}},
      {"(a{o(oayays)})",
       "({objectpath '/i/1': (objectpath '/org/freedesktop/secrets/session/s1', [byte 0x01, "
       "0x02], [byte 0x00, 0xff], 'text/plain'), '/i/2': ('/s', @ay [], @ay [], 'x')},)",
       {Value::array(
           "{o(oayays)}",
           {Value::dict_entry(Value::object_path("/i/1"), secret),
            Value::dict_entry(Value::object_path("/i/2"),
                              Value::structure({Value::object_path("/s"), Value::bytes(""),
                                                Value::bytes(""), Value::string("x")}))})}},
      {"(v)", "(<'default'>,)", {Value::variant(Value::string("default"))}},
      {"(v)",
       "(<(objectpath '/s', [byte 0x01], @ay [], 'x')>,)",
       {Value::variant(Value::structure({Value::object_path("/s"), Value::bytes("\x01"),
                                         Value::bytes(""), Value::string("x")}))}},
      {"(sv)", "('plain', <''>)", {Value::string("plain"), Value::variant(Value::string(""))}},
      {"(yuaoy)",
       "(byte 0x01, uint32 2, [objectpath '/x'], byte 0x03)",
       {Value::byte(1), Value::uint32(2), Value::array("o", {Value::object_path("/x")}),
        Value::byte(3)}},
  };
}

// `bytes` with the byte at `at` replaced.
std::string with_byte(std::string bytes, std::size_t at, char byte) {
  bytes.at(at) = byte;
  return bytes;
}

std::string with_u32(std::string bytes, std::size_t at, std::uint32_t value) {
  for (std::size_t i = 0; i < 4; ++i) {
    bytes.at(at + i) = static_cast<char>(value >> (8 * i) & 0xff);
  }
  return bytes;
}

Value nested_variants(int depth) {
  Value value = Value::byte(1);
  for (int i = 0; i < depth; ++i) {
    value = Value::variant(std::move(value));
  }
  return value;
}

Value nested_structs(int depth) {
  Value value = Value::byte(1);
  for (int i = 0; i < depth; ++i) {
    value = Value::structure({std::move(value)});
  }
  return value;
}

} // namespace

TEST_CASE("dbus message: written byte for byte as the specification lays it out",
          "[dbus_message]") {
  Message message;
  message.type = MessageType::method_call;
  message.serial = 1;
  message.path = "/";
  message.member = "M";
  message.body = {Value::uint32(7)};
  CHECK(marshal(message) == by_hand_little);
}

TEST_CASE("dbus message: read in either byte order", "[dbus_message]") {
  for (const std::string& bytes : {by_hand_little, by_hand_big}) {
    auto size = message_size(bytes.substr(0, 16));
    REQUIRE(size);
    CHECK(*size == bytes.size());
    auto message = parse(bytes);
    REQUIRE(message);
    CHECK(message->type == MessageType::method_call);
    CHECK(message->serial == 1);
    CHECK(message->path == "/");
    CHECK(message->member == "M");
    CHECK(message->interface.empty());
    CHECK(message->signature == "u");
    CHECK(message->body == std::vector<Value>{Value::uint32(7)});
  }
}

TEST_CASE("dbus message: every type the Secret Service lookup uses is written as GLib writes it",
          "[dbus_message]") {
  for (const Typed& each : every_type_used()) {
    INFO(each.text);
    const std::string ours = marshal(call_with(each.body));
    // GLib orders the header fields as its hash table does, so the body is compared.
    CHECK(body_bytes(ours) ==
          body_bytes(glib_blob(each.type, each.text, G_DBUS_MESSAGE_BYTE_ORDER_LITTLE_ENDIAN)));
    CHECK(glib_reads(ours) == glib_printed(each.type, each.text));
  }
}

TEST_CASE("dbus message: every type the Secret Service lookup uses is read from GLib's bytes, "
          "in both byte orders",
          "[dbus_message]") {
  for (const Typed& each : every_type_used()) {
    for (const GDBusMessageByteOrder order :
         {G_DBUS_MESSAGE_BYTE_ORDER_LITTLE_ENDIAN, G_DBUS_MESSAGE_BYTE_ORDER_BIG_ENDIAN}) {
      INFO(each.text << (order == G_DBUS_MESSAGE_BYTE_ORDER_BIG_ENDIAN ? " big" : " little"));
      const std::string bytes = glib_blob(each.type, each.text, order);
      auto size = message_size(bytes.substr(0, 16));
      REQUIRE(size);
      CHECK(*size == bytes.size());
      auto message = parse(bytes);
      REQUIRE(message);
      CHECK(message->serial == 7);
      CHECK(message->path == "/org/example");
      CHECK(message->interface == "org.example.I");
      CHECK(message->member == "M");
      CHECK(message->body == each.body);
    }
  }
}

TEST_CASE("dbus message: replies, errors and signals keep their header fields", "[dbus_message]") {
  Message error;
  error.type = MessageType::error;
  error.flags = patrol::dbus::no_reply_expected;
  error.serial = 9;
  error.reply_serial = 3;
  error.error_name = "org.freedesktop.DBus.Error.UnknownMethod";
  error.destination = ":1.4";
  error.sender = "org.freedesktop.DBus";
  error.body = {Value::string("no such method")};
  auto read = parse(marshal(error));
  REQUIRE(read);
  CHECK(read->type == MessageType::error);
  CHECK(read->flags == patrol::dbus::no_reply_expected);
  CHECK(read->reply_serial == 3);
  CHECK(read->error_name == error.error_name);
  CHECK(read->destination == ":1.4");
  CHECK(read->sender == "org.freedesktop.DBus");
  CHECK(read->signature == "s");
  CHECK(read->body == error.body);

  Message signal;
  signal.type = MessageType::signal;
  signal.serial = 2;
  signal.path = "/org/freedesktop/secrets/prompt/p1";
  signal.interface = "org.freedesktop.Secret.Prompt";
  signal.member = "Completed";
  signal.body = {Value::boolean(false), Value::variant(Value::array("o", {}))};
  auto got = parse(marshal(signal));
  REQUIRE(got);
  CHECK(got->type == MessageType::signal);
  CHECK(got->path == signal.path);
  CHECK(got->signature == "bv");
  CHECK(got->body == signal.body);
  REQUIRE(got->body[1].field(0) != nullptr);
  CHECK(got->body[1].field(0)->is("ao"));
}

TEST_CASE("dbus message: nesting up to the specification's limits is read", "[dbus_message]") {
  const Value arrays = Value::array(std::string(31, 'a') + "y", {}); // 32 arrays
  const Value structs = nested_structs(32);
  const Value variants = nested_variants(64);
  for (const Value& deep : {arrays, structs, variants}) {
    INFO(deep.signature);
    auto read = parse(marshal(call_with({deep})));
    REQUIRE(read);
    CHECK(read->body == std::vector<Value>{deep});
  }
}

TEST_CASE("dbus message: every broken message is refused", "[dbus_message]") {
  const auto body_of = [](std::vector<Value> body) { return marshal(call_with(std::move(body))); };
  const std::string three_bytes = body_of({Value::bytes("abc")});
  const std::size_t array_at = three_bytes.size() - 7; // its length word, then "abc"
  const std::string two_uints = body_of({Value::array("u", {Value::uint32(1)})});
  Message no_member = call_with({});
  no_member.member.clear();
  Message signal_without_interface = call_with({});
  signal_without_interface.type = MessageType::signal;
  signal_without_interface.interface.clear();
  Message error_without_reply = call_with({});
  error_without_reply.type = MessageType::error;
  error_without_reply.error_name = "org.example.Error";
  Message serial_zero = call_with({});
  serial_zero.serial = 0;
  Message bad_path = call_with({});
  bad_path.path = "/a//b";
  Value two_in_a_variant;
  two_in_a_variant.signature = "v";
  two_in_a_variant.items = {Value::structure({Value::uint32(1), Value::uint32(2)})};
  two_in_a_variant.items[0].signature = "uu";
  Value boolean_two = Value::boolean(true);
  boolean_two.number = 2;
  Value file_descriptor = Value::uint32(0);
  file_descriptor.signature = "h";

  struct Case {
    const char* why;
    std::string bytes;
  };
  const std::vector<Case> cases = {
      {"one byte short", by_hand_little.substr(0, by_hand_little.size() - 1)},
      {"one byte too many", by_hand_little + "\0"s},
      {"bytes after the body's values", with_u32(by_hand_little, 4, 8) + "\0\0\0\0"s},
      {"a body with no signature", with_byte(by_hand_little, 48, '\x0a')},
      {"padding after a header field not zero", with_byte(by_hand_little, 26, '\x01')},
      {"padding before the body not zero", with_byte(by_hand_little, 55, '\x01')},
      {"body signature 'a'", with_byte(by_hand_little, 53, 'a')},
      {"body signature '('", with_byte(by_hand_little, 53, '(')},
      {"body signature 'h'", with_byte(by_hand_little, 53, 'h')},
      {"body signature 'z'", with_byte(by_hand_little, 53, 'z')},
      {"a dict entry outside an array",
       body_of({Value::dict_entry(Value::string("k"), Value::string("v"))})},
      {"a dict entry with a variant key", body_of({Value::array("{vs}", {})})},
      {"an empty struct", body_of({Value::structure({})})},
      {"33 nested arrays", body_of({Value::array(std::string(32, 'a') + "y", {})})},
      {"33 nested structs", body_of({nested_structs(33)})},
      {"65 nested variants", body_of({nested_variants(65)})},
      {"a variant of two values", body_of({two_in_a_variant})},
      {"a boolean of 2", body_of({boolean_two})},
      {"a Unix file descriptor", body_of({file_descriptor})},
      {"an object path that is not one", body_of({Value::object_path("no/slash")})},
      {"an object path with a trailing slash", body_of({Value::object_path("/a/")})},
      {"a header path that is not one", marshal(bad_path)},
      {"a string with a zero byte inside", body_of({Value::string("a\0b"s)})},
      {"a string with no zero byte after it", with_byte(by_hand_little, 41, 'N')},
      {"a path header field of type s", with_byte(by_hand_little, 18, 's')},
      {"an array past the end of the body", with_u32(three_bytes, array_at, 1000)},
      {"an array of 2 GiB", with_u32(three_bytes, array_at, 0x80000000U)},
      {"an array whose elements overrun it", with_u32(two_uints, two_uints.size() - 8, 3)},
      {"header fields past the end", with_u32(by_hand_little, 12, 400)},
      {"header fields of 2 GiB", with_u32(by_hand_little, 12, 0x80000000U)},
      {"a body of 4 GiB", with_u32(by_hand_little, 4, 0xffffffffU)},
      {"a body of 17 MiB", with_u32(by_hand_little, 4, 17U * 1024 * 1024)},
      {"a method call without member", marshal(no_member)},
      {"a signal without interface", marshal(signal_without_interface)},
      {"an error without reply serial", marshal(error_without_reply)},
      {"serial zero", marshal(serial_zero)},
      {"no byte order", with_byte(by_hand_little, 0, 'x')},
      {"protocol version 2", with_byte(by_hand_little, 3, '\x02')},
      {"message type 0", with_byte(by_hand_little, 1, '\x00')},
      {"message type 5", with_byte(by_hand_little, 1, '\x05')},
  };
  for (const Case& each : cases) {
    INFO(each.why);
    auto message = parse(each.bytes);
    REQUIRE_FALSE(message);
    CHECK(message.error().code == Errc::invalid_input);
    CHECK(message.error().message.find('\n') == std::string::npos);
  }
}

TEST_CASE("dbus message: no prefix of a message is one", "[dbus_message]") {
  const std::string whole =
      glib_blob("(a{o(oayays)})", "({'/i': ('/s', [byte 1], [byte 2], 'x')},)",
                G_DBUS_MESSAGE_BYTE_ORDER_LITTLE_ENDIAN);
  REQUIRE(parse(whole));
  for (std::size_t length = 0; length < whole.size(); ++length) {
    INFO(length);
    CHECK_FALSE(parse(whole.substr(0, length)));
  }
}

TEST_CASE("dbus message: the size is known from the first 16 bytes, within the limit",
          "[dbus_message]") {
  CHECK_FALSE(message_size(by_hand_little.substr(0, 15)));
  CHECK(message_size(by_hand_little.substr(0, 16)).value() == 60);
  const std::string at_limit =
      with_u32(by_hand_little, 4, static_cast<std::uint32_t>(patrol::dbus::max_message - 56));
  CHECK(message_size(at_limit.substr(0, 16)).value() == patrol::dbus::max_message);
  auto over = message_size(
      with_u32(at_limit, 4, static_cast<std::uint32_t>(patrol::dbus::max_message - 55)));
  REQUIRE_FALSE(over);
  CHECK(over.error().code == Errc::invalid_input);
}

TEST_CASE("dbus message: object paths and signatures", "[dbus_message]") {
  for (const char* path : {"/", "/a", "/org/freedesktop/secrets/collection/login", "/a_1/B2"}) {
    INFO(path);
    CHECK(valid_object_path(path));
  }
  for (const char* path : {"", "a", "//", "/a/", "/a//b", "/a-b", "/a.b", "/\xc3\xa9"}) {
    INFO(path);
    CHECK_FALSE(valid_object_path(path));
  }
  for (const char* signature : {"", "y", "a{sv}", "(oayays)", "a{o(oayays)}", "aay", "vv", "ah"}) {
    INFO(signature);
    CHECK(valid_signature(signature));
  }
  for (const char* signature : {"a", "(", ")", "()", "{ss}", "a{s}", "a{sss}", "a{vs}", "a{(s)s}",
                                "(s", "s)", "z", "a{}"}) {
    INFO(signature);
    CHECK_FALSE(valid_signature(signature));
  }
  CHECK_FALSE(valid_signature(std::string(256, 'y')));
  CHECK(valid_signature(std::string(255, 'y')));
}

TEST_CASE("dbus message: a message of more values than a lookup receives is refused",
          "[dbus_message]") {
  // Empty byte arrays in an array: four bytes each, so 16 MiB would be millions of nodes.
  const auto of_empty_arrays = [](std::size_t count) {
    Message message;
    message.type = MessageType::signal;
    message.serial = 1;
    message.path = "/p";
    message.interface = "org.example.I";
    message.member = "M";
    message.body.push_back(Value::array("ay", std::vector<Value>(count, Value::bytes(""))));
    return marshal(message);
  };
  // The header's fields are values too: a few dozen.
  CHECK(parse(of_empty_arrays(patrol::dbus::max_values - 100)).has_value());
  const auto refused = parse(of_empty_arrays(patrol::dbus::max_values));
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == Errc::invalid_input);
}
