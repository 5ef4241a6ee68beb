#pragma once
// What patrol learnt about a token it cannot write back: an environment token (GITLAB_TOKEN,
// CI_JOB_TOKEN, GH_TOKEN; the env store is read-only). Kept outside the token, so that a
// get does not look it up again before the recheck interval has passed: one 0600 file per
// token in $XDG_CACHE_HOME/git-credential-patrol/tokens/ (~/.cache when unset), named by
// the SHA-256 of the token's origin and the token, written atomically. It holds the
// secret text's lines (store/secret_text.hpp) with "-" in place of the token.
//
// What a host said it is, when patrol asked it (forge/probe.hpp), is kept the same
// way: one small file per origin in $XDG_CACHE_HOME/git-credential-patrol/forges/, so that
// a host is asked once and `get` reads the answer without the network.
#include <chrono>
#include <optional>
#include <string_view>

#include "common/result.hpp"
#include "forge/probe.hpp"
#include "store/file_lock.hpp"
#include "store/record.hpp"

namespace patrol::helper {

// Adds to an environment token's record what was remembered of it (expiry, scopes, id,
// name, when it was checked). Records of other stores are left alone.
void recall(store::Record& record);

// Remembers what a lookup taught the record of an environment token.
Result<void> remember(const store::Record& record);

std::optional<forge::HostAnswer> recall_host(std::string_view protocol, std::string_view host);
Result<void> remember_host(std::string_view protocol, std::string_view host,
                           const forge::HostAnswer& answer);
// The lock of one host's answer, so one process asks the host and parallel ones wait for
// what it found; nullopt when it is not had within `patience` (or cannot be made): the
// caller then asks anyway.
std::optional<store::FileLock> lock_host(std::string_view protocol, std::string_view host,
                                         std::chrono::milliseconds patience);

} // namespace patrol::helper
