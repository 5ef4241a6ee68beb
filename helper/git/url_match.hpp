#pragma once
// git's URL matching for "<section>.<url>.<key>" settings (http.<url>.*, and
// `git config --get-urlmatch`): normalisation, then scheme, user, host with '*' labels,
// port and a path prefix on '/' boundaries, ranked by specificity. Pure: no I/O.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace patrol::helper {

// A normalised URL and where its parts are. An offset of 0 means "absent" (a URL never
// starts with a user, host or port); host_len may be 0 only for file: URLs.
struct NormalizedUrl {
  std::string text;
  std::size_t scheme_len = 0; // without ':'
  std::size_t user_off = 0;   // 0: no user; user_off != 0 with user_len 0: empty user
  std::size_t user_len = 0;
  std::size_t passwd_off = 0;
  std::size_t passwd_len = 0;
  std::size_t host_off = 0;
  std::size_t host_len = 0; // without the port
  std::size_t port_off = 0;
  std::size_t port_len = 0; // 0 when absent or the scheme's default
  std::size_t path_off = 0; // always points at '/'
  std::size_t path_len = 0; // without any "?query" or "#fragment"; at least 1
};

// Normalises a URL as git does: lower-case scheme and host, %XX escapes made upper-case
// and decoded where they need not be escaped, default ports (http 80, https 443) and
// leading zeros dropped, '.' and '..' path segments resolved, a '/' path when empty.
// An unusable URL is an Errc::invalid_input error carrying git's reason.
Result<NormalizedUrl> normalize_url(std::string_view url);
// The same for a URL from configuration, where a host label may be '*'.
Result<NormalizedUrl> normalize_url_pattern(std::string_view pattern);

// How specifically a configuration URL matched; larger is more specific.
struct UrlMatch {
  std::size_t host_len = 0;  // length of the configuration URL's host
  std::size_t path_len = 0;  // length of the matched path, counting an implicit final '/'
  bool user_matched = false; // the configuration URL named the user
};

// Whether pattern (a configuration URL) applies to url, and how specifically.
std::optional<UrlMatch> match_url(const NormalizedUrl& url, const NormalizedUrl& pattern);

// <0 when a is less specific than b, 0 when equally, >0 when more: the host length
// first, then the path length, then a named user. On a tie the later setting wins.
int compare_specificity(const UrlMatch& a, const UrlMatch& b);

} // namespace patrol::helper
