#pragma once
// The one definition of "this record answers that query", shared by every backend.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/record.hpp"

namespace patrol::store {

// Protocol, host (with port, compared in canonical form: common/host_port.hpp) and
// username must be equal when the query gives them (a username given empty matches only an
// empty username); the path must be equal when the query
// gives one, and a record stored with a path answers only a query with that path. A query password
// (erase) must equal the record's secret. A query without protocol, host, path and username matches
// every record (listing).
[[nodiscard]] bool matches(const Query& query, const Record& record);

// The coarsest key every get knows: protocol and canonical host. A record answers a query
// only under the same origin key (matches() implies equal keys), so a store may file its
// records under it and a get look in one place. nullopt for a query without a protocol or
// a host: it may match records of any origin.
[[nodiscard]] std::string origin_key(const Record& record);
[[nodiscard]] std::optional<std::string> origin_key(const Query& query);

// Whether git could use the record at `now` (Unix seconds), by what the record itself
// says: not called expired or revoked by its forge, and not past its expiry, unless it
// renews itself (an OAuth token with a refresh token).
[[nodiscard]] bool usable(const Record& record, std::int64_t now);

// The records in the order a choice prefers them, before usability: a pre-encoded
// credential (authtype) first, a record without a path before one with a path, then the
// smallest username (bytewise), then the smallest path.
[[nodiscard]] std::vector<Record> ranked(std::vector<Record> candidates);

// When several records answer a query without a username, the choice is deterministic:
// the first usable record in ranked() order, else the first in that order (get then says
// why it is not handed to git). Returns nullopt for an empty list.
[[nodiscard]] std::optional<Record> pick(std::vector<Record> candidates, std::int64_t now);

} // namespace patrol::store
