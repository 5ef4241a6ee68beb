#pragma once
// Between git's credential (the protocol's words) and a store's record (what is kept): the
// keys — protocol, host, path, username — carried over in one place.
#include "helper/git/protocol.hpp"
#include "store/record.hpp"

namespace patrol::helper {

// The record git's credential stands for: its keys, password, expiry and refresh token.
store::Record record_of(const Credential& credential);

// The credential naming the record's keys (no secret).
Credential credential_of(const store::Record& record);

// The query for git's request: its keys, the username as git gave it (even empty).
store::Query query_of(const Credential& credential);

} // namespace patrol::helper
