#pragma once
// D-Bus messages on the wire, as the D-Bus specification's "Message Format" lays them out:
// pure marshalling with no I/O. Written little-endian; read in either byte order, strictly
// (bounds, zero padding, valid signatures and object paths, nesting and length limits), so
// that whatever a peer sends ends in a value or an error, never in a read out of range.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "store/dbus/value.hpp"

namespace patrol::dbus {

enum class MessageType : std::uint8_t { method_call = 1, method_return = 2, error = 3, signal = 4 };

// Header flag: the caller wants no reply.
constexpr std::uint8_t no_reply_expected = 0x1;

struct Message {
  MessageType type = MessageType::method_call;
  std::uint8_t flags = 0;
  std::uint32_t serial = 0;
  std::string path, interface, member, error_name, destination, sender, signature;
  std::uint32_t reply_serial = 0; // 0: none
  std::vector<Value> body;        // parsed per `signature`
};

// The largest message read. The bus allows 128 MiB, but what a credential lookup receives
// (a few object paths, attributes, one encrypted secret) is kilobytes; 16 MiB leaves room
// for a keyring of many thousand items while bounding what a broken peer can make us hold.
constexpr std::size_t max_message = 16 * 1024 * 1024;
// The most values one message may hold. Each read value is a tree node of about 100
// bytes, so 16 MiB of tiny elements (empty arrays in an array) would be gigabytes of
// nodes; a keyring of 10,000 items answers a search with 10,000.
constexpr std::size_t max_values = 256 * 1024;

// The message's bytes; the body's signature is computed from the body's values and
// `signature` is not read.
std::string marshal(const Message& message);

// Bytes needed for the whole message whose first 16 bytes are given, or an
// Errc::invalid_input error for a header that is not a D-Bus message or is longer than
// max_message.
Result<std::size_t> message_size(std::string_view first16);

// The message that is exactly `whole`; Errc::invalid_input when anything in it breaks the
// specification. Unix file descriptors (type 'h') are refused: this client never asks for any.
Result<Message> parse(std::string_view whole);

// True for "/" and "/a/b_1": elements of [A-Za-z0-9_], no empty element, no trailing '/'.
bool valid_object_path(std::string_view path);

// True when `signature` is a sequence of complete types within the specification's limits
// (255 bytes, 32 nested arrays, 32 nested structs, dict entries only directly in an array).
bool valid_signature(std::string_view signature);

} // namespace patrol::dbus
