#include "store/secret_service_probe.hpp"

#include <cstdlib>
#include <string_view>

#include <unistd.h>

#include "store/secret_library.hpp"

namespace patrol::store {
namespace {

// A Secret Service that does not answer within this is treated as absent: git is waiting.
constexpr int call_timeout_ms = 5000;

} // namespace

ProbeResult probe_secret_service() {
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
  const char* name = std::getenv("SECRET_SERVICE_BUS_NAME");
  if (name == nullptr || *name == '\0') {
    name = "org.freedesktop.secrets";
  }
  // gnome-keyring answers "/" for a moment while it reloads a keyring file another process
  // just rewrote: ask again briefly before deciding there is no default keyring.
  bool answered = false;
  bool has_default = false;
  for (int attempt = 0; attempt < 5 && !has_default; ++attempt) {
    if (attempt > 0) {
      ::usleep(40 * 1000);
    }
    GVariant* reply = glib().dbus_connection_call_sync(
        bus, name, "/org/freedesktop/secrets", "org.freedesktop.Secret.Service", "ReadAlias",
        glib().variant_new("(s)", "default"), variant_type("(o)"), G_DBUS_CALL_FLAGS_NONE,
        call_timeout_ms, nullptr, &error);
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

} // namespace patrol::store
