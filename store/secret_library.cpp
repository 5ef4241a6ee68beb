#include "store/secret_library.hpp"

#include <string>

#include "common/shared_library.hpp"

namespace patrol::store {
namespace {

// libsecret 0.20 and newer; it brings gio, gobject and glib, whose functions dlsym finds
// through it. Debian's libsecret-1-0 package provides it.
constexpr const char* soname = "libsecret-1.so.0";

Result<const SecretLibrary*> load() {
  static SecretLibrary library{};
  Result<SharedLibrary> handle =
      SharedLibrary::open(soname, "libsecret-1-0", "the Secret Service store");
  if (!handle) {
    return fail(Errc::store_unavailable, handle.error().message);
  }
  const SharedLibrary& lib = *handle;
  const bool bound =
      lib.bind("g_free", library.free) && lib.bind("g_strdup", library.strdup) &&
      lib.bind("g_str_hash", library.str_hash) && lib.bind("g_str_equal", library.str_equal) &&
      lib.bind("g_error_matches", library.error_matches) &&
      lib.bind("g_error_free", library.error_free) &&
      lib.bind("g_clear_error", library.clear_error) &&
      lib.bind("g_hash_table_new_full", library.hash_table_new_full) &&
      lib.bind("g_hash_table_insert", library.hash_table_insert) &&
      lib.bind("g_hash_table_iter_init", library.hash_table_iter_init) &&
      lib.bind("g_hash_table_iter_next", library.hash_table_iter_next) &&
      lib.bind("g_hash_table_unref", library.hash_table_unref) &&
      lib.bind("g_list_free_full", library.list_free_full) &&
      lib.bind("g_variant_new", library.variant_new) &&
      lib.bind("g_variant_get", library.variant_get) &&
      lib.bind("g_variant_unref", library.variant_unref) &&
      lib.bind("g_variant_iter_loop", library.variant_iter_loop) &&
      lib.bind("g_variant_iter_free", library.variant_iter_free) &&
      lib.bind("g_object_ref", library.object_ref) &&
      lib.bind("g_object_unref", library.object_unref) &&
      lib.bind("g_io_error_quark", library.io_error_quark) &&
      lib.bind("g_dbus_error_quark", library.dbus_error_quark) &&
      lib.bind("g_bus_get_sync", library.bus_get_sync) &&
      lib.bind("g_dbus_connection_set_exit_on_close", library.dbus_connection_set_exit_on_close) &&
      lib.bind("g_dbus_connection_call_sync", library.dbus_connection_call_sync) &&
      lib.bind("g_dbus_proxy_get_object_path", library.dbus_proxy_get_object_path) &&
      lib.bind("secret_error_get_quark", library.error_get_quark) &&
      lib.bind("secret_service_get_sync", library.service_get_sync) &&
      lib.bind("secret_service_ensure_session_sync", library.service_ensure_session_sync) &&
      lib.bind("secret_service_search_sync", library.service_search_sync) &&
      lib.bind("secret_service_unlock_sync", library.service_unlock_sync) &&
      lib.bind("secret_service_disconnect", library.service_disconnect) &&
      lib.bind("secret_collection_for_alias_sync", library.collection_for_alias_sync) &&
      lib.bind("secret_collection_get_locked", library.collection_get_locked) &&
      lib.bind("secret_item_create_sync", library.item_create_sync) &&
      lib.bind("secret_item_delete_sync", library.item_delete_sync) &&
      lib.bind("secret_item_get_attributes", library.item_get_attributes) &&
      lib.bind("secret_item_get_locked", library.item_get_locked) &&
      lib.bind("secret_item_get_secret", library.item_get_secret) &&
      lib.bind("secret_item_load_secret_sync", library.item_load_secret_sync) &&
      lib.bind("secret_value_new", library.value_new) &&
      lib.bind("secret_value_get", library.value_get) &&
      lib.bind("secret_value_unref", library.value_unref);
  if (!bound) {
    return fail(Errc::store_unavailable, std::string(soname) +
                                             " lacks a function patrol needs; install "
                                             "libsecret 0.20 or newer");
  }
  return &library;
}

} // namespace

const Result<const SecretLibrary*>& secret_library() {
  static const Result<const SecretLibrary*> loaded = load(); // once, thread-safe
  return loaded;
}

} // namespace patrol::store
