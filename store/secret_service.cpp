#include "store/secret_service.hpp"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "store/secret_library.hpp"

#include "store/credential_lock.hpp"
#include "store/match.hpp"
#include "store/secret_item.hpp"
#include "store/secret_service_direct.hpp"
#include "store/secret_text.hpp"

namespace patrol::store {

namespace {

using secret_item::item_label;
using secret_item::locked_error;
using secret_item::same_keys;
using secret_item::start_fix;
using secret_item::unlock_fix;
using secret_item::valid_keys;

// The attributes of git-credential-libsecret's items (user, object, protocol, port,
// server), declared under the names of secret_item.hpp.
// host: the attribute holding protocol://host's host; extra: one more attribute, or none.
constexpr SecretSchema make_schema(const char* name, SecretSchemaFlags flags,
                                   const char* host = "server", const char* extra = nullptr) {
  return SecretSchema{
      name,
      flags,
      {
          {"user", SECRET_SCHEMA_ATTRIBUTE_STRING},
          {"object", SECRET_SCHEMA_ATTRIBUTE_STRING},
          {"protocol", SECRET_SCHEMA_ATTRIBUTE_STRING},
          {"port", SECRET_SCHEMA_ATTRIBUTE_INTEGER},
          {host, SECRET_SCHEMA_ATTRIBUTE_STRING},
          {extra, SECRET_SCHEMA_ATTRIBUTE_STRING}, // a null name ends the list
          {nullptr, SECRET_SCHEMA_ATTRIBUTE_STRING},
      },
      0,
      nullptr,
      nullptr,
      nullptr,
      nullptr,
      nullptr,
      nullptr,
      nullptr,
  };
}

const SecretSchema search_schema =
    make_schema(secret_item::search_schema_name.data(), SECRET_SCHEMA_DONT_MATCH_NAME);
const SecretSchema write_schema =
    make_schema(secret_item::write_schema_name.data(), SECRET_SCHEMA_NONE);
const SecretSchema authtype_schema =
    make_schema(secret_item::authtype_schema_name.data(), SECRET_SCHEMA_NONE, "patrol_server",
                "patrol_authtype");

struct GObjectUnref {
  void operator()(gpointer object) const { glib().object_unref(object); }
};
struct HashUnref {
  void operator()(GHashTable* table) const { glib().hash_table_unref(table); }
};
struct ErrorFree {
  void operator()(GError* error) const { glib().error_free(error); }
};
struct VariantUnref {
  void operator()(GVariant* variant) const { glib().variant_unref(variant); }
};
struct ValueUnref {
  void operator()(SecretValue* value) const { glib().value_unref(value); }
};
struct ObjectListFree {
  void operator()(GList* list) const { glib().list_free_full(list, glib().object_unref); }
};

template <class T> using Owned = std::unique_ptr<T, GObjectUnref>;
using HashPtr = std::unique_ptr<GHashTable, HashUnref>;
using ErrorPtr = std::unique_ptr<GError, ErrorFree>;
using VariantPtr = std::unique_ptr<GVariant, VariantUnref>;
using ValuePtr = std::unique_ptr<SecretValue, ValueUnref>;
using ObjectList = std::unique_ptr<GList, ObjectListFree>;

// GLib's text, appended in parentheses to our sentence: kept on one line.
std::string detail(const GError* error) {
  if (error == nullptr || error->message == nullptr) {
    return "";
  }
  std::string text(error->message);
  for (char& c : text) {
    if (c == '\n' || c == '\r') {
      c = ' ';
    }
  }
  return " (" + text + ")";
}

bool is_dbus_error(const GError* error, GDBusError code) {
  return glib().error_matches(error, glib().dbus_error_quark(), code) != FALSE;
}

bool bus_unreachable(const GError* error) {
  return is_dbus_error(error, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
         is_dbus_error(error, G_DBUS_ERROR_NAME_HAS_NO_OWNER) ||
         is_dbus_error(error, G_DBUS_ERROR_NO_REPLY) ||
         is_dbus_error(error, G_DBUS_ERROR_TIMEOUT) ||
         is_dbus_error(error, G_DBUS_ERROR_TIMED_OUT) ||
         is_dbus_error(error, G_DBUS_ERROR_DISCONNECTED) ||
         is_dbus_error(error, G_DBUS_ERROR_NO_SERVER) ||
         is_dbus_error(error, G_DBUS_ERROR_SPAWN_FAILED) ||
         is_dbus_error(error, G_DBUS_ERROR_SPAWN_EXEC_FAILED) ||
         is_dbus_error(error, G_DBUS_ERROR_SPAWN_CHILD_EXITED) ||
         is_dbus_error(error, G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND) ||
         glib().error_matches(error, glib().io_error_quark(), G_IO_ERROR_CLOSED) != FALSE;
}

bool no_such_object(const GError* error) {
  return is_dbus_error(error, G_DBUS_ERROR_UNKNOWN_METHOD) ||
         is_dbus_error(error, G_DBUS_ERROR_UNKNOWN_OBJECT) ||
         glib().error_matches(error, glib().error_get_quark(), SECRET_ERROR_NO_SUCH_OBJECT) !=
             FALSE;
}

tl::unexpected<Error> no_default_keyring(const GError* error) {
  return fail(Errc::store_unavailable,
              "the Secret Service has no default keyring to store into; create or " +
                  std::string(unlock_fix) + detail(error));
}

// One sentence for a failed Secret Service call; `what` names the call ("searching").
tl::unexpected<Error> translate(const GError* error, std::string_view what) {
  if (glib().error_matches(error, glib().error_get_quark(), SECRET_ERROR_IS_LOCKED) != FALSE) {
    return locked_error();
  }
  if (bus_unreachable(error)) {
    return fail(Errc::store_unavailable, "the Secret Service did not answer while " +
                                             std::string(what) + "; " + std::string(start_fix) +
                                             detail(error));
  }
  return fail(Errc::store_failed,
              "the Secret Service failed while " + std::string(what) + detail(error));
}

Result<VariantPtr> call_bus(GDBusConnection* bus, const char* method, GVariant* arguments,
                            const GVariantType* reply) {
  GError* raw = nullptr;
  GVariant* result = glib().dbus_connection_call_sync(
      bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", method,
      arguments, reply, G_DBUS_CALL_FLAGS_NONE, -1, nullptr, &raw);
  ErrorPtr error(raw);
  if (result == nullptr) {
    return fail(Errc::store_unavailable, "the D-Bus session bus did not answer; " +
                                             std::string(start_fix) + detail(error.get()));
  }
  return VariantPtr(result);
}

// True when something owns the Secret Service name or the bus can start it on demand;
// without this check libsecret would only report a failed activation.
Result<bool> service_on_bus(GDBusConnection* bus, const std::string& name) {
  Result<VariantPtr> owned =
      call_bus(bus, "NameHasOwner", glib().variant_new("(s)", name.c_str()), variant_type("(b)"));
  if (!owned) {
    return tl::unexpected(owned.error());
  }
  gboolean has_owner = FALSE;
  glib().variant_get(owned->get(), "(b)", &has_owner);
  if (has_owner != FALSE) {
    return true;
  }
  Result<VariantPtr> activatable =
      call_bus(bus, "ListActivatableNames", nullptr, variant_type("(as)"));
  if (!activatable) {
    return tl::unexpected(activatable.error());
  }
  GVariantIter* names = nullptr;
  glib().variant_get(activatable->get(), "(as)", &names);
  bool found = false;
  const gchar* each = nullptr;
  while (glib().variant_iter_loop(names, "&s", &each) != FALSE) {
    found = found || name == each;
  }
  glib().variant_iter_free(names);
  return found;
}

Result<Owned<GDBusConnection>> connect_session_bus() {
  GError* raw = nullptr;
  GDBusConnection* bus = glib().bus_get_sync(G_BUS_TYPE_SESSION, nullptr, &raw);
  ErrorPtr error(raw);
  if (bus == nullptr) {
    const char* address = std::getenv("DBUS_SESSION_BUS_ADDRESS");
    if (address == nullptr || *address == '\0') {
      return fail(Errc::store_unavailable,
                  "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set), so no Secret "
                  "Service can be reached; " +
                      std::string(start_fix) + detail(error.get()));
    }
    return fail(Errc::store_unavailable,
                "the D-Bus session bus named by DBUS_SESSION_BUS_ADDRESS is not reachable; " +
                    std::string(start_fix) + detail(error.get()));
  }
  // A bus that goes away must end in an error here, not in GLib exiting the process.
  glib().dbus_connection_set_exit_on_close(bus, FALSE);
  return Owned<GDBusConnection>(bus);
}

// service_on_bus on GLib's connection, for a bus address the direct path does not speak.
Result<bool> service_present_through_glib(const std::string& name) {
  if (const Result<const SecretLibrary*>& loaded = secret_library(); !loaded) {
    return tl::unexpected(loaded.error());
  }
  Result<Owned<GDBusConnection>> bus = connect_session_bus();
  if (!bus) {
    return tl::unexpected(bus.error());
  }
  return service_on_bus(bus->get(), name);
}

HashPtr new_attributes() {
  return HashPtr(
      glib().hash_table_new_full(glib().str_hash, glib().str_equal, glib().free, glib().free));
}

// A GLib hash table of attributes, as libsecret takes them.
HashPtr hash_of(const secret_item::Attributes& attributes) {
  HashPtr table = new_attributes();
  for (const auto& [name, value] : attributes) {
    glib().hash_table_insert(table.get(), glib().strdup(name.c_str()),
                             glib().strdup(value.c_str()));
  }
  return table;
}

std::optional<Record> keys_of(SecretItem* item) {
  HashPtr table(glib().item_get_attributes(item));
  if (!table) {
    return std::nullopt;
  }
  secret_item::Attributes attributes;
  GHashTableIter iter;
  gpointer name = nullptr;
  gpointer value = nullptr;
  glib().hash_table_iter_init(&iter, table.get());
  while (glib().hash_table_iter_next(&iter, &name, &value) != FALSE) {
    attributes.emplace(static_cast<const char*>(name), static_cast<const char*>(value));
  }
  return secret_item::keys_of(attributes);
}

void read_secret(SecretValue* value, Record& record) {
  gsize length = 0;
  const gchar* bytes = glib().value_get(value, &length);
  secret_item::read_secret(std::string_view(bytes, length), record);
}

struct Found {
  Owned<SecretItem> item;
  Record record;
};

class SecretServiceStore final : public Store {
public:
  explicit SecretServiceStore(bool may_prompt) : may_prompt_(may_prompt) {}

  // libsecret's shared service proxy and GLib's shared connection stay (they hold their
  // own references): this store goes away when the process exits, and tearing them down
  // there costs a round of RemoveMatch calls on the bus for nothing. Every call was
  // synchronous, so nothing is left to flush.
  ~SecretServiceStore() override = default;

  SecretServiceStore(const SecretServiceStore&) = delete;
  SecretServiceStore& operator=(const SecretServiceStore&) = delete;

  [[nodiscard]] std::string_view name() const override { return "secretservice"; }

  Result<std::vector<Record>> list(const Query& query) override {
    Result<std::vector<Found>> found = search(query);
    if (!found) {
      return tl::unexpected(found.error());
    }
    std::vector<Record> records;
    records.reserve(found->size());
    for (Found& each : *found) {
      records.push_back(std::move(each.record));
    }
    return records;
  }

  // The best item chosen by its attributes, then only its secret loaded: loading every
  // matching item's secret costs a round trip and a decryption each. Whether a token is
  // usable is in its secret text, so when several items answer, the next one in pick()'s
  // order is loaded only while the ones before it are dead.
  Result<std::optional<Record>> find(const Query& query) override {
    if (query.password) {
      return Store::find(query);
    }
    // git's get: the direct read path, unless the bus is of a kind only GLib speaks.
    Result<std::optional<Record>> direct = secret_direct::find(query, may_prompt_);
    if (direct || direct.error().code != Errc::unsupported) {
      return direct;
    }
    constexpr int tries = 4; // as search(): an item deleted meanwhile means search again
    for (int attempt = 1;; ++attempt) {
      bool vanished = false;
      Result<std::optional<Record>> found = find_once(query, vanished);
      if (!vanished || attempt == tries) {
        return found;
      }
    }
  }

  Result<std::optional<Record>> find_once(const Query& query, bool& vanished) {
    Result<std::vector<Found>> found = search(query, false);
    if (!found) {
      return tl::unexpected(found.error());
    }
    std::vector<Record> keys;
    keys.reserve(found->size());
    for (const Found& each : *found) {
      keys.push_back(each.record);
    }
    const auto now = static_cast<std::int64_t>(std::time(nullptr));
    std::optional<Record> first;
    for (const Record& next : ranked(std::move(keys))) {
      auto each = std::find_if(found->begin(), found->end(),
                               [&](const Found& f) { return same_keys(f.record, next); });
      if (each == found->end()) {
        continue;
      }
      GError* raw = nullptr;
      const bool loaded = glib().item_load_secret_sync(each->item.get(), nullptr, &raw) != FALSE;
      ErrorPtr error(raw);
      if (!loaded) {
        vanished = no_such_object(error.get());
        return translate(error.get(), "reading the credential");
      }
      ValuePtr value(glib().item_get_secret(each->item.get()));
      if (!value) {
        return locked_error();
      }
      read_secret(value.get(), each->record);
      if (usable(each->record, now)) {
        return std::optional<Record>(std::move(each->record));
      }
      if (!first) {
        first = std::move(each->record);
      }
    }
    return first;
  }

  // The Secret Service has no transactions: every write of patrol's, and every
  // compare-and-swap, runs under one lock file for the whole service (credential_lock.hpp),
  // held only for the D-Bus calls. Other applications writing the keyring do not take it.
  Result<void> save(const Record& record) override {
    Result<FileLock> lock = lock_store(name());
    if (!lock) {
      return tl::unexpected(lock.error());
    }
    return write(record);
  }

  Result<bool> replace(const Record& expected, const Record& next) override {
    if (!same_keys(expected, next)) {
      return fail(Errc::invalid_input, "a replacement must be the same credential");
    }
    Result<FileLock> lock = lock_store(name());
    if (!lock) {
      return tl::unexpected(lock.error());
    }
    Result<std::vector<Found>> found = search(query_for(expected));
    if (!found) {
      return tl::unexpected(found.error());
    }
    bool holds = false;
    for (const Found& each : *found) {
      if (same_keys(each.record, expected)) {
        holds = each.record.secret == expected.secret;
        break;
      }
    }
    if (!holds) {
      return false;
    }
    Result<void> written = write(next);
    if (!written) {
      return tl::unexpected(written.error());
    }
    return true;
  }

  // save's work; the caller holds the lock.
  Result<void> write(const Record& record) {
    // An empty password is a credential too (Kerberos, http.emptyAuth), as in git's helpers.
    if (record.protocol.empty() || record.host.empty()) {
      return fail(Errc::invalid_input, "a credential needs a protocol and a host to be stored");
    }
    if (!valid_keys(record)) {
      return fail(Errc::invalid_input,
                  "the Secret Service finds items by UTF-8 attributes, and this credential's "
                  "host, path or username is not UTF-8: keep it in the file store "
                  "(patrol.store=file), which keeps any bytes");
    }
    Result<Secret> text = secret_text::encode(record);
    if (!text) {
      return tl::unexpected(text.error());
    }
    Result<SecretService*> service = connect(SECRET_SERVICE_OPEN_SESSION);
    if (!service) {
      return tl::unexpected(service.error());
    }
    Result<Owned<SecretCollection>> collection = default_collection(*service);
    if (!collection) {
      return tl::unexpected(collection.error());
    }
    std::vector<Owned<SecretItem>> older = same_key_items(*service, record);

    ValuePtr value(glib().value_new(text->view().data(), static_cast<gssize>(text->view().size()),
                                    "text/plain"));
    HashPtr attributes = hash_of(secret_item::item_attributes(record));
    const std::string label = item_label(record);
    GError* raw = nullptr;
    const SecretSchema* schema = record.authtype.empty() ? &write_schema : &authtype_schema;
    Owned<SecretItem> created(glib().item_create_sync(collection->get(), schema, attributes.get(),
                                                      label.c_str(), value.get(),
                                                      SECRET_ITEM_CREATE_NONE, nullptr, &raw));
    ErrorPtr error(raw);
    if (!created) {
      return translate(error.get(), "storing the credential");
    }
    // The older items with the same keys go once the new one is there. Not the service's
    // own replace: gnome-keyring replaces any item holding these attributes, another
    // program's item with more attributes (a NetworkPassword with a domain) included.
    const std::string created_path = object_path(created.get());
    for (Owned<SecretItem>& item : older) {
      if (object_path(item.get()) != created_path) {
        glib().item_delete_sync(item.get(), nullptr, nullptr);
      }
    }
    return {};
  }

  Result<bool> erase_matching(const Query& query) override {
    Result<FileLock> lock = lock_store(name());
    if (!lock) {
      return tl::unexpected(lock.error());
    }
    Result<std::vector<Found>> found = search(query);
    if (!found) {
      return tl::unexpected(found.error());
    }
    for (Found& each : *found) {
      GError* raw = nullptr;
      const bool deleted = glib().item_delete_sync(each.item.get(), nullptr, &raw) != FALSE;
      ErrorPtr error(raw);
      if (!deleted) {
        return translate(error.get(), "erasing the credential");
      }
    }
    return !found->empty();
  }

private:
  static std::string object_path(SecretItem* item) {
    const gchar* path = glib().dbus_proxy_get_object_path(reinterpret_cast<GDBusProxy*>(item));
    return path != nullptr ? path : "";
  }

  // libsecret and GLib are loaded here, on first use: a get does not need them.
  Result<SecretService*> connect(SecretServiceFlags flags) {
    if (!service_) {
      if (const Result<const SecretLibrary*>& loaded = secret_library(); !loaded) {
        return tl::unexpected(loaded.error());
      }
      Result<Owned<GDBusConnection>> bus = connect_session_bus();
      if (!bus) {
        return tl::unexpected(bus.error());
      }
      bus_ = std::move(*bus);
      GError* raw = nullptr;
      service_.reset(glib().service_get_sync(flags, nullptr, &raw));
      ErrorPtr error(raw);
      if (!service_) {
        return fail(Errc::store_unavailable, "the Secret Service could not be started; " +
                                                 std::string(start_fix) + detail(error.get()));
      }
    }
    if ((flags & SECRET_SERVICE_OPEN_SESSION) != 0) {
      GError* raw = nullptr;
      const bool opened =
          glib().service_ensure_session_sync(service_.get(), nullptr, &raw) != FALSE;
      ErrorPtr error(raw);
      if (!opened) {
        return translate(error.get(), "opening a session");
      }
    }
    return service_.get();
  }

  // Every item answering the query, secrets loaded. A matching item whose secret cannot
  // be read is in a locked keyring that the unlock attempt left locked. With load_secrets
  // false only the keys are read (the query must then hold no password): find() loads the
  // one secret it hands out. An item another
  // process deleted between the search and the reading of its secret (a save replaces an
  // item by creating the new one, then deleting the old) is a reason to search again, not
  // an error: a few tries, since every such race ends with the writer's next call.
  Result<std::vector<Found>> search(const Query& query, bool load_secrets = true) {
    constexpr int tries = 4;
    for (int attempt = 1;; ++attempt) {
      bool vanished = false;
      Result<std::vector<Found>> found = search_once(query, load_secrets, vanished);
      if (!vanished || attempt == tries) {
        return found;
      }
    }
  }

  Result<std::vector<Found>> search_once(const Query& query, bool load_secrets, bool& vanished) {
    std::vector<Found> found;
    if (!valid_keys(query)) {
      return found; // every item's attributes are UTF-8, so nothing can match
    }
    Result<SecretService*> service = connect(SECRET_SERVICE_NONE);
    if (!service) {
      return tl::unexpected(service.error());
    }
    const auto flags = static_cast<SecretSearchFlags>(
        SECRET_SEARCH_ALL | (may_prompt_ ? SECRET_SEARCH_UNLOCK : SECRET_SEARCH_NONE) |
        (load_secrets ? SECRET_SEARCH_LOAD_SECRETS : SECRET_SEARCH_NONE));
    std::vector<ObjectList> results;
    if (query.empty()) {
      // Listing everything: only git's items, so no other application's secrets are loaded.
      for (std::string_view schema : secret_item::all_schema_names) {
        HashPtr attributes =
            hash_of({{std::string(secret_item::schema_attribute), std::string(schema)}});
        Result<ObjectList> items =
            run_search(*service, nullptr, attributes.get(), flags, &vanished);
        if (!items) {
          return tl::unexpected(items.error());
        }
        results.push_back(std::move(*items));
      }
    } else {
      HashPtr attributes = hash_of(secret_item::search_attributes(query, false));
      Result<ObjectList> items =
          run_search(*service, &search_schema, attributes.get(), flags, &vanished);
      if (!items) {
        return tl::unexpected(items.error());
      }
      results.push_back(std::move(*items));
      // Pre-encoded credentials only for a caller that can take them: one more search.
      if (query.authtype_ok) {
        HashPtr more = hash_of(secret_item::search_attributes(query, true));
        Result<ObjectList> own =
            run_search(*service, &authtype_schema, more.get(), flags, &vanished);
        if (!own) {
          return tl::unexpected(own.error());
        }
        results.push_back(std::move(*own));
      }
    }
    Query keys_only = query;
    keys_only.password.reset();
    bool locked = false;
    for (GList* node : each_item(results)) {
      auto* item = static_cast<SecretItem*>(node->data);
      std::optional<Record> record = keys_of(item);
      if (!record || !matches(keys_only, *record)) {
        continue;
      }
      if (!load_secrets) {
        found.push_back(Found{Owned<SecretItem>(static_cast<SecretItem*>(glib().object_ref(item))),
                              std::move(*record)});
        continue;
      }
      ValuePtr value(glib().item_get_secret(item));
      if (!value) {
        // Still there and locked, or gone since the search.
        if (glib().item_get_locked(item) == FALSE) {
          vanished = true;
        }
        locked = true;
        continue;
      }
      read_secret(value.get(), *record);
      if (matches(query, *record)) {
        found.push_back(Found{Owned<SecretItem>(static_cast<SecretItem*>(glib().object_ref(item))),
                              std::move(*record)});
      }
    }
    if (locked) {
      return locked_error();
    }
    return found;
  }

  // vanished (when given) is set when the search failed on an item deleted meanwhile.
  static Result<ObjectList> run_search(SecretService* service, const SecretSchema* schema,
                                       GHashTable* attributes, SecretSearchFlags flags,
                                       bool* vanished = nullptr) {
    GError* raw = nullptr;
    ObjectList items(glib().service_search_sync(service, schema, attributes, flags, nullptr, &raw));
    ErrorPtr error(raw);
    if (error) {
      if (vanished != nullptr) {
        *vanished = no_such_object(error.get());
      }
      return translate(error.get(), "searching for credentials");
    }
    return items;
  }

  static std::vector<GList*> each_item(const std::vector<ObjectList>& results) {
    std::vector<GList*> nodes;
    for (const ObjectList& list : results) {
      for (GList* node = list.get(); node != nullptr; node = node->next) {
        nodes.push_back(node);
      }
    }
    return nodes;
  }

  Result<Owned<SecretCollection>> default_collection(SecretService* service) {
    GError* raw = nullptr;
    Owned<SecretCollection> collection(glib().collection_for_alias_sync(
        service, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE, nullptr, &raw));
    ErrorPtr error(raw);
    if (error) {
      if (no_such_object(error.get())) {
        return no_default_keyring(error.get());
      }
      return translate(error.get(), "opening the default keyring");
    }
    if (!collection) {
      return no_default_keyring(nullptr);
    }
    if (glib().collection_get_locked(collection.get()) == FALSE) {
      return collection;
    }
    if (!may_prompt_) {
      return secret_item::no_prompt_error();
    }
    GList one{collection.get(), nullptr, nullptr};
    GList* unlocked_raw = nullptr;
    raw = nullptr;
    const gint count = glib().service_unlock_sync(service, &one, nullptr, &unlocked_raw, &raw);
    ObjectList unlocked(unlocked_raw);
    ErrorPtr unlock_error(raw);
    if (count < 1) {
      return locked_error();
    }
    return collection;
  }

  // Items already holding this credential's keys, wherever they are; no unlock, no secrets.
  std::vector<Owned<SecretItem>> same_key_items(SecretService* service, const Record& record) {
    std::vector<Owned<SecretItem>> same;
    HashPtr attributes = hash_of(secret_item::item_attributes(record));
    GError* raw = nullptr;
    const SecretSchema* schema = record.authtype.empty() ? &search_schema : &authtype_schema;
    ObjectList items(glib().service_search_sync(service, schema, attributes.get(),
                                                SECRET_SEARCH_ALL, nullptr, &raw));
    ErrorPtr error(raw);
    for (GList* node = items.get(); node != nullptr; node = node->next) {
      auto* item = static_cast<SecretItem*>(node->data);
      std::optional<Record> keys = keys_of(item);
      if (keys && same_keys(*keys, record)) {
        same.emplace_back(static_cast<SecretItem*>(glib().object_ref(item)));
      }
    }
    return same;
  }

  bool may_prompt_; // false: git's credential.interactive=false, no unlock prompt
  Owned<GDBusConnection> bus_;
  Owned<SecretService> service_;
};

} // namespace

Result<std::unique_ptr<Store>> open_secret_service(bool answered, bool may_prompt) {
  if (!answered) {
    const std::string name = secret_item::bus_name();
    Result<bool> present = secret_direct::service_present(name);
    if (!present && present.error().code == Errc::unsupported) {
      present = service_present_through_glib(name);
    }
    if (!present) {
      return tl::unexpected(present.error());
    }
    if (!*present) {
      return fail(Errc::store_unavailable,
                  "no Secret Service on the D-Bus session bus (nothing owns or can start " + name +
                      "); " + std::string(start_fix));
    }
  }
  return std::unique_ptr<Store>(std::make_unique<SecretServiceStore>(may_prompt));
}

} // namespace patrol::store
