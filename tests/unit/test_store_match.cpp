#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "store/match.hpp"

using patrol::Secret;
using patrol::store::matches;
using patrol::store::origin_key;
using patrol::store::pick;
using patrol::store::Query;
using patrol::store::Record;
using patrol::store::State;
using patrol::store::usable;

namespace {

constexpr std::int64_t now = 1760000000;

Record record(std::string protocol, std::string host, std::string path, std::string username,
              std::string secret = "token") {
  Record made;
  made.protocol = std::move(protocol);
  made.host = std::move(host);
  made.path = std::move(path);
  made.username = std::move(username);
  made.secret = Secret(std::move(secret));
  return made;
}

struct MatchCase {
  const char* why;
  Query query;
  bool expected;
};

} // namespace

TEST_CASE("matches: protocol, host with port, username exact, path only when asked") {
  const Record stored = record("https", "git.example.com", "", "alice");
  const Record stored_port = record("https", "git.example.com:8443", "", "alice");
  const Record stored_path = record("https", "git.example.com", "group/repo.git", "alice");

  const std::vector<MatchCase> on_plain = {
      {"everything equal", {"https", "git.example.com", "", "alice", {}}, true},
      {"no username in query", {"https", "git.example.com", "", "", {}}, true},
      {"empty query", {}, true},
      {"other protocol", {"http", "git.example.com", "", "alice", {}}, false},
      {"other host", {"https", "evil.example.com", "", "alice", {}}, false},
      {"host is a suffix", {"https", "example.com", "", "alice", {}}, false},
      {"host with the default port", {"https", "git.example.com:443", "", "alice", {}}, true},
      {"host with zeros and the default port",
       {"https", "git.example.com:00443", "", "", {}},
       true},
      {"host with another port", {"https", "git.example.com:80", "", "alice", {}}, false},
      {"other username", {"https", "git.example.com", "", "bob", {}}, false},
      {"username differs in case", {"https", "git.example.com", "", "Alice", {}}, false},
      {"username prefix", {"https", "git.example.com", "", "alic", {}}, false},
      {"query with a path, record without", {"https", "git.example.com", "a.git", "", {}}, false},
      {"right password", {"https", "git.example.com", "", "", Secret("token")}, true},
      {"wrong password", {"https", "git.example.com", "", "", Secret("tokem")}, false},
      {"password prefix", {"https", "git.example.com", "", "", Secret("tok")}, false},
  };
  for (const MatchCase& each : on_plain) {
    INFO(each.why);
    CHECK(matches(each.query, stored) == each.expected);
  }

  const std::vector<MatchCase> on_port = {
      {"same port", {"https", "git.example.com:8443", "", "", {}}, true},
      {"same port with leading zeros", {"https", "git.example.com:08443", "", "", {}}, true},
      {"no port", {"https", "git.example.com", "", "", {}}, false},
      {"other port", {"https", "git.example.com:8444", "", "", {}}, false},
  };
  for (const MatchCase& each : on_port) {
    INFO(each.why);
    CHECK(matches(each.query, stored_port) == each.expected);
  }

  const std::vector<MatchCase> on_path = {
      {"same path", {"https", "git.example.com", "group/repo.git", "", {}}, true},
      {"no path in query", {"https", "git.example.com", "", "alice", {}}, false},
      {"other path", {"https", "git.example.com", "group/other.git", "", {}}, false},
      {"path prefix", {"https", "git.example.com", "group", "", {}}, false},
      {"empty query lists everything", {}, true},
  };
  for (const MatchCase& each : on_path) {
    INFO(each.why);
    CHECK(matches(each.query, stored_path) == each.expected);
  }
}

TEST_CASE("matches: a record kept with a non-canonical port answers its origin") {
  // Written before hosts were canonical, or found in the keyring with port=443.
  const Record zeros = record("https", "d.example:0443", "", "alice");
  CHECK(matches({"https", "d.example", "", "", {}}, zeros));
  CHECK(matches({"https", "d.example:443", "", "", {}}, zeros));
  CHECK_FALSE(matches({"https", "d.example:8443", "", "", {}}, zeros));
  const Record http_default = record("http", "d.example:80", "", "alice");
  CHECK(matches({"http", "d.example", "", "", {}}, http_default));
  CHECK_FALSE(matches({"https", "d.example", "", "", {}}, http_default));
}

TEST_CASE("origin_key: every record a query matches has the query's origin key") {
  // A store files records under it and a get looks under its query's key alone: a record
  // that answers the query under another key would never be found.
  const std::vector<Record> records{record("https", "d.example:0443", "", "alice"),
                                    record("https", "d.example", "p", "bob"),
                                    record("https", "d.example:8443", "", "alice"),
                                    record("http", "d.example:80", "", "x"),
                                    record("https", "bad:port", "", "x"),
                                    record("https", "[::1]:443", "", "x"),
                                    record("http", "s", "", "x"),
                                    record("https", "D.example", "", "x")};
  int matched = 0;
  for (const char* host : {"d.example", "d.example:443", "d.example:8443", "bad:port", "[::1]",
                           "[::1]:0443", "D.example", "s"}) {
    for (const char* protocol : {"https", "http"}) {
      const Query query{protocol, host, "", "", {}};
      REQUIRE(origin_key(query));
      for (const Record& candidate : records) {
        const Query with_path{protocol, host, candidate.path, "", {}};
        if (matches(query, candidate) || matches(with_path, candidate)) {
          CHECK(*origin_key(query) == origin_key(candidate));
          ++matched;
        }
      }
    }
  }
  CHECK(matched >= 10); // not a loop that checked nothing
  CHECK(origin_key(records[0]) == origin_key(record("https", "d.example", "", "")));
  CHECK(origin_key(records[0]) != origin_key(records[2]));
  CHECK(origin_key(records[3]) != origin_key(record("https", "d.example", "", "")));
  // Protocol and host cannot trade bytes: "ab"+"c" is not "a"+"bc".
  CHECK(origin_key(record("ab", "c", "", "")) != origin_key(record("a", "bc", "", "")));
  // A query without a protocol or a host may match any origin: no key.
  CHECK_FALSE(origin_key(Query{"", "d.example", "", "", {}}));
  CHECK_FALSE(origin_key(Query{"https", "", "", "", {}}));
}

TEST_CASE("pick: nothing to pick") { CHECK_FALSE(pick({}, now).has_value()); }

TEST_CASE("pick: the smallest username whatever the order") {
  std::vector<Record> candidates = {
      record("https", "h", "", "zed", "z"),
      record("https", "h", "", "alice", "a"),
      record("https", "h", "", "bob", "b"),
  };
  for (int turn = 0; turn < 3; ++turn) {
    std::optional<Record> chosen = pick(candidates, now);
    REQUIRE(chosen);
    CHECK(chosen->username == "alice");
    CHECK(chosen->secret.view() == "a");
    std::rotate(candidates.begin(), candidates.begin() + 1, candidates.end());
  }
}

TEST_CASE("pick: bytewise, so uppercase before lowercase and shorter before longer") {
  CHECK(pick({record("https", "h", "", "bob"), record("https", "h", "", "Bob")}, now)->username ==
        "Bob");
  CHECK(pick({record("https", "h", "", "ab"), record("https", "h", "", "a")}, now)->username ==
        "a");
  CHECK(
      pick({record("https", "h", "", "\xc3\xa9"), record("https", "h", "", "z")}, now)->username ==
      "z");
}

TEST_CASE("pick: a record without a path first, then the smallest path") {
  CHECK(pick({record("https", "h", "b.git", "alice"), record("https", "h", "", "zed")}, now)
            ->username == "zed");
  CHECK(pick({record("https", "h", "b.git", "alice"), record("https", "h", "a.git", "alice")}, now)
            ->path == "a.git");
}

TEST_CASE("usable: what the record says of its state and expiry") {
  Record fine = record("https", "h", "", "a");
  CHECK(usable(fine, now)); // no known expiry
  fine.expires_at = now + 1;
  CHECK(usable(fine, now));
  Record past = fine;
  past.expires_at = now;
  CHECK_FALSE(usable(past, now)); // dead at its expiry, as assess() says
  Record revoked = fine;
  revoked.state = State::revoked;
  CHECK_FALSE(usable(revoked, now));
  Record expired = fine;
  expired.state = State::expired;
  CHECK_FALSE(usable(expired, now));
  Record oauth = past;
  oauth.kind = patrol::store::Kind::oauth;
  CHECK_FALSE(usable(oauth, now));
  oauth.refresh_token = Secret(std::string("refresh"));
  CHECK(usable(oauth, now)); // get renews it
  oauth.state = State::revoked;
  CHECK_FALSE(usable(oauth, now));
}

TEST_CASE("pick: a usable record before an expired or revoked one, else today's order") {
  Record alice = record("https", "h", "", "alice", "a");
  alice.expires_at = now - 60;
  Record bob = record("https", "h", "", "bob", "b");
  bob.expires_at = now + 30 * 86400;
  Record carol = record("https", "h", "", "carol", "c");
  Record dave = record("https", "h", "", "dave", "d");
  std::vector<Record> candidates = {dave, carol, bob, alice};
  for (int turn = 0; turn < 4; ++turn) {
    CHECK(pick(candidates, now)->username == "bob"); // usable, then the smallest username
    std::rotate(candidates.begin(), candidates.begin() + 1, candidates.end());
  }
  bob.state = State::revoked;
  CHECK(pick({dave, carol, bob, alice}, now)->username == "carol");
  carol.state = State::expired;
  dave.expires_at = now;
  // Nothing usable: the first in today's order, for get to say why it is withheld.
  CHECK(pick({dave, carol, bob, alice}, now)->username == "alice");
  // Among usable ones the order stays: a path-less record before one with a path.
  Record pathed = record("https", "h", "a.git", "aaron", "p");
  Record later = record("https", "h", "", "zed", "z");
  CHECK(pick({pathed, later, alice}, now)->username == "zed");
}

TEST_CASE("matches: a username given empty matches only the empty username (SSO)") {
  const Record sso = record("https", "sso.example.com", "", "", "");
  const Record alice = record("https", "sso.example.com", "", "alice");
  Query given_empty{"https", "sso.example.com", "", "", {}};
  given_empty.username_given = true;
  const Query not_given{"https", "sso.example.com", "", "", {}};
  CHECK(matches(given_empty, sso));
  CHECK_FALSE(matches(given_empty, alice));
  CHECK(matches(not_given, sso));
  CHECK(matches(not_given, alice));
  Query empty_password = given_empty;
  empty_password.password = Secret("");
  CHECK(matches(empty_password, sso));
  empty_password.password = Secret("x");
  CHECK_FALSE(matches(empty_password, sso));
}
