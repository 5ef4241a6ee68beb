// libFuzzer target for store/dbus/message: whatever bytes a bus sends, message_size() and
// parse() answer a value or an error and never read out of range; a message parse() accepts
// has the size message_size() promised, and writing it out again and reading that back
// gives the same message.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "store/dbus/message.hpp"

namespace {

[[noreturn]] void fail(const char* why) {
  std::fprintf(stderr, "fuzz_dbus_message: %s\n", why);
  std::abort();
}

bool same(const patrol::dbus::Message& a, const patrol::dbus::Message& b) {
  return a.type == b.type && a.flags == b.flags && a.serial == b.serial && a.path == b.path &&
         a.interface == b.interface && a.member == b.member && a.error_name == b.error_name &&
         a.destination == b.destination && a.sender == b.sender && a.signature == b.signature &&
         a.reply_serial == b.reply_serial && a.body == b.body;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const auto expected = patrol::dbus::message_size(bytes.substr(0, 16));
  const auto message = patrol::dbus::parse(bytes);
  if (!message) {
    return 0;
  }
  if (!expected || *expected != size) {
    fail("parse() accepted a message of another size than message_size() gave");
  }
  const std::string again = patrol::dbus::marshal(*message);
  const auto reread = patrol::dbus::parse(again);
  if (!reread) {
    fail("a message parse() accepted, written out again, is refused");
  }
  if (!same(*message, *reread)) {
    fail("a message written out again reads back different");
  }
  return 0;
}
