// Runs against a real gnome-keyring-daemon on a private session bus: these tests are
// hidden from a plain run and run as `tests/keyring/with-keyring patrol_unit_tests
// "[secretservice]"`.
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

#include <catch2/catch.hpp>
#include <libsecret/secret.h>

#include "store/secret_service.hpp"
#include "support/store_builders.hpp"

using patrol::Errc;
using patrol::Secret;
using patrol::store::Kind;
using patrol::store::open_secret_service;
using patrol::store::Query;
using patrol::store::Record;
using patrol::store::Store;
using patrol::test::query;
using patrol::test::record;

namespace {

constexpr const char* login_collection = "/org/freedesktop/secrets/collection/login";

// What the keyring holds for one item, read with libsecret directly.
struct RawItem {
  std::map<std::string, std::string> attributes;
  std::string label;
  std::string secret;
};

const SecretSchema any_schema = {
    "org.git.Password",
    SECRET_SCHEMA_DONT_MATCH_NAME,
    {
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

std::vector<RawItem> raw_items(const std::string& server) {
  std::vector<RawItem> found;
  GError* error = nullptr;
  SecretService* service = secret_service_get_sync(SECRET_SERVICE_OPEN_SESSION, nullptr, &error);
  REQUIRE(service != nullptr);
  GHashTable* query = g_hash_table_new(g_str_hash, g_str_equal);
  g_hash_table_insert(query, const_cast<char*>("server"), const_cast<char*>(server.c_str()));
  GList* items = secret_service_search_sync(
      service, &any_schema, query,
      static_cast<SecretSearchFlags>(SECRET_SEARCH_ALL | SECRET_SEARCH_LOAD_SECRETS), nullptr,
      &error);
  g_hash_table_unref(query);
  REQUIRE(error == nullptr);
  for (GList* node = items; node != nullptr; node = node->next) {
    auto* item = static_cast<SecretItem*>(node->data);
    RawItem raw;
    GHashTable* attributes = secret_item_get_attributes(item);
    GHashTableIter iter;
    gpointer key = nullptr;
    gpointer value = nullptr;
    g_hash_table_iter_init(&iter, attributes);
    while (g_hash_table_iter_next(&iter, &key, &value) != FALSE) {
      raw.attributes[static_cast<const char*>(key)] = static_cast<const char*>(value);
    }
    g_hash_table_unref(attributes);
    gchar* label = secret_item_get_label(item);
    raw.label = label;
    g_free(label);
    if (SecretValue* secret = secret_item_get_secret(item)) {
      gsize length = 0;
      const gchar* bytes = secret_value_get(secret, &length);
      raw.secret.assign(bytes, length);
      secret_value_unref(secret);
    }
    found.push_back(raw);
  }
  g_list_free_full(items, g_object_unref);
  g_object_unref(service);
  secret_service_disconnect();
  return found;
}

// Creates an item directly, as another program would.
void create_item(const SecretSchema* schema, const std::map<std::string, std::string>& fields,
                 const char* label, const char* secret) {
  GError* error = nullptr;
  SecretService* service = secret_service_get_sync(SECRET_SERVICE_OPEN_SESSION, nullptr, &error);
  REQUIRE(service != nullptr);
  SecretCollection* collection = secret_collection_for_alias_sync(
      service, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE, nullptr, &error);
  REQUIRE(collection != nullptr);
  GHashTable* attributes = g_hash_table_new(g_str_hash, g_str_equal);
  for (const auto& [name, value] : fields) {
    g_hash_table_insert(attributes, const_cast<char*>(name.c_str()),
                        const_cast<char*>(value.c_str()));
  }
  SecretValue* value = secret_value_new(secret, -1, "text/plain");
  SecretItem* item = secret_item_create_sync(collection, schema, attributes, label, value,
                                             SECRET_ITEM_CREATE_REPLACE, nullptr, &error);
  const bool created = item != nullptr;
  if (item != nullptr) {
    g_object_unref(item);
  }
  if (error != nullptr) {
    g_error_free(error);
  }
  secret_value_unref(value);
  g_hash_table_unref(attributes);
  g_object_unref(collection);
  g_object_unref(service);
  secret_service_disconnect();
  REQUIRE(created);
}

// What git 2.39's git-credential-libsecret does on `store`.
void store_like_git_239(const char* server, const char* user, const char* password) {
  create_item(SECRET_SCHEMA_COMPAT_NETWORK,
              {{"user", user}, {"protocol", "https"}, {"server", server}}, "Git: https://old/",
              password);
}

// Another application's item on the same server, which patrol must neither list nor load.
void store_other_application(const char* server) {
  const SecretSchema other = {
      "org.example.Other",
      SECRET_SCHEMA_NONE,
      {
          {"server", SECRET_SCHEMA_ATTRIBUTE_STRING},
          {"protocol", SECRET_SCHEMA_ATTRIBUTE_STRING},
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
  create_item(&other, {{"server", server}, {"protocol", "https"}}, "other app", "not-a-git-secret");
}

GVariant* call(GDBusConnection* bus, const char* path, const char* interface, const char* method,
               GVariant* arguments) {
  GError* error = nullptr;
  GVariant* reply =
      g_dbus_connection_call_sync(bus, "org.freedesktop.secrets", path, interface, method,
                                  arguments, nullptr, G_DBUS_CALL_FLAGS_NONE, -1, nullptr, &error);
  if (error != nullptr) {
    FAIL(std::string(method) + ": " + error->message);
  }
  return reply;
}

void lock_login() {
  GDBusConnection* bus = g_bus_get_sync(G_BUS_TYPE_SESSION, nullptr, nullptr);
  REQUIRE(bus != nullptr);
  const char* paths[] = {login_collection};
  g_variant_unref(call(bus, "/org/freedesktop/secrets", "org.freedesktop.Secret.Service", "Lock",
                       g_variant_new("(@ao)", g_variant_new_objv(paths, 1))));
  g_object_unref(bus);
}

// Unlocking needs no prompt through gnome-keyring's own interface, given the password over
// a plain session opened on the same connection.
void unlock_login() {
  const char* password = std::getenv("PATROL_TEST_KEYRING_PASSWORD");
  REQUIRE(password != nullptr);
  GDBusConnection* bus = g_bus_get_sync(G_BUS_TYPE_SESSION, nullptr, nullptr);
  REQUIRE(bus != nullptr);
  GVariant* opened = call(bus, "/org/freedesktop/secrets", "org.freedesktop.Secret.Service",
                          "OpenSession", g_variant_new("(sv)", "plain", g_variant_new_string("")));
  GVariant* output = nullptr;
  const gchar* session = nullptr;
  g_variant_get(opened, "(v&o)", &output, &session);
  GVariant* secret = g_variant_new(
      "(o@ay@ays)", session, g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, nullptr, 0, 1),
      g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, password, std::strlen(password), 1),
      "text/plain");
  g_variant_unref(call(
      bus, "/org/freedesktop/secrets", "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface",
      "UnlockWithMasterPassword", g_variant_new("(o@(oayays))", login_collection, secret)));
  g_variant_unref(output);
  g_variant_unref(opened);
  g_object_unref(bus);
}

std::unique_ptr<Store> open_store() {
  auto store = open_secret_service();
  if (!store) {
    FAIL(store.error().message);
  }
  return std::move(*store);
}

} // namespace

TEST_CASE("secretservice: save, find, list, erase", "[.][secretservice]") {
  std::unique_ptr<Store> store = open_store();
  CHECK(store->name() == "secretservice");
  REQUIRE(store->save(record("basic.example", "alice", "token-a")));

  auto found = store->find(query("basic.example"));
  REQUIRE(found);
  REQUIRE(found->has_value());
  CHECK((*found)->username == "alice");
  CHECK((*found)->secret.view() == "token-a");
  CHECK((*found)->store == "secretservice");

  auto nothing = store->find(query("nothing.example"));
  REQUIRE(nothing);
  CHECK_FALSE(nothing->has_value());

  auto other_protocol = store->find(Query{"http", "basic.example", "", "", {}});
  REQUIRE(other_protocol);
  CHECK_FALSE(other_protocol->has_value());

  auto listed = store->list(query("basic.example"));
  REQUIRE(listed);
  CHECK(listed->size() == 1);

  store_other_application("basic.example");
  auto everything = store->list(Query{});
  REQUIRE(everything);
  int basic = 0;
  for (const Record& each : *everything) {
    CHECK(each.protocol == "https");
    basic += each.host == "basic.example" ? 1 : 0;
  }
  CHECK(basic == 1);

  auto erased = store->erase(query("basic.example", "alice"));
  REQUIRE(erased);
  CHECK(*erased);
  std::vector<RawItem> left = raw_items("basic.example");
  REQUIRE(left.size() == 1);
  CHECK(left[0].attributes.at("xdg:schema") == "org.example.Other");
  auto again = store->erase(query("basic.example", "alice"));
  REQUIRE(again);
  CHECK_FALSE(*again);
}

TEST_CASE("secretservice: every field survives the round trip", "[.][secretservice]") {
  std::unique_ptr<Store> store = open_store();
  Record full = record("full.example:8443", "alice", "glpat-secret", "group/repo.git");
  full.kind = Kind::pat;
  full.expires_at = 1767225600;
  full.refresh_token = Secret("refresh-secret");
  full.scopes = {"api", "write_repository"};
  full.token_id = "17";
  full.token_name = "laptop";
  full.checked_at = 1760000000;
  REQUIRE(store->save(full));

  auto found = store->find(query("full.example:8443", "", "group/repo.git"));
  REQUIRE(found);
  REQUIRE(found->has_value());
  const Record& back = **found;
  CHECK(back.host == "full.example:8443");
  CHECK(back.path == "group/repo.git");
  CHECK(back.secret.view() == "glpat-secret");
  CHECK(back.kind == Kind::pat);
  CHECK(back.expires_at == full.expires_at);
  CHECK(back.refresh_token.view() == "refresh-secret");
  CHECK(back.scopes == full.scopes);
  CHECK(back.token_id == "17");
  CHECK(back.token_name == "laptop");
  CHECK(back.checked_at == full.checked_at);
}

TEST_CASE("secretservice: items look exactly like git-credential-libsecret's",
          "[.][secretservice]") {
  std::unique_ptr<Store> store = open_store();
  Record full = record("attrs.example:8443", "alice", "the-password", "group/repo.git");
  full.expires_at = 1767225600;
  full.refresh_token = Secret("the-refresh-token");
  full.token_name = "named";
  REQUIRE(store->save(full));
  REQUIRE(store->save(record("attrs.example", "bob", "bobs-password")));

  std::vector<RawItem> items = raw_items("attrs.example");
  REQUIRE(items.size() == 2);
  const std::set<std::string> allowed = {"user", "object", "protocol",
                                         "port", "server", "xdg:schema"};
  for (const RawItem& item : items) {
    for (const auto& [name, value] : item.attributes) {
      INFO(name << "=" << value);
      CHECK(allowed.count(name) == 1);
      CHECK(value.find("password") == std::string::npos);
      CHECK(value.find("the-refresh-token") == std::string::npos);
      CHECK(value.find("1767225600") == std::string::npos);
      CHECK(value.find("named") == std::string::npos);
    }
    if (item.attributes.at("user") == "alice") {
      CHECK(item.attributes.at("server") == "attrs.example");
      CHECK(item.attributes.at("port") == "8443");
      CHECK(item.attributes.at("object") == "group/repo.git");
      CHECK(item.attributes.at("protocol") == "https");
      CHECK(item.attributes.at("xdg:schema") == "org.gnome.keyring.NetworkPassword");
      CHECK(item.label == "Git: https://attrs.example:8443/group/repo.git");
      CHECK(item.secret.rfind("the-password\npassword_expiry_utc=1767225600\n"
                              "oauth_refresh_token=the-refresh-token\n",
                              0) == 0);
    } else {
      CHECK(item.attributes.count("port") == 0);
      CHECK(item.attributes.count("object") == 0);
      CHECK(item.label == "Git: https://attrs.example/");
      CHECK(item.secret == "bobs-password");
    }
  }
}

TEST_CASE("secretservice: save replaces the items with the same keys, whichever git wrote them",
          "[.][secretservice]") {
  store_like_git_239("replace.example", "alice", "from-old-git");
  const SecretSchema newer_git = {"org.git.Password",
                                  SECRET_SCHEMA_DONT_MATCH_NAME,
                                  {{"user", SECRET_SCHEMA_ATTRIBUTE_STRING},
                                   {"protocol", SECRET_SCHEMA_ATTRIBUTE_STRING},
                                   {"server", SECRET_SCHEMA_ATTRIBUTE_STRING},
                                   {nullptr, SECRET_SCHEMA_ATTRIBUTE_STRING}},
                                  0,
                                  nullptr,
                                  nullptr,
                                  nullptr,
                                  nullptr,
                                  nullptr,
                                  nullptr,
                                  nullptr};
  create_item(&newer_git, {{"user", "alice"}, {"protocol", "https"}, {"server", "replace.example"}},
              "Git: https://replace.example/", "from-newer-git");
  REQUIRE(raw_items("replace.example").size() == 2);
  std::unique_ptr<Store> store = open_store();

  auto old = store->find(query("replace.example", "alice"));
  REQUIRE(old);
  REQUIRE(old->has_value());
  CHECK(((*old)->secret.view() == "from-old-git" || (*old)->secret.view() == "from-newer-git"));

  REQUIRE(store->save(record("replace.example", "alice", "first")));
  REQUIRE(store->save(record("replace.example", "alice", "second")));
  REQUIRE(store->save(record("replace.example", "bob", "bobs")));

  std::vector<RawItem> items = raw_items("replace.example");
  CHECK(items.size() == 2);
  auto alice = store->find(query("replace.example", "alice"));
  REQUIRE(alice);
  REQUIRE(alice->has_value());
  CHECK((*alice)->secret.view() == "second");
}

TEST_CASE("secretservice: replace writes only over the secret it expects", "[.][secretservice]") {
  std::unique_ptr<Store> store = open_store();
  const Record old = record("cas.example", "alice", "old", "group/repo.git");
  REQUIRE(store->save(old));
  REQUIRE(store->save(record("cas.example", "bob", "bob's")));
  Record next = record("cas.example", "alice", "new", "group/repo.git");
  next.kind = Kind::pat;
  next.checked_at = 1760000000;

  auto swapped = store->replace(old, next);
  REQUIRE(swapped);
  CHECK(*swapped);
  std::vector<RawItem> items = raw_items("cas.example");
  REQUIRE(items.size() == 2);
  for (const RawItem& item : items) {
    const std::string password = item.secret.substr(0, item.secret.find('\n'));
    CHECK(password == (item.attributes.at("user") == "alice" ? "new" : "bob's"));
  }

  // A writer that read the old secret before another process stored a new one loses.
  auto stale = store->replace(old, record("cas.example", "alice", "stale", "group/repo.git"));
  REQUIRE(stale);
  CHECK_FALSE(*stale);
  auto kept = store->find(query("cas.example", "alice", "group/repo.git"));
  REQUIRE(*kept);
  CHECK((*kept)->secret.view() == "new");
  CHECK((*kept)->checked_at == 1760000000);

  REQUIRE(store->erase(query("cas.example", "alice", "group/repo.git")));
  auto absent = store->replace(next, record("cas.example", "alice", "again", "group/repo.git"));
  REQUIRE(absent);
  CHECK_FALSE(*absent);
  CHECK(raw_items("cas.example").size() == 1);
}

TEST_CASE("secretservice: path and username rules", "[.][secretservice]") {
  std::unique_ptr<Store> store = open_store();
  REQUIRE(store->save(record("rules.example", "zed", "z")));
  REQUIRE(store->save(record("rules.example", "alice", "a")));
  REQUIRE(store->save(record("rules.example", "carol", "c", "only/this.git")));
  REQUIRE(store->save(record("rules.example:8443", "aaron", "port")));

  auto without_user = store->find(query("rules.example"));
  REQUIRE(without_user);
  REQUIRE(without_user->has_value());
  CHECK((*without_user)->username == "alice");

  auto exact_user = store->find(query("rules.example", "zed"));
  REQUIRE(exact_user);
  REQUIRE(exact_user->has_value());
  CHECK((*exact_user)->secret.view() == "z");

  auto unknown_user = store->find(query("rules.example", "mallory"));
  REQUIRE(unknown_user);
  CHECK_FALSE(unknown_user->has_value());

  auto path_less = store->list(query("rules.example"));
  REQUIRE(path_less);
  CHECK(path_less->size() == 2);

  auto with_path = store->find(query("rules.example", "", "only/this.git"));
  REQUIRE(with_path);
  REQUIRE(with_path->has_value());
  CHECK((*with_path)->username == "carol");

  auto other_path = store->find(query("rules.example", "", "other.git"));
  REQUIRE(other_path);
  CHECK_FALSE(other_path->has_value());

  auto port = store->find(query("rules.example:8443"));
  REQUIRE(port);
  REQUIRE(port->has_value());
  CHECK((*port)->username == "aaron");
}

TEST_CASE("secretservice: erase refuses an empty pattern, honours a password",
          "[.][secretservice]") {
  std::unique_ptr<Store> store = open_store();
  REQUIRE(store->save(record("erase.example", "alice", "current")));
  REQUIRE(store->save(record("erase.example", "bob", "bobs")));

  auto empty = store->erase(Query{});
  REQUIRE_FALSE(empty);
  CHECK(empty.error().code == Errc::invalid_input);
  CHECK(raw_items("erase.example").size() == 2);

  Query stale = query("erase.example", "alice");
  stale.password = Secret("stale");
  auto kept = store->erase(stale);
  REQUIRE(kept);
  CHECK_FALSE(*kept);
  CHECK(raw_items("erase.example").size() == 2);

  Query current = query("erase.example");
  current.password = Secret("current");
  auto erased = store->erase(current);
  REQUIRE(erased);
  CHECK(*erased);
  std::vector<RawItem> left = raw_items("erase.example");
  REQUIRE(left.size() == 1);
  CHECK(left[0].attributes.at("user") == "bob");
}

TEST_CASE("secretservice: a locked keyring is told apart from not found", "[.][secretservice]") {
  {
    std::unique_ptr<Store> store = open_store();
    REQUIRE(store->save(record("locked.example", "alice", "hidden")));
  }
  lock_login();
  {
    std::unique_ptr<Store> store = open_store();
    auto found = store->find(query("locked.example"));
    REQUIRE_FALSE(found);
    CHECK(found.error().code == Errc::store_locked);
    CHECK_THAT(found.error().message, Catch::Contains("locked") && Catch::Contains("unlock"));

    auto saved = store->save(record("locked.example", "bob", "new"));
    REQUIRE_FALSE(saved);
    CHECK(saved.error().code == Errc::store_locked);

    auto erased = store->erase(query("locked.example", "alice"));
    REQUIRE_FALSE(erased);
    CHECK(erased.error().code == Errc::store_locked);
  }
  unlock_login();
  std::unique_ptr<Store> store = open_store();
  auto found = store->find(query("locked.example"));
  REQUIRE(found);
  REQUIRE(found->has_value());
  CHECK((*found)->secret.view() == "hidden");
}

// Each failure runs in a fresh process, as git runs the helper: GLib keeps one session
// bus connection per process, so a bus address changed mid-process is not always seen.
namespace {

int run_child(const char* test_name, const char* bus_address) {
  std::vector<std::string> environment;
  for (char** each = environ; *each != nullptr; ++each) {
    if (std::string_view(*each).rfind("DBUS_SESSION_BUS_ADDRESS=", 0) != 0) {
      environment.emplace_back(*each);
    }
  }
  if (bus_address != nullptr) {
    environment.push_back(std::string("DBUS_SESSION_BUS_ADDRESS=") + bus_address);
  }
  std::vector<char*> envp;
  for (std::string& each : environment) {
    envp.push_back(each.data());
  }
  envp.push_back(nullptr);
  std::string self = "/proc/self/exe";
  std::string name = test_name;
  std::vector<char*> argv = {self.data(), name.data(), nullptr};
  gint status = 0;
  GError* error = nullptr;
  const bool ran = g_spawn_sync(nullptr, argv.data(), envp.data(), G_SPAWN_DEFAULT, nullptr,
                                nullptr, nullptr, nullptr, &status, &error) != FALSE;
  if (!ran) {
    FAIL(error->message);
  }
  return g_spawn_check_wait_status(status, nullptr) != FALSE ? 0 : 1;
}

} // namespace

TEST_CASE("secretservice: no reachable Secret Service says why", "[.][secretservice]") {
  CHECK(run_child("secretservice child: bus address pointing nowhere",
                  "unix:path=/nonexistent/bus") == 0);
  CHECK(run_child("secretservice child: no bus address", nullptr) == 0);
  const char* bare = std::getenv("PATROL_TEST_BARE_BUS");
  REQUIRE(bare != nullptr);
  CHECK(run_child("secretservice child: a bus with no Secret Service", bare) == 0);
}

TEST_CASE("secretservice child: bus address pointing nowhere", "[.]") {
  auto store = open_secret_service();
  REQUIRE_FALSE(store);
  CHECK(store.error().code == Errc::store_unavailable);
  CHECK_THAT(store.error().message, Catch::Contains("session bus") &&
                                        Catch::Contains("not reachable") &&
                                        Catch::Contains("patrol.store=file"));
}

TEST_CASE("secretservice child: no bus address", "[.]") {
  auto store = open_secret_service();
  REQUIRE_FALSE(store);
  CHECK(store.error().code == Errc::store_unavailable);
  CHECK_THAT(store.error().message, Catch::Contains("no D-Bus session bus"));
}

TEST_CASE("secretservice child: a bus with no Secret Service", "[.]") {
  auto store = open_secret_service();
  REQUIRE_FALSE(store);
  CHECK(store.error().code == Errc::store_unavailable);
  CHECK_THAT(store.error().message, Catch::Contains("no Secret Service on the D-Bus session bus") &&
                                        Catch::Contains("gnome-keyring-daemon"));
}

TEST_CASE("secretservice: secret bytes that are not UTF-8 come back exactly, and such a username "
          "is refused in one line",
          "[.][secretservice]") {
  std::unique_ptr<Store> store = open_store();
  Record bytes = record("bytes.example", "alice", "p\xe9ss\xff");
  bytes.refresh_token = Secret("r\xfe");
  bytes.token_name = "n\xff";
  REQUIRE(store->save(bytes));
  auto found = store->find(query("bytes.example", "alice"));
  REQUIRE(found);
  REQUIRE(found->has_value());
  CHECK((*found)->secret.view() == "p\xe9ss\xff");
  CHECK((*found)->refresh_token.view() == "r\xfe");
  CHECK((*found)->token_name == "n\xff");
  std::vector<RawItem> raw = raw_items("bytes.example");
  REQUIRE(raw.size() == 1);
  CHECK(raw[0].secret.starts_with("p\xe9ss\xff\n"));

  // Attributes are D-Bus strings, UTF-8 only, and are how git-credential-libsecret finds
  // an item: a username that is not UTF-8 cannot be one, and is not stored in another form.
  auto refused = store->save(record("bytes.example", "u\xfe", "tok"));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == Errc::invalid_input);
  CHECK(refused.error().message.find("UTF-8") != std::string::npos);
  CHECK(refused.error().message.find("tok") == std::string::npos);
  CHECK(raw_items("bytes.example").size() == 1);
  auto none = store->find(query("bytes.example", "u\xfe"));
  REQUIRE(none);
  CHECK_FALSE(none->has_value());
}
