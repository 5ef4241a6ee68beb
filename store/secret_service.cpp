#include "store/secret_service.hpp"

#include <charconv>
#include <optional>
#include <string>
#include <vector>

#include <libsecret/secret.h>

#include "common/host_port.hpp"
#include "store/match.hpp"
#include "store/secret_text.hpp"

namespace patrol::store {

namespace {

// The attributes of git-credential-libsecret's items (user, object, protocol, port,
// server), declared under two names. Searches use git's own `org.git.Password` with
// DONT_MATCH_NAME, as newer git does, so they ignore the name and find both git's and
// patrol's items. Items are written under `org.gnome.keyring.NetworkPassword`: git 2.39's
// helper (Debian bookworm) searches with SECRET_SCHEMA_COMPAT_NETWORK, whose flags are 0,
// so it finds only items carrying that xdg:schema, while newer git ignores the name.
// That is the one name both git versions find.
constexpr SecretSchema make_schema(const char* name, SecretSchemaFlags flags) {
  return SecretSchema{
      name,
      flags,
      {
          {"user", SECRET_SCHEMA_ATTRIBUTE_STRING},
          {"object", SECRET_SCHEMA_ATTRIBUTE_STRING},
          {"protocol", SECRET_SCHEMA_ATTRIBUTE_STRING},
          {"port", SECRET_SCHEMA_ATTRIBUTE_INTEGER},
          {"server", SECRET_SCHEMA_ATTRIBUTE_STRING},
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

const SecretSchema search_schema = make_schema("org.git.Password", SECRET_SCHEMA_DONT_MATCH_NAME);
const SecretSchema write_schema =
    make_schema("org.gnome.keyring.NetworkPassword", SECRET_SCHEMA_NONE);

// Schemas whose items are git credentials: git's own, and the one git 2.39 uses.
constexpr std::string_view git_schema_names[] = {"org.git.Password",
                                                 "org.gnome.keyring.NetworkPassword"};

constexpr std::string_view start_fix =
    "start gnome-keyring-daemon (or another Secret Service) in your D-Bus session, or set "
    "patrol.store=file";
constexpr std::string_view unlock_fix =
    "unlock your login keyring (for example by logging in to the desktop, or "
    "`gnome-keyring-daemon --unlock`)";

struct GObjectUnref {
  void operator()(gpointer object) const { g_object_unref(object); }
};
struct HashUnref {
  void operator()(GHashTable* table) const { g_hash_table_unref(table); }
};
struct ErrorFree {
  void operator()(GError* error) const { g_error_free(error); }
};
struct VariantUnref {
  void operator()(GVariant* variant) const { g_variant_unref(variant); }
};
struct ValueUnref {
  void operator()(SecretValue* value) const { secret_value_unref(value); }
};
struct ObjectListFree {
  void operator()(GList* list) const { g_list_free_full(list, g_object_unref); }
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
  return g_error_matches(error, G_DBUS_ERROR, code) != FALSE;
}

bool bus_unreachable(const GError* error) {
  return is_dbus_error(error, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
         is_dbus_error(error, G_DBUS_ERROR_NAME_HAS_NO_OWNER) ||
         is_dbus_error(error, G_DBUS_ERROR_NO_REPLY) || is_dbus_error(error, G_DBUS_ERROR_TIMEOUT) ||
         is_dbus_error(error, G_DBUS_ERROR_TIMED_OUT) ||
         is_dbus_error(error, G_DBUS_ERROR_DISCONNECTED) ||
         is_dbus_error(error, G_DBUS_ERROR_NO_SERVER) ||
         is_dbus_error(error, G_DBUS_ERROR_SPAWN_FAILED) ||
         is_dbus_error(error, G_DBUS_ERROR_SPAWN_EXEC_FAILED) ||
         is_dbus_error(error, G_DBUS_ERROR_SPAWN_CHILD_EXITED) ||
         is_dbus_error(error, G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND) ||
         g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CLOSED) != FALSE;
}

bool no_such_object(const GError* error) {
  return is_dbus_error(error, G_DBUS_ERROR_UNKNOWN_METHOD) ||
         is_dbus_error(error, G_DBUS_ERROR_UNKNOWN_OBJECT) ||
         g_error_matches(error, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT) != FALSE;
}

tl::unexpected<Error> locked_error() {
  return fail(Errc::store_locked,
              "the keyring is locked and could not be unlocked; " + std::string(unlock_fix));
}

tl::unexpected<Error> no_default_keyring(const GError* error) {
  return fail(Errc::store_unavailable,
              "the Secret Service has no default keyring to store into; create or " +
                  std::string(unlock_fix) + detail(error));
}

// One sentence for a failed Secret Service call; `what` names the call ("searching").
tl::unexpected<Error> translate(const GError* error, std::string_view what) {
  if (g_error_matches(error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED) != FALSE) {
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

std::string_view secrets_bus_name() {
  // libsecret reads the same variable, so both speak to the same service.
  const char* name = g_getenv("SECRET_SERVICE_BUS_NAME");
  return name != nullptr && *name != '\0' ? name : "org.freedesktop.secrets";
}

Result<VariantPtr> call_bus(GDBusConnection* bus, const char* method, GVariant* arguments,
                            const GVariantType* reply) {
  GError* raw = nullptr;
  GVariant* result = g_dbus_connection_call_sync(
      bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", method,
      arguments, reply, G_DBUS_CALL_FLAGS_NONE, -1, nullptr, &raw);
  ErrorPtr error(raw);
  if (result == nullptr) {
    return fail(Errc::store_unavailable,
                "the D-Bus session bus did not answer; " + std::string(start_fix) +
                    detail(error.get()));
  }
  return VariantPtr(result);
}

// True when something owns the Secret Service name or the bus can start it on demand;
// without this check libsecret would only report a failed activation.
Result<bool> service_on_bus(GDBusConnection* bus, const std::string& name) {
  Result<VariantPtr> owned = call_bus(bus, "NameHasOwner", g_variant_new("(s)", name.c_str()),
                                      G_VARIANT_TYPE("(b)"));
  if (!owned) {
    return tl::unexpected(owned.error());
  }
  gboolean has_owner = FALSE;
  g_variant_get(owned->get(), "(b)", &has_owner);
  if (has_owner != FALSE) {
    return true;
  }
  Result<VariantPtr> activatable =
      call_bus(bus, "ListActivatableNames", nullptr, G_VARIANT_TYPE("(as)"));
  if (!activatable) {
    return tl::unexpected(activatable.error());
  }
  GVariantIter* names = nullptr;
  g_variant_get(activatable->get(), "(as)", &names);
  bool found = false;
  const gchar* each = nullptr;
  while (g_variant_iter_loop(names, "&s", &each) != FALSE) {
    found = found || name == each;
  }
  g_variant_iter_free(names);
  return found;
}

Result<Owned<GDBusConnection>> connect_session_bus() {
  GError* raw = nullptr;
  GDBusConnection* bus = g_bus_get_sync(G_BUS_TYPE_SESSION, nullptr, &raw);
  ErrorPtr error(raw);
  if (bus == nullptr) {
    const char* address = g_getenv("DBUS_SESSION_BUS_ADDRESS");
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
  g_dbus_connection_set_exit_on_close(bus, FALSE);
  return Owned<GDBusConnection>(bus);
}

struct HostPort {
  std::string server;
  std::optional<unsigned> port;
};

std::optional<unsigned> parse_port(std::string_view text) {
  unsigned port = 0;
  const char* end = text.data() + text.size();
  auto [next, error] = std::from_chars(text.data(), end, port);
  if (text.empty() || error != std::errc() || next != end || port == 0 || port > 65535) {
    return std::nullopt;
  }
  return port;
}

// git's host is "name[:port]"; git's helper keeps the port as its own integer attribute.
HostPort split_host(std::string_view host) {
  const std::size_t colon = host.rfind(':');
  if (colon == std::string_view::npos || host.find(']', colon) != std::string_view::npos) {
    return {std::string(host), std::nullopt};
  }
  std::optional<unsigned> port = parse_port(host.substr(colon + 1));
  if (!port) {
    return {std::string(host), std::nullopt};
  }
  return {std::string(host.substr(0, colon)), port};
}

HashPtr new_attributes() {
  return HashPtr(g_hash_table_new_full(g_str_hash, g_str_equal, nullptr, g_free));
}

void put(GHashTable* attributes, const char* name, const std::string& value) {
  g_hash_table_insert(attributes, const_cast<char*>(name), g_strdup(value.c_str()));
}

// The attributes to search with: the query's non-empty fields. No `object` when the query
// has no path, so items with a path are found and then refused by matches().
HashPtr search_attributes(const Query& query) {
  HashPtr attributes = new_attributes();
  if (!query.protocol.empty()) {
    put(attributes.get(), "protocol", query.protocol);
  }
  if (!query.host.empty()) {
    HostPort host = split_host(query.host);
    put(attributes.get(), "server", host.server);
    if (host.port) {
      put(attributes.get(), "port", std::to_string(*host.port));
    }
  }
  if (!query.path.empty()) {
    put(attributes.get(), "object", query.path);
  }
  if (!query.username.empty()) {
    put(attributes.get(), "user", query.username);
  }
  return attributes;
}

// Exactly what git-credential-libsecret stores for the same credential.
HashPtr item_attributes(const Record& record) {
  HashPtr attributes = new_attributes();
  HostPort host = split_host(record.host);
  put(attributes.get(), "protocol", record.protocol);
  put(attributes.get(), "server", host.server);
  if (host.port) {
    put(attributes.get(), "port", std::to_string(*host.port));
  }
  if (!record.path.empty()) {
    put(attributes.get(), "object", record.path);
  }
  if (!record.username.empty()) {
    put(attributes.get(), "user", record.username);
  }
  return attributes;
}

// git-credential-libsecret's label: "Git: <protocol>://<server>[:<port>]/<path>".
std::string item_label(const Record& record) {
  HostPort host = split_host(record.host);
  std::string label = "Git: " + record.protocol + "://" + host.server;
  if (host.port) {
    label += ':';
    label += std::to_string(*host.port); // no ":" + string: GCC 12 -Wrestrict, bug 105329
  }
  return label + "/" + record.path;
}

std::string attribute(GHashTable* attributes, const char* name) {
  const auto* value = static_cast<const char*>(g_hash_table_lookup(attributes, name));
  return value != nullptr ? value : "";
}

// The lookup keys of an item, or nullopt for an item that is not a git credential. The
// search ignores schema names, so it also returns other programs' items that happen to
// carry a server and a protocol: git's items are those under one of git's schema names
// (every libsecret writer stores one; secret-tool and raw D-Bus clients store none),
// without the NetworkPassword attributes git never sets (domain, authtype: gvfs and other
// GNOME programs share that schema), and with a port that is a number.
std::optional<Record> keys_of(SecretItem* item) {
  HashPtr attributes(secret_item_get_attributes(item));
  if (!attributes) {
    return std::nullopt;
  }
  const std::string schema = attribute(attributes.get(), "xdg:schema");
  bool known_schema = false;
  for (std::string_view name : git_schema_names) {
    known_schema = known_schema || schema == name;
  }
  const bool foreign = g_hash_table_contains(attributes.get(), "domain") != FALSE ||
                       g_hash_table_contains(attributes.get(), "authtype") != FALSE;
  Record record;
  record.protocol = attribute(attributes.get(), "protocol");
  record.host = attribute(attributes.get(), "server");
  if (!known_schema || foreign || record.protocol.empty() || record.host.empty()) {
    return std::nullopt;
  }
  const std::string port = attribute(attributes.get(), "port");
  if (!port.empty()) {
    std::optional<std::string> host = canonical_host(record.protocol, record.host + ":" + port);
    if (!host) {
      return std::nullopt;
    }
    record.host = std::move(*host);
  }
  record.path = attribute(attributes.get(), "object");
  record.username = attribute(attributes.get(), "user");
  record.store = "secretservice";
  return record;
}

void read_secret(SecretValue* value, Record& record) {
  gsize length = 0;
  const gchar* bytes = secret_value_get(value, &length);
  std::string text(bytes, length);
  Record fields = secret_text::decode(text);
  wipe(text);
  record.secret = std::move(fields.secret);
  record.kind = fields.kind;
  record.expires_at = fields.expires_at;
  record.refresh_token = std::move(fields.refresh_token);
  record.scopes = std::move(fields.scopes);
  record.token_id = std::move(fields.token_id);
  record.token_name = std::move(fields.token_name);
  record.checked_at = fields.checked_at;
}

bool valid_utf8(const std::string& text) {
  return g_utf8_validate(text.data(), static_cast<gssize>(text.size()), nullptr) != FALSE;
}

bool valid_keys(const std::string& protocol, const std::string& host, const std::string& path,
                const std::string& username) {
  return valid_utf8(protocol) && valid_utf8(host) && valid_utf8(path) && valid_utf8(username);
}

bool same_keys(const Record& a, const Record& b) {
  return a.protocol == b.protocol && a.host == b.host && a.path == b.path &&
         a.username == b.username;
}

struct Found {
  Owned<SecretItem> item;
  Record record;
};

class SecretServiceStore final : public Store {
public:
  explicit SecretServiceStore(Owned<GDBusConnection> bus) : bus_(std::move(bus)) {}

  ~SecretServiceStore() override {
    service_.reset();
    bus_.reset();
    // Drop libsecret's shared proxy too, so a later store in this process connects anew.
    secret_service_disconnect();
  }

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

  Result<void> save(const Record& record) override {
    if (record.protocol.empty() || record.host.empty() || record.secret.empty()) {
      return fail(Errc::invalid_input,
                  "a credential needs a protocol, a host and a password to be stored");
    }
    if (!valid_keys(record.protocol, record.host, record.path, record.username)) {
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

    ValuePtr value(secret_value_new(text->view().data(), static_cast<gssize>(text->view().size()),
                                    "text/plain"));
    HashPtr attributes = item_attributes(record);
    const std::string label = item_label(record);
    GError* raw = nullptr;
    Owned<SecretItem> created(secret_item_create_sync(collection->get(), &write_schema,
                                                      attributes.get(), label.c_str(),
                                                      value.get(), SECRET_ITEM_CREATE_NONE,
                                                      nullptr, &raw));
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
        secret_item_delete_sync(item.get(), nullptr, nullptr);
      }
    }
    return {};
  }

  Result<bool> erase(const Query& query) override {
    if (query.empty()) {
      return fail(Errc::invalid_input,
                  "refusing to erase with an empty pattern; give a protocol, host, path or "
                  "username");
    }
    Result<std::vector<Found>> found = search(query);
    if (!found) {
      return tl::unexpected(found.error());
    }
    for (Found& each : *found) {
      GError* raw = nullptr;
      const bool deleted = secret_item_delete_sync(each.item.get(), nullptr, &raw) != FALSE;
      ErrorPtr error(raw);
      if (!deleted) {
        return translate(error.get(), "erasing the credential");
      }
    }
    return !found->empty();
  }

private:
  static std::string object_path(SecretItem* item) {
    const gchar* path = g_dbus_proxy_get_object_path(G_DBUS_PROXY(item));
    return path != nullptr ? path : "";
  }

  Result<SecretService*> connect(SecretServiceFlags flags) {
    if (!service_) {
      GError* raw = nullptr;
      service_.reset(secret_service_get_sync(flags, nullptr, &raw));
      ErrorPtr error(raw);
      if (!service_) {
        return fail(Errc::store_unavailable, "the Secret Service could not be started; " +
                                                 std::string(start_fix) + detail(error.get()));
      }
    }
    if ((flags & SECRET_SERVICE_OPEN_SESSION) != 0) {
      GError* raw = nullptr;
      const bool opened = secret_service_ensure_session_sync(service_.get(), nullptr, &raw) != FALSE;
      ErrorPtr error(raw);
      if (!opened) {
        return translate(error.get(), "opening a session");
      }
    }
    return service_.get();
  }

  // Every item answering the query, secrets loaded. A matching item whose secret cannot
  // be read is in a locked keyring that the unlock attempt left locked.
  Result<std::vector<Found>> search(const Query& query) {
    std::vector<Found> found;
    if (!valid_keys(query.protocol, query.host, query.path, query.username)) {
      return found; // every item's attributes are UTF-8, so nothing can match
    }
    Result<SecretService*> service = connect(SECRET_SERVICE_NONE);
    if (!service) {
      return tl::unexpected(service.error());
    }
    const auto flags = static_cast<SecretSearchFlags>(
        SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS);
    std::vector<ObjectList> results;
    if (query.empty()) {
      // Listing everything: only git's items, so no other application's secrets are loaded.
      for (std::string_view schema : git_schema_names) {
        HashPtr attributes = new_attributes();
        put(attributes.get(), "xdg:schema", std::string(schema));
        Result<ObjectList> items = run_search(*service, nullptr, attributes.get(), flags);
        if (!items) {
          return tl::unexpected(items.error());
        }
        results.push_back(std::move(*items));
      }
    } else {
      HashPtr attributes = search_attributes(query);
      Result<ObjectList> items = run_search(*service, &search_schema, attributes.get(), flags);
      if (!items) {
        return tl::unexpected(items.error());
      }
      results.push_back(std::move(*items));
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
      ValuePtr value(secret_item_get_secret(item));
      if (!value) {
        locked = true;
        continue;
      }
      read_secret(value.get(), *record);
      if (matches(query, *record)) {
        found.push_back(Found{Owned<SecretItem>(static_cast<SecretItem*>(g_object_ref(item))),
                              std::move(*record)});
      }
    }
    if (locked) {
      return locked_error();
    }
    return found;
  }

  static Result<ObjectList> run_search(SecretService* service, const SecretSchema* schema,
                                       GHashTable* attributes, SecretSearchFlags flags) {
    GError* raw = nullptr;
    ObjectList items(
        secret_service_search_sync(service, schema, attributes, flags, nullptr, &raw));
    ErrorPtr error(raw);
    if (error) {
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
    Owned<SecretCollection> collection(secret_collection_for_alias_sync(
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
    if (secret_collection_get_locked(collection.get()) == FALSE) {
      return collection;
    }
    GList one{collection.get(), nullptr, nullptr};
    GList* unlocked_raw = nullptr;
    raw = nullptr;
    const gint count = secret_service_unlock_sync(service, &one, nullptr, &unlocked_raw, &raw);
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
    HashPtr attributes = item_attributes(record);
    GError* raw = nullptr;
    ObjectList items(secret_service_search_sync(service, &search_schema, attributes.get(),
                                                SECRET_SEARCH_ALL, nullptr, &raw));
    ErrorPtr error(raw);
    for (GList* node = items.get(); node != nullptr; node = node->next) {
      auto* item = static_cast<SecretItem*>(node->data);
      std::optional<Record> keys = keys_of(item);
      if (keys && same_keys(*keys, record)) {
        same.emplace_back(static_cast<SecretItem*>(g_object_ref(item)));
      }
    }
    return same;
  }

  Owned<GDBusConnection> bus_;
  Owned<SecretService> service_;
};

} // namespace

Result<std::unique_ptr<Store>> open_secret_service() {
  Result<Owned<GDBusConnection>> bus = connect_session_bus();
  if (!bus) {
    return tl::unexpected(bus.error());
  }
  const std::string name(secrets_bus_name());
  Result<bool> present = service_on_bus(bus->get(), name);
  if (!present) {
    return tl::unexpected(present.error());
  }
  if (!*present) {
    return fail(Errc::store_unavailable, "no Secret Service on the D-Bus session bus (nothing owns "
                                         "or can start " +
                                             name + "); " + std::string(start_fix));
  }
  return std::unique_ptr<Store>(std::make_unique<SecretServiceStore>(std::move(*bus)));
}

} // namespace patrol::store
