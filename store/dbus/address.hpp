#pragma once
// Where the session bus listens, from DBUS_SESSION_BUS_ADDRESS as the D-Bus specification's
// "Server Addresses" writes it: `transport:key=value,...` entries separated by ';', values
// %-escaped. This client speaks only to Unix sockets; for any other transport the caller
// falls back to GLib, which knows them all.
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace patrol::dbus {

struct Address {
  enum class Kind { path, abstract_name };
  Kind kind = Kind::path;
  std::string name; // the socket's path, or its name in the abstract namespace (no leading NUL)
  bool operator==(const Address&) const = default;
};

// The usable entries of an address list, in order: `unix:path=` and `unix:abstract=`.
// Other transports, the server-side unix:dir/tmpdir/runtime and entries that are not
// well formed are skipped; a list with none usable is Errc::unsupported.
Result<std::vector<Address>> parse_address_list(std::string_view list);

// The session bus: DBUS_SESSION_BUS_ADDRESS, or when that is unset or empty
// $XDG_RUNTIME_DIR/bus if it is a socket (as GLib and libdbus do), else
// Errc::store_unavailable.
Result<std::vector<Address>> session_bus_address();

} // namespace patrol::dbus
