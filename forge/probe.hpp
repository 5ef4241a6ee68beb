#pragma once
// Asks a host that no setting, preset, name or realm makes known which forge kind it is.
// Only the host itself is asked (the token's own origin, so the token goes nowhere it would
// not go anyway), at each kind's token lookup below the host's own API path, rows in table
// order (forge/forges.hpp, ProbeFacts): today <origin>/api/v4/personal_access_tokens/self,
// then <origin>/api/v3/user.
#include <optional>
#include <string>
#include <string_view>

#include "common/secret.hpp"
#include "forge/forges.hpp"
#include "forge/http.hpp"
#include "forge/token_api.hpp"

namespace patrol::forge {

struct HostAnswer {
  enum What {
    found,   // it answered as the row of `kind`
    neither, // it answered, as no row
    silent,  // it did not answer; it is asked again at the next store
  };
  What what = neither;
  ForgeKind kind = ForgeKind::none; // found: never none

  bool operator==(const HostAnswer&) const = default;
};

// The answer's word, as it is remembered: the kind's name ("gitlab"), "neither" or "silent".
std::string_view to_string(const HostAnswer& answer);
// The answer a word names; nullopt for any other word.
std::optional<HostAnswer> host_answer_from_string(std::string_view word);

// "neither a GitLab nor a GitHub Enterprise": every row's probe title.
std::string neither_text();
// "/api/v4 and /api/v3": where a host is asked, for a message.
std::string probed_paths_text();

struct ProbeResult {
  HostAnswer answer;
  std::optional<TokenInfo> info; // what the forge that answered said of the token
  std::string failure;           // silent: why; never the token
};

// Each step of a probe, for the caller's trace; never holds the token.
using ProbeNote = void (*)(std::string_view note);

ProbeResult probe_forge(std::string_view protocol, std::string_view host, const Secret& token,
                        HttpClient& http, ProbeNote note);

} // namespace patrol::forge
