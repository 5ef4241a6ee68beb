#include <map>
#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include "store/env.hpp"
#include "store/layered.hpp"
#include "store/memory.hpp"
#include "support/store_builders.hpp"

using patrol::Errc;
using patrol::Error;
using patrol::Result;
using patrol::Secret;
using patrol::store::make_env_store;
using patrol::store::make_layered_store;
using patrol::store::make_memory_store;
using patrol::store::Query;
using patrol::store::Record;
using patrol::store::Store;
using patrol::test::query;
using patrol::test::record;

namespace {

std::unique_ptr<Store> gh_env(std::string token) {
  return make_env_store([token](std::string_view name) -> std::optional<std::string> {
    if (name == "GH_TOKEN") {
      return token;
    }
    return std::nullopt;
  });
}

} // namespace

TEST_CASE("layered store: the env token answers first, others come from the persistent store") {
  std::unique_ptr<Store> memory = make_memory_store();
  REQUIRE(memory->save(record("github.com", "alice", "stored")));
  REQUIRE(memory->save(record("gitlab.com", "bob", "other")));
  std::unique_ptr<Store> store = make_layered_store(gh_env("env-token"), std::move(memory));
  CHECK(store->name() == "memory");
  auto found = store->find(query("github.com"));
  REQUIRE(found);
  REQUIRE(*found);
  CHECK((*found)->secret == Secret("env-token"));
  CHECK((*found)->store == "env");
  found = store->find(query("gitlab.com"));
  REQUIRE(*found);
  CHECK((*found)->secret == Secret("other"));
  auto listed = store->list(Query{});
  REQUIRE(listed);
  CHECK(listed->size() == 3);
}

TEST_CASE("layered store: git's store of the env token writes nothing, other tokens are kept") {
  std::unique_ptr<Store> memory = make_memory_store();
  Store* persistent = memory.get();
  std::unique_ptr<Store> store = make_layered_store(gh_env("env-token"), std::move(memory));
  REQUIRE(store->save(record("github.com", "x-access-token", "env-token")));
  REQUIRE(store->save(record("github.com", "alice", "env-token")));
  CHECK(persistent->list(Query{})->empty());
  REQUIRE(store->save(record("github.com", "alice", "typed-token")));
  CHECK(persistent->list(Query{})->size() == 1);
  auto erased = store->erase(query("github.com"));
  REQUIRE(erased);
  CHECK(*erased);
  // The env token still answers: erase cannot remove it.
  CHECK((*store->find(query("github.com")))->secret == Secret("env-token"));
}

TEST_CASE("layered store: an unavailable persistent store does not stop the env token") {
  Result<std::unique_ptr<Store>> broken =
      tl::unexpected(Error{Errc::store_locked, "the credential file is locked"});
  std::unique_ptr<Store> store = make_layered_store(gh_env("env-token"), std::move(broken));
  auto found = store->find(query("github.com"));
  REQUIRE(found);
  CHECK((*found)->secret == Secret("env-token"));
  CHECK(store->save(record("github.com", "x-access-token", "env-token")));
  auto missing = store->find(query("gitlab.com"));
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == Errc::store_locked);
  CHECK_FALSE(store->save(record("gitlab.com", "a", "b")));
}

TEST_CASE("layered store: replace goes to the persistent store, the env token is never replaced") {
  std::unique_ptr<Store> memory = make_memory_store();
  REQUIRE(memory->save(record("gitlab.com", "bob", "old")));
  std::unique_ptr<Store> store = make_layered_store(gh_env("env-token"), std::move(memory));
  auto swapped =
      store->replace(record("gitlab.com", "bob", "old"), record("gitlab.com", "bob", "new"));
  REQUIRE(swapped);
  CHECK(*swapped);
  CHECK((*store->find(query("gitlab.com")))->secret == Secret("new"));

  const Record env = record("github.com", "x-access-token", "env-token");
  auto refused = store->replace(env, record("github.com", "x-access-token", "other"));
  REQUIRE(refused);
  CHECK_FALSE(*refused);
  CHECK((*store->find(query("github.com")))->secret == Secret("env-token"));
}
