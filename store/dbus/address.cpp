#include "store/dbus/address.hpp"

#include <cstdlib>
#include <optional>
#include <sys/stat.h>

#include "common/percent.hpp"

namespace patrol::dbus {

namespace {

// A value with its %XY escapes decoded; nullopt for a '%' not followed by two hex digits.
std::optional<std::string> unescape(std::string_view value) {
  std::string out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '%') {
      out.push_back(value[i]);
      continue;
    }
    if (i + 2 >= value.size()) {
      return std::nullopt;
    }
    const int high = hex_value(value[i + 1]);
    const int low = hex_value(value[i + 2]);
    if (high < 0 || low < 0) {
      return std::nullopt;
    }
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return out;
}

// The Unix socket one entry names, or nullopt when it names none this client can use.
std::optional<Address> usable(std::string_view entry) {
  const std::size_t colon = entry.find(':');
  if (colon == std::string_view::npos || entry.substr(0, colon) != "unix") {
    return std::nullopt;
  }
  std::optional<Address> found;
  std::string_view rest = entry.substr(colon + 1);
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    const std::string_view pair = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    const std::size_t equals = pair.find('=');
    if (equals == std::string_view::npos || equals == 0) {
      return std::nullopt;
    }
    const std::string_view key = pair.substr(0, equals);
    std::optional<std::string> value = unescape(pair.substr(equals + 1));
    if (!value) {
      return std::nullopt;
    }
    if (key == "path" || key == "abstract") {
      if (found || value->empty()) { // one socket per entry
        return std::nullopt;
      }
      found = Address{key == "path" ? Address::Kind::path : Address::Kind::abstract_name,
                      std::move(*value)};
    } else if (key == "dir" || key == "tmpdir" || key == "runtime") {
      return std::nullopt; // where a server listens, not where a client connects
    }
    // Anything else (guid) says nothing about where to connect.
  }
  return found;
}

} // namespace

Result<std::vector<Address>> parse_address_list(std::string_view list) {
  std::vector<Address> found;
  while (!list.empty()) {
    const std::size_t semicolon = list.find(';');
    if (std::optional<Address> address = usable(list.substr(0, semicolon))) {
      found.push_back(std::move(*address));
    }
    list = semicolon == std::string_view::npos ? std::string_view() : list.substr(semicolon + 1);
  }
  if (found.empty()) {
    return fail(Errc::unsupported, "the D-Bus session bus address names no Unix socket "
                                   "(unix:path= or unix:abstract=) that this client can use");
  }
  return found;
}

Result<std::vector<Address>> session_bus_address() {
  const char* variable = std::getenv("DBUS_SESSION_BUS_ADDRESS");
  if (variable != nullptr && *variable != '\0') {
    return parse_address_list(variable);
  }
  const char* runtime = std::getenv("XDG_RUNTIME_DIR");
  if (runtime != nullptr && *runtime != '\0') {
    std::string path = std::string(runtime) + "/bus";
    struct stat status {};
    if (::stat(path.c_str(), &status) == 0 && S_ISSOCK(status.st_mode)) {
      return std::vector<Address>{{Address::Kind::path, std::move(path)}};
    }
  }
  return fail(Errc::store_unavailable,
              "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set and there is no "
              "$XDG_RUNTIME_DIR/bus); start one with your desktop session or dbus-run-session");
}

} // namespace patrol::dbus
