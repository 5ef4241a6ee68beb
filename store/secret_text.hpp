#pragma once
// The secret text of a Secret Service item, readable by git's own git-credential-libsecret:
//
//   <password>
//   password_expiry_utc=<unix seconds>     (when known)
//   oauth_refresh_token=<token>            (when set)
//   patrol_kind=pat|oauth                  (patrol's own lines, prefix patrol_)
//   patrol_scopes=<scope> <scope> ...      (space-separated, as OAuth writes scopes)
//   patrol_token_id=<id>
//   patrol_token_name=<name>
//   patrol_checked_at=<unix seconds>
//   patrol_warned_at=<unix seconds>        (the last expiry warning)
//
// git's helper takes line 1 as the password and matches later lines by prefix, ignoring
// the rest; decode() reads the same way, so a plain password (git 2.39) is a valid text.
// No value may hold CR, LF or NUL: git never sends one, and a line break would move the
// rest of the value into a line of its own. encode() refuses such a record instead of
// escaping, because git's helper would read an escaped password back verbatim.
#include "common/result.hpp"
#include "common/secret.hpp"
#include "store/record.hpp"

namespace patrol::store::secret_text {

// The text to keep as the item's secret; Errc::invalid_input when a field holds CR, LF or
// NUL, or a scope is empty or holds a space.
Result<Secret> encode(const Record& record);

// A Record holding only what the text carries (secret, kind, expiry, refresh token,
// scopes, token id and name, checked_at, warned_at); protocol, host, path and username stay empty.
// Unknown lines and malformed numbers are ignored; never fails.
Record decode(std::string_view text);

} // namespace patrol::store::secret_text
