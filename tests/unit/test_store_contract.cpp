// The contract every writable backend keeps, whatever it stores in: matching (store/match.hpp),
// replacing by key, compare-and-swap, erase rules with the empty-pattern guard, and fields
// that come back byte for byte. Each backend runs the same function; a backend that breaks
// one rule fails here, named.
#include <functional>
#include <memory>
#include <string>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "store/env.hpp"
#include "store/layered.hpp"
#include "store/memory.hpp"
#include "store/secret_service.hpp"
#include "support/file_store_sandbox.hpp"
#include "support/store_builders.hpp"

using patrol::Errc;
using patrol::Secret;
using patrol::store::Query;
using patrol::store::Record;
using patrol::store::Store;
using patrol::test::query;
using patrol::test::record;

namespace {

// Hosts are unique per backend, so a shared keyring's earlier runs cannot answer.
struct Contract {
  Store& store;
  std::string prefix;

  [[nodiscard]] std::string host(std::string_view name) const {
    return prefix + "." + std::string(name) + ".example";
  }

  std::size_t count(const Query& pattern) const {
    auto listed = store.list(pattern);
    REQUIRE(listed);
    return listed->size();
  }

  std::optional<Record> find(const Query& pattern) const {
    auto found = store.find(pattern);
    REQUIRE(found);
    return *found;
  }
};

void matching(const Contract& c) {
  const std::string host = c.host("match");
  REQUIRE(c.store.save(record(host, "alice", "plain")));
  REQUIRE(c.store.save(record(host + ":8443", "alice", "on-port")));
  REQUIRE(c.store.save(record(host, "alice", "on-path", "group/repo.git")));

  CHECK(c.find(query(host))->secret.view() == "plain");
  CHECK(c.find(query(host + ":8443"))->secret.view() == "on-port");
  CHECK(c.find(query(host, "", "group/repo.git"))->secret.view() == "on-path");
  // A query that gives a path answers only records with that very path (git sends one only
  // with credential.useHttpPath), and a record with a path answers only its path.
  CHECK_FALSE(c.find(query(host, "", "other/repo.git")));
  CHECK_FALSE(c.find(query(host, "bob")));
  CHECK_FALSE(c.find(query(host + ":9999")));
  CHECK_FALSE(c.find(query("other." + host)));
  Query http = query(host);
  http.protocol = "http";
  CHECK_FALSE(c.find(http));
  CHECK(c.find(query(host))->store == c.store.name());

  // query_for names one credential: an empty username is that credential, not "any user",
  // even when another account's usable token would be preferred.
  Record anonymous = record(host, "", "anonymous");
  anonymous.state = patrol::store::State::revoked;
  REQUIRE(c.store.save(anonymous));
  const std::optional<Record> exact = c.find(patrol::store::query_for(anonymous));
  REQUIRE(exact);
  CHECK(exact->secret.view() == "anonymous");
  CHECK(c.find(query(host))->secret.view() == "plain");
}

void save_replaces_by_key(const Contract& c) {
  const std::string host = c.host("replace-key");
  REQUIRE(c.store.save(record(host, "alice", "old")));
  REQUIRE(c.store.save(record(host, "bob", "bobs")));
  REQUIRE(c.store.save(record(host, "alice", "new")));
  CHECK(c.count(query(host)) == 2);
  CHECK(c.find(query(host, "alice"))->secret.view() == "new");
  CHECK(c.find(query(host, "bob"))->secret.view() == "bobs");

  // A record kept under another spelling of the same origin (hosts were stored as git sent
  // them before they were made canonical) is the same credential: a new token replaces it,
  // or every get would go on handing out the old one, which sorts first.
  const std::string spelled = c.host("replace-spelling");
  REQUIRE(c.store.save(record(spelled + ":0443", "alice", "old")));
  REQUIRE(c.store.save(record(spelled, "alice", "new")));
  CHECK(c.count(query(spelled)) == 1);
  CHECK(c.find(query(spelled, "alice"))->secret.view() == "new");
}

void compare_and_swap(const Contract& c) {
  const std::string host = c.host("cas");
  const Record first = record(host, "alice", "first");
  REQUIRE(c.store.save(first));
  auto swapped = c.store.replace(first, record(host, "alice", "second"));
  REQUIRE(swapped);
  CHECK(*swapped);
  // `first` is no longer what is stored: a second swap from it writes nothing.
  auto stale = c.store.replace(first, record(host, "alice", "third"));
  REQUIRE(stale);
  CHECK_FALSE(*stale);
  CHECK(c.find(query(host, "alice"))->secret.view() == "second");
}

void erase_rules(const Contract& c) {
  const std::string host = c.host("erase");
  REQUIRE(c.store.save(record(host, "alice", "alices")));
  REQUIRE(c.store.save(record(host, "bob", "bobs")));
  REQUIRE(c.store.save(record(host, "", "")));

  auto refused = c.store.erase(Query{});
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == Errc::invalid_input);
  CHECK(c.count(query(host)) == 3);

  Query wrong_password = query(host, "alice");
  wrong_password.password = Secret("stale");
  auto kept = c.store.erase(wrong_password);
  REQUIRE(kept);
  CHECK_FALSE(*kept);
  CHECK(c.count(query(host)) == 3);

  // An empty username given is that credential alone, not every user's (git's credential_match).
  Query empty_user = query(host);
  empty_user.username_given = true;
  auto erased_empty = c.store.erase(empty_user);
  REQUIRE(erased_empty);
  CHECK(*erased_empty);
  CHECK(c.count(query(host)) == 2);

  auto erased_alice = c.store.erase(query(host, "alice"));
  REQUIRE(erased_alice);
  CHECK(*erased_alice);
  CHECK_FALSE(c.find(query(host, "alice")));
  CHECK(c.find(query(host, "bob")));

  auto again = c.store.erase(query(host, "alice"));
  REQUIRE(again);
  CHECK_FALSE(*again);
}

void fields_byte_exact(const Contract& c) {
  const std::string host = c.host("bytes");
  Record stored = record(host, " al ice=x ü ", "pa ss=wörd\t ", "grüp/re po.git");
  stored.kind = patrol::store::Kind::pat;
  stored.expires_at = 1893456000;
  stored.scopes = {"api", "write_repository"};
  stored.token_id = "42";
  stored.token_name = "laptop ü";
  stored.checked_at = 1767225600;
  REQUIRE(c.store.save(stored));
  std::optional<Record> back = c.find(query(host, " al ice=x ü ", "grüp/re po.git"));
  REQUIRE(back);
  CHECK(back->username == stored.username);
  CHECK(back->path == stored.path);
  CHECK(back->secret.view() == stored.secret.view());
  CHECK(back->kind == stored.kind);
  CHECK(back->expires_at == stored.expires_at);
  CHECK(back->scopes == stored.scopes);
  CHECK(back->token_id == stored.token_id);
  CHECK(back->token_name == stored.token_name);
  CHECK(back->checked_at == stored.checked_at);
}

void empty_credentials(const Contract& c) {
  // http.emptyAuth and SSO hosts: git approves an empty username and password; kept as is.
  const std::string host = c.host("sso");
  REQUIRE(c.store.save(record(host, "", "")));
  std::optional<Record> back = c.find(query(host));
  REQUIRE(back);
  CHECK(back->username.empty());
  CHECK(back->secret.view().empty());
}

void keeps_the_contract(Store& store, std::string prefix) {
  const Contract c{store, std::move(prefix)};
  SECTION("matching") { matching(c); }
  SECTION("save replaces by key") { save_replaces_by_key(c); }
  SECTION("compare-and-swap") { compare_and_swap(c); }
  SECTION("erase rules") { erase_rules(c); }
  SECTION("fields byte for byte") { fields_byte_exact(c); }
  SECTION("empty username and password") { empty_credentials(c); }
}

std::string unique_prefix(std::string_view backend) {
  return std::string(backend) + "-" + std::to_string(getpid());
}

} // namespace

TEST_CASE("store contract: memory") {
  std::unique_ptr<Store> store = patrol::store::make_memory_store();
  keeps_the_contract(*store, unique_prefix("memory"));
}

TEST_CASE("store contract: file") {
  const patrol::test::FileStoreSandbox sandbox;
  std::unique_ptr<Store> store = sandbox.store();
  keeps_the_contract(*store, unique_prefix("file"));
}

TEST_CASE("store contract: layered (env over memory)") {
  std::unique_ptr<Store> store = patrol::store::make_layered_store(
      patrol::store::make_env_store([](std::string_view) { return std::nullopt; }),
      patrol::store::make_memory_store());
  keeps_the_contract(*store, unique_prefix("layered"));
}

TEST_CASE("store contract: secretservice", "[.][secretservice]") {
  auto store = patrol::store::open_secret_service();
  if (!store) {
    FAIL(store.error().message);
  }
  keeps_the_contract(**store, unique_prefix("secretservice"));
}

TEST_CASE("store contract: env refuses an empty erase and writes nothing") {
  std::unique_ptr<Store> store =
      patrol::store::make_env_store([](std::string_view name) -> std::optional<std::string> {
        return name == "GITHUB_TOKEN" ? std::optional<std::string>("env-token") : std::nullopt;
      });
  auto refused = store->erase(Query{});
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == Errc::invalid_input);
  REQUIRE(store->find(query("github.com")));
  CHECK(store->find(query("github.com"))->has_value());
  auto erased = store->erase(query("github.com"));
  REQUIRE(erased);
  CHECK_FALSE(*erased);
  CHECK(store->find(query("github.com"))->has_value());
  CHECK_FALSE(store->find(query("gitlab.com"))->has_value());
}
