#include "store/secret_service_probe.hpp"

#include <string_view>

#include <unistd.h>

#include "store/secret_item.hpp"
#include "store/secret_library.hpp"
#include "store/secret_service_direct.hpp"

namespace patrol::store {
namespace {

// A Secret Service that does not answer within this is treated as absent: git is waiting.
constexpr int call_timeout_ms = 5000;

// The same question over GLib's connection, for a bus address the direct path does not speak.
ProbeResult probe_through_glib() {
  if (const Result<const SecretLibrary*>& loaded = secret_library(); !loaded) {
    return {false, loaded.error().message};
  }
  GError* error = nullptr;
  GDBusConnection* bus = glib().bus_get_sync(G_BUS_TYPE_SESSION, nullptr, &error);
  if (bus == nullptr) {
    glib().clear_error(&error);
    return {false, "no Secret Service is reachable (no D-Bus session bus answers)"};
  }
  glib().dbus_connection_set_exit_on_close(bus, FALSE);
  const std::string name = secret_item::bus_name();
  // gnome-keyring answers "/" for a moment while it reloads a keyring file another process
  // just rewrote: ask again briefly before deciding there is no default keyring.
  bool answered = false;
  bool has_default = false;
  for (int attempt = 0; attempt < 5 && !has_default; ++attempt) {
    if (attempt > 0) {
      ::usleep(40 * 1000);
    }
    GVariant* reply = glib().dbus_connection_call_sync(
        bus, name.c_str(), "/org/freedesktop/secrets", "org.freedesktop.Secret.Service",
        "ReadAlias", glib().variant_new("(s)", "default"), variant_type("(o)"),
        G_DBUS_CALL_FLAGS_NONE, call_timeout_ms, nullptr, &error);
    if (reply == nullptr) {
      glib().clear_error(&error);
      break;
    }
    answered = true;
    const gchar* path = nullptr;
    glib().variant_get(reply, "(&o)", &path);
    has_default = path != nullptr && std::string_view(path) != "/";
    glib().variant_unref(reply);
  }
  // The shared connection is kept (one reference, for the life of the process): the store
  // and libsecret ask g_bus_get for it next, and a new one costs a connection handshake.
  static GDBusConnection* kept = nullptr;
  if (kept == nullptr) {
    kept = bus;
  } else {
    glib().object_unref(bus);
  }
  if (!answered) {
    return {false, "no Secret Service answers on the D-Bus session bus"};
  }
  if (!has_default) {
    return {false, "the Secret Service has no default keyring"};
  }
  return {true, ""};
}

} // namespace

ProbeResult probe_secret_service() {
  // gnome-keyring answers "/" for a moment while it reloads a keyring file another process
  // just rewrote: ask again briefly before deciding there is no default keyring.
  Result<std::string> alias = secret_direct::default_alias();
  for (int attempt = 1; alias && *alias == "/" && attempt < 5; ++attempt) {
    ::usleep(40 * 1000);
    alias = secret_direct::default_alias();
  }
  if (!alias) {
    if (alias.error().code == Errc::unsupported) {
      return probe_through_glib();
    }
    return {false, alias.error().message};
  }
  if (*alias == "/") {
    return {false, "the Secret Service has no default keyring"};
  }
  return {true, ""};
}

} // namespace patrol::store
