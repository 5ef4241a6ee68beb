#pragma once
// A read-only store consulted before a persistent one: the env store's CI tokens answer
// first; everything git stores or erases goes to the persistent store.
//
// git runs `store` after every successful use of a credential. When that credential is a
// token of the read-only store (same protocol, host, username and secret), nothing is
// written: an environment token is never copied into the persistent store.
#include <memory>

#include "common/result.hpp"
#include "store/store.hpp"

namespace patrol::store {

// `persistent` may be an error (no keyring, a locked file): the read-only store still
// serves, and only calls that reach the persistent store report that error.
std::unique_ptr<Store> make_layered_store(std::unique_ptr<Store> read_only,
                                          Result<std::unique_ptr<Store>> persistent);

} // namespace patrol::store
