#pragma once
// libsecret and the GLib libraries under it (gio, gobject, glib), loaded when the Secret
// Service store or the auto store's probe first needs them rather than when the program
// starts: the file and environment stores never speak D-Bus, and linking these costs every
// `git credential fill` some ten libraries and thousands of relocations.
//
// Only functions: GLib's macros that call one (G_VARIANT_TYPE, G_DBUS_ERROR, G_IO_ERROR,
// SECRET_ERROR, G_DBUS_PROXY) are spelled out where they are used, through this table.
#include <libsecret/secret.h>

#include "common/result.hpp"

namespace patrol::store {

struct SecretLibrary {
  // GLib
  decltype(&::g_free) free;
  decltype(&::g_strdup) strdup;
  decltype(&::g_str_hash) str_hash;
  decltype(&::g_str_equal) str_equal;
  decltype(&::g_error_matches) error_matches;
  decltype(&::g_error_free) error_free;
  decltype(&::g_clear_error) clear_error;
  decltype(&::g_hash_table_new_full) hash_table_new_full;
  decltype(&::g_hash_table_insert) hash_table_insert;
  decltype(&::g_hash_table_iter_init) hash_table_iter_init;
  decltype(&::g_hash_table_iter_next) hash_table_iter_next;
  decltype(&::g_hash_table_unref) hash_table_unref;
  decltype(&::g_list_free_full) list_free_full;
  decltype(&::g_variant_new) variant_new;
  decltype(&::g_variant_get) variant_get;
  decltype(&::g_variant_unref) variant_unref;
  decltype(&::g_variant_iter_loop) variant_iter_loop;
  decltype(&::g_variant_iter_free) variant_iter_free;
  // GObject
  decltype(&::g_object_ref) object_ref;
  decltype(&::g_object_unref) object_unref;
  // GIO
  decltype(&::g_io_error_quark) io_error_quark;
  decltype(&::g_dbus_error_quark) dbus_error_quark;
  decltype(&::g_bus_get_sync) bus_get_sync;
  decltype(&::g_dbus_connection_set_exit_on_close) dbus_connection_set_exit_on_close;
  decltype(&::g_dbus_connection_call_sync) dbus_connection_call_sync;
  decltype(&::g_dbus_proxy_get_object_path) dbus_proxy_get_object_path;
  // libsecret
  decltype(&::secret_error_get_quark) error_get_quark;
  decltype(&::secret_service_get_sync) service_get_sync;
  decltype(&::secret_service_ensure_session_sync) service_ensure_session_sync;
  decltype(&::secret_service_search_sync) service_search_sync;
  decltype(&::secret_service_unlock_sync) service_unlock_sync;
  decltype(&::secret_service_disconnect) service_disconnect;
  decltype(&::secret_collection_for_alias_sync) collection_for_alias_sync;
  decltype(&::secret_collection_get_locked) collection_get_locked;
  decltype(&::secret_item_create_sync) item_create_sync;
  decltype(&::secret_item_delete_sync) item_delete_sync;
  decltype(&::secret_item_get_attributes) item_get_attributes;
  decltype(&::secret_item_get_locked) item_get_locked;
  decltype(&::secret_item_get_secret) item_get_secret;
  decltype(&::secret_item_load_secret_sync) item_load_secret_sync;
  decltype(&::secret_value_new) value_new;
  decltype(&::secret_value_get) value_get;
  decltype(&::secret_value_unref) value_unref;
};

// The loaded library; loads it on the first call (thread-safe). Errc::store_unavailable
// when libsecret cannot be loaded, saying which package provides it.
const Result<const SecretLibrary*>& secret_library();

// The library, for code reached only after secret_library() has loaded it.
inline const SecretLibrary& glib() { return **secret_library(); }

// A D-Bus type string as GLib's calls take it (what G_VARIANT_TYPE does without checks).
inline const GVariantType* variant_type(const char* text) {
  return reinterpret_cast<const GVariantType*>(text);
}

} // namespace patrol::store
