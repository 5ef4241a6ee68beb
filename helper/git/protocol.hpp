#pragma once
// The git-credential wire format as a pure parser and writer over strings: no I/O here.
// See shared reference: keys split at the first '=', unknown keys ignored, "key[]" lists
// with "key[]=" clearing, url= expanded into its parts, bounded input, and values never
// written with CR, LF or NUL.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "common/secret.hpp"

namespace patrol::helper {

inline constexpr std::size_t max_line_bytes = 65535;
inline constexpr std::size_t max_input_bytes = 1024 * 1024;

// One credential as git describes it, in either direction. Every member has an initializer
// so designated initializers may name only the fields they set.
struct Credential {
  std::vector<std::string> capabilities{}; // capability[] (git 2.46+)
  std::string authtype{};                  // with capability authtype
  Secret credential{};                     // with capability authtype
  bool ephemeral = false;                  // with capability authtype
  std::string protocol{};
  std::string host{}; // includes ":port" when not the default
  std::string path{};
  std::string username{};
  Secret password{};
  // Whether username= and password= were there, even empty: git keeps and hands out a
  // credential whose username and password are both empty (Kerberos, http.emptyAuth).
  bool username_given = false;
  bool password_given = false;
  Secret oauth_refresh_token{};                      // git 2.41+
  std::optional<std::int64_t> password_expiry_utc{}; // git 2.40+
  std::vector<std::string> wwwauth{};                // git 2.41+, git -> helper only
  bool continue_ = false;                            // with capability state
  std::vector<std::string> state{};                  // with capability state
  bool quit = false;

  [[nodiscard]] bool has_capability(std::string_view name) const;
  bool operator==(const Credential& other) const = default;
};

// Parses one request. Stops at the first blank line or at the end of the input; bytes after
// the blank line are not looked at. Lines end in "\n" or "\r\n" (as git's strbuf_getline).
// Malformed input is an Errc::invalid_input error whose message names the problem and the
// line number but never echoes a value: a line without '=', a NUL byte, a carriage return
// left inside a line, a line longer than max_line_bytes (counting its "\n"), a request
// longer than max_input_bytes, a url= without "protocol://" or decoding to a CR or LF, a
// boolean (quit, ephemeral, continue) that git_config_bool would refuse, a host whose port
// is not a number from 1 to 65535. The host's port is given in canonical form
// (common/host_port.hpp): no leading zeros, none at all when it is the scheme's default.
// As git: url= starts again from an empty credential; an unparsable password_expiry_utc is
// ignored (git reads it as "never expires").
Result<Credential> parse(std::string_view input);

// Writes a reply. `advertised` are the capabilities git sent in its request. A capability
// is in effect when the reply lists it and git advertised it: only those get a
// capability[] line, and capability-gated attributes are written only under theirs
// (authtype: authtype, credential, ephemeral; state: continue, state[]). Empty fields,
// wwwauth[] (git -> helper only) and a password_expiry_utc that is not positive are
// omitted, except username and password, written when given even if empty (as git's own
// helpers answer for an empty-username credential). A value holding CR, LF or NUL is an
// Errc::invalid_input error and nothing is returned.
Result<std::string> write(const Credential& reply, const std::vector<std::string>& advertised);

} // namespace patrol::helper
