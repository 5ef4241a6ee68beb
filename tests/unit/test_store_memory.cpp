#include <memory>

#include <catch2/catch.hpp>

#include "store/memory.hpp"
#include "support/store_builders.hpp"

using patrol::Errc;
using patrol::Secret;
using patrol::store::make_memory_store;
using patrol::store::Query;
using patrol::store::Record;
using patrol::store::Store;
using patrol::test::query;
using patrol::test::record;

TEST_CASE("memory store: save, find, list") {
  std::unique_ptr<Store> store = make_memory_store();
  CHECK(store->name() == "memory");
  REQUIRE(store->save(record("a.example", "alice", "one")));
  REQUIRE(store->save(record("b.example", "bob", "two")));

  auto found = store->find(query("a.example"));
  REQUIRE(found);
  REQUIRE(found->has_value());
  CHECK((*found)->username == "alice");
  CHECK((*found)->secret.view() == "one");
  CHECK((*found)->store == "memory");

  auto missing = store->find(query("c.example"));
  REQUIRE(missing);
  CHECK_FALSE(missing->has_value());

  auto everything = store->list(Query{});
  REQUIRE(everything);
  CHECK(everything->size() == 2);
}

TEST_CASE("memory store: save replaces the record with the same keys only") {
  std::unique_ptr<Store> store = make_memory_store();
  REQUIRE(store->save(record("a.example", "alice", "old")));
  REQUIRE(store->save(record("a.example", "bob", "bobs")));
  REQUIRE(store->save(record("a.example", "alice", "old-path", "repo.git")));
  REQUIRE(store->save(record("a.example", "alice", "new")));

  auto all = store->list(Query{});
  REQUIRE(all);
  CHECK(all->size() == 3);
  auto alice = store->find(query("a.example", "alice"));
  REQUIRE(alice);
  REQUIRE(alice->has_value());
  CHECK((*alice)->secret.view() == "new");
  auto with_path = store->find(query("a.example", "alice", "repo.git"));
  REQUIRE(with_path);
  REQUIRE(with_path->has_value());
  CHECK((*with_path)->secret.view() == "old-path");
}

TEST_CASE("memory store: a query without a username gets the smallest username") {
  std::unique_ptr<Store> store = make_memory_store();
  REQUIRE(store->save(record("a.example", "zed", "z")));
  REQUIRE(store->save(record("a.example", "alice", "a")));
  auto found = store->find(query("a.example"));
  REQUIRE(found);
  REQUIRE(found->has_value());
  CHECK((*found)->username == "alice");
}

TEST_CASE("memory store: erase refuses an empty pattern and keeps everything") {
  std::unique_ptr<Store> store = make_memory_store();
  REQUIRE(store->save(record("a.example", "alice", "one")));
  auto erased = store->erase(Query{});
  REQUIRE_FALSE(erased);
  CHECK(erased.error().code == Errc::invalid_input);
  CHECK(store->list(Query{})->size() == 1);
}

TEST_CASE("memory store: erase removes only what matches") {
  std::unique_ptr<Store> store = make_memory_store();
  REQUIRE(store->save(record("a.example", "alice", "one")));
  REQUIRE(store->save(record("a.example", "bob", "two")));
  REQUIRE(store->save(record("a.example:8443", "alice", "three")));
  REQUIRE(store->save(record("a.example", "alice", "four", "repo.git")));

  auto erased = store->erase(query("a.example", "alice"));
  REQUIRE(erased);
  CHECK(*erased);
  auto left = store->list(Query{});
  REQUIRE(left);
  CHECK(left->size() == 3);
  CHECK_FALSE(store->find(query("a.example", "alice"))->has_value());
  CHECK(store->find(query("a.example", "bob"))->has_value());
  CHECK(store->find(query("a.example:8443", "alice"))->has_value());
  CHECK(store->find(query("a.example", "alice", "repo.git"))->has_value());

  auto again = store->erase(query("a.example", "alice"));
  REQUIRE(again);
  CHECK_FALSE(*again);
}

TEST_CASE("memory store: erase with a password removes only the item holding it") {
  std::unique_ptr<Store> store = make_memory_store();
  REQUIRE(store->save(record("a.example", "alice", "current")));
  Query wrong = query("a.example", "alice");
  wrong.password = Secret("stale");
  auto kept = store->erase(wrong);
  REQUIRE(kept);
  CHECK_FALSE(*kept);
  CHECK(store->find(query("a.example", "alice"))->has_value());

  Query right = query("a.example", "alice");
  right.password = Secret("current");
  auto erased = store->erase(right);
  REQUIRE(erased);
  CHECK(*erased);
  CHECK_FALSE(store->find(query("a.example", "alice"))->has_value());
}

TEST_CASE("memory store: non-UTF-8 usernames stay two users with their own bytes") {
  std::unique_ptr<Store> store = make_memory_store();
  REQUIRE(store->save(record("a.example", "u\xfe", "p\xe9ss\xff")));
  REQUIRE(store->save(record("a.example", "u\xff", "other")));
  CHECK(store->list(query("a.example"))->size() == 2);
  CHECK((*store->find(query("a.example", "u\xfe")))->secret.view() == "p\xe9ss\xff");
  CHECK((*store->find(query("a.example", "u\xff")))->secret.view() == "other");
}

TEST_CASE("memory store: replace writes only over the secret it expects") {
  std::unique_ptr<Store> store = make_memory_store();
  const Record old = record("a.example", "alice", "old");
  REQUIRE(store->save(old));
  Record next = record("a.example", "alice", "new");
  next.token_name = "rotated";

  auto swapped = store->replace(old, next);
  REQUIRE(swapped);
  CHECK(*swapped);
  CHECK((*store->find(query("a.example")))->secret.view() == "new");

  // A second writer that read the old secret loses, and writes nothing.
  auto stale = store->replace(old, record("a.example", "alice", "other"));
  REQUIRE(stale);
  CHECK_FALSE(*stale);
  auto kept = store->find(query("a.example"));
  CHECK((*kept)->secret.view() == "new");
  CHECK((*kept)->token_name == "rotated");

  auto absent = store->replace(record("b.example", "bob", "x"), record("b.example", "bob", "y"));
  REQUIRE(absent);
  CHECK_FALSE(*absent);
  CHECK_FALSE(store->find(query("b.example"))->has_value());

  auto other_keys = store->replace(next, record("a.example", "mallory", "z"));
  REQUIRE_FALSE(other_keys);
  CHECK(other_keys.error().code == Errc::invalid_input);
}
