#include "store/secret_service_probe.hpp"

#include <gio/gio.h>

namespace patrol::store {
namespace {

// A Secret Service that does not answer within this is treated as absent: git is waiting.
constexpr int call_timeout_ms = 5000;

} // namespace

ProbeResult probe_secret_service() {
  GError* error = nullptr;
  GDBusConnection* bus = g_bus_get_sync(G_BUS_TYPE_SESSION, nullptr, &error);
  if (bus == nullptr) {
    g_clear_error(&error);
    return {false, "no Secret Service is reachable (no D-Bus session bus answers)"};
  }
  g_dbus_connection_set_exit_on_close(bus, FALSE);
  const char* name = g_getenv("SECRET_SERVICE_BUS_NAME");
  if (name == nullptr || *name == '\0') {
    name = "org.freedesktop.secrets";
  }
  // gnome-keyring answers "/" for a moment while it reloads a keyring file another process
  // just rewrote: ask again briefly before deciding there is no default keyring.
  bool answered = false;
  bool has_default = false;
  for (int attempt = 0; attempt < 5 && !has_default; ++attempt) {
    if (attempt > 0) {
      g_usleep(40 * 1000);
    }
    GVariant* reply = g_dbus_connection_call_sync(
        bus, name, "/org/freedesktop/secrets", "org.freedesktop.Secret.Service", "ReadAlias",
        g_variant_new("(s)", "default"), G_VARIANT_TYPE("(o)"), G_DBUS_CALL_FLAGS_NONE,
        call_timeout_ms, nullptr, &error);
    if (reply == nullptr) {
      g_clear_error(&error);
      break;
    }
    answered = true;
    const gchar* path = nullptr;
    g_variant_get(reply, "(&o)", &path);
    has_default = path != nullptr && std::string_view(path) != "/";
    g_variant_unref(reply);
  }
  // The shared connection is kept (one reference, for the life of the process): the store
  // and libsecret ask g_bus_get for it next, and a new one costs a connection handshake.
  static GDBusConnection* kept = nullptr;
  if (kept == nullptr) {
    kept = bus;
  } else {
    g_object_unref(bus);
  }
  if (!answered) {
    return {false, "no Secret Service answers on the D-Bus session bus"};
  }
  if (!has_default) {
    return {false, "the Secret Service has no default keyring"};
  }
  return {true, ""};
}

} // namespace patrol::store
