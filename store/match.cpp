#include "store/match.hpp"

#include <algorithm>
#include <tuple>

#include "common/host_port.hpp"

namespace patrol::store {

namespace {

bool equal_when_given(const std::string& wanted, const std::string& have) {
  return wanted.empty() || wanted == have;
}

// Hosts compare in canonical form: a record kept as "d.example:0443" or found in the
// keyring with port 443 answers "d.example" over https.
bool same_host(const std::string& wanted, const Record& record) {
  return wanted.empty() || patrol::same_host(record.protocol, wanted, record.host);
}

// The protocol's length first, so no two (protocol, host) pairs give one key.
std::string origin_of(const std::string& protocol, const std::string& host) {
  return std::to_string(protocol.size()) + ":" + protocol +
         canonical_host(protocol, host).value_or(host);
}

} // namespace

std::string origin_key(const Record& record) { return origin_of(record.protocol, record.host); }

// same_host() compares hosts as they are or in canonical form, both under the record's
// protocol, which a query naming one must equal: either way the canonical forms agree, or
// both hosts have none and are equal as they are.
std::optional<std::string> origin_key(const Query& query) {
  if (query.protocol.empty() || query.host.empty()) {
    return std::nullopt;
  }
  return origin_of(query.protocol, query.host);
}

bool matches(const Query& query, const Record& record) {
  if (!equal_when_given(query.protocol, record.protocol) || !same_host(query.host, record) ||
      !(query.username_given ? query.username == record.username
                             : equal_when_given(query.username, record.username))) {
    return false;
  }
  if (!query.authtype_ok && !record.authtype.empty()) {
    return false;
  }
  // git sends a path only with credential.useHttpPath: an item kept for one repository
  // answers that repository alone, and a path-less request gets only path-less items.
  if (query.path != record.path && !query.empty()) {
    return false;
  }
  return !query.password || *query.password == record.secret;
}

bool usable(const Record& record, std::int64_t now) {
  if (record.state != State::active) {
    return false;
  }
  const bool renews = record.kind == Kind::oauth && !record.refresh_token.empty();
  return renews || !record.expires_at || now < *record.expires_at;
}

// Several records answer a request without a username when one host has tokens for
// several accounts. The keyring returns them in no fixed order, so git would otherwise
// get a different account from one call to the next: the rule is a pre-encoded credential
// (authtype) first, since only a caller that can use one sees it, then a record without a
// path, then the smallest username compared bytewise, then the smallest path.
std::vector<Record> ranked(std::vector<Record> candidates) {
  const auto order = [](const Record& a, const Record& b) {
    return std::make_tuple(a.authtype.empty(), !a.path.empty(), std::string_view(a.username),
                           std::string_view(a.path)) <
           std::make_tuple(b.authtype.empty(), !b.path.empty(), std::string_view(b.username),
                           std::string_view(b.path));
  };
  std::stable_sort(candidates.begin(), candidates.end(), order);
  return candidates;
}

// A usable record before a dead one: after a new token is stored for another account of
// the same host, an expired token that sorts first would otherwise be chosen by every get
// and git would keep failing.
std::optional<Record> pick(std::vector<Record> candidates, std::int64_t now) {
  if (candidates.empty()) {
    return std::nullopt;
  }
  std::vector<Record> ordered = ranked(std::move(candidates));
  auto best = std::find_if(ordered.begin(), ordered.end(),
                           [now](const Record& record) { return usable(record, now); });
  return std::move(best == ordered.end() ? ordered.front() : *best);
}

} // namespace patrol::store
