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

// One credential as git describes it, in either direction.
struct Credential {
  std::vector<std::string> capabilities; // capability[] (git 2.46+)
  std::string authtype;                   // with capability authtype
  Secret credential;                      // with capability authtype
  bool ephemeral = false;                 // with capability authtype
  std::string protocol;
  std::string host; // includes ":port" when not the default
  std::string path;
  std::string username;
  Secret password;
  Secret oauth_refresh_token;                      // git 2.41+
  std::optional<std::int64_t> password_expiry_utc; // git 2.40+
  std::vector<std::string> wwwauth;                // git 2.41+, git -> helper only
  bool continue_ = false;                          // with capability state
  std::vector<std::string> state;                  // with capability state
  bool quit = false;

  [[nodiscard]] bool has_capability(std::string_view name) const;
};

// Parses one request. Stops at the first blank line or at the end of the input.
// Malformed input (a line without '=', a NUL byte, a line over max_line_bytes, input over
// max_input_bytes, a bad url= or password_expiry_utc) is an Errc::invalid_input error whose
// message names the problem but never echoes a value.
Result<Credential> parse(std::string_view input);

// Writes a reply. `advertised` are the capabilities git sent in its request: capability[]
// lines and capability-gated attributes are written only for those. Empty fields are
// omitted. A value holding CR, LF or NUL is an Errc::invalid_input error and nothing is
// returned.
Result<std::string> write(const Credential& reply, const std::vector<std::string>& advertised);

} // namespace patrol::helper
