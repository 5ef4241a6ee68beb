#pragma once
// What a store keeps: the credential git knows (protocol, host, path, username, secret)
// plus what patrol knows of it. Only protocol, host (with port), path and username may be
// used as lookup keys by a backend; everything else is confidential or private to patrol
// and travels inside the secret text or the encrypted file.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/secret.hpp"

namespace patrol::store {

enum class Kind { password, pat, oauth };

// What the forge last said of the token. One it called expired or revoked is kept, so
// status and check can show it, but never handed to git: it would only earn a 401.
enum class State { active, expired, revoked };

struct Record {
  std::string protocol;
  std::string host; // "example.com" or "example.com:8443"
  std::string path;
  std::string username;
  Secret secret;
  // Non-empty: `secret` is a pre-encoded credential for this HTTP authentication scheme
  // (git's authtype and credential, git 2.46+), e.g. "Bearer"; part of the record's key.
  std::string authtype;

  Kind kind = Kind::password;
  std::optional<std::int64_t> expires_at; // Unix seconds, as git's password_expiry_utc
  Secret refresh_token;
  std::vector<std::string> scopes;
  std::string token_id;
  std::string token_name;
  std::optional<std::int64_t> checked_at; // Unix seconds of the last lookup at the forge
  // Unix seconds of the last expiry warning get printed for it: the warning is repeated
  // only per patrol.warnEvery, so it lives beside the token rather than in a file of its own.
  std::optional<std::int64_t> warned_at;
  State state = State::active;

  std::string store; // the backend that served this record (filled in by the backend)
};

// What git asked for. An empty field matches anything, except that a record with a path
// only matches a query that names the same path (git sends a path only with useHttpPath).
struct Query {
  std::string protocol;
  std::string host;
  std::string path;
  std::string username;
  std::optional<Secret> password; // erase: only an item holding this password
  // The username was given, even empty: it must then match exactly, as in git's
  // credential_match (an empty-username credential is erased alone, not every user's).
  bool username_given = false;
  // False for a caller that did not announce capability authtype: a record holding a
  // pre-encoded credential must not answer it.
  bool authtype_ok = true;

  [[nodiscard]] bool empty() const {
    return protocol.empty() && host.empty() && path.empty() && username.empty();
  }
};

// The query that names exactly this record's credential: its protocol, host, path and
// username, the username given even when empty (so an empty-username record never answers
// for another account's).
Query query_for(const Record& record);

// Whether two records are the same credential: protocol, host, path, username and the
// authtype of a pre-encoded credential.
bool same_credential(const Record& a, const Record& b);

std::string_view to_string(Kind kind);
std::optional<Kind> kind_from_string(std::string_view text);
std::string_view to_string(State state);
std::optional<State> state_from_string(std::string_view text);

} // namespace patrol::store
