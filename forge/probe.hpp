#pragma once
// Asks a host that no setting, preset, name or realm makes known whether it is a GitLab or
// a GitHub Enterprise. Only the host itself is asked (the token's own origin, so the token
// goes nowhere it would not go anyway), at the two endpoints patrol asks about a token:
// <origin>/api/v4/personal_access_tokens/self, then <origin>/api/v3/user.
#include <optional>
#include <string>
#include <string_view>

#include "common/secret.hpp"
#include "forge/http.hpp"
#include "forge/token_api.hpp"

namespace patrol::forge {

enum class HostAnswer {
  gitlab,  // it answered as a GitLab
  github,  // it answered as a GitHub Enterprise
  neither, // it answered, as neither
  silent,  // it did not answer; it is asked again at the next store
};

struct ProbeResult {
  HostAnswer answer = HostAnswer::neither;
  std::optional<TokenInfo> info; // what the forge that answered said of the token
  std::string failure;           // silent: why; never the token
};

// Pure: whether an answer of <origin>/api/v4/personal_access_tokens/self is GitLab's: its
// token description, or its own words for a refused token.
bool answers_as_gitlab(const HttpResponse& response);
// Pure: whether an answer of <origin>/api/v3/user is GitHub's: GitHub sends
// X-GitHub-Request-Id (and X-GitHub-Media-Type on its API) with every answer, 401s included.
bool answers_as_github(const HttpResponse& response);

// Each step of a probe, for the caller's trace; never holds the token.
using ProbeNote = void (*)(std::string_view note);

ProbeResult probe_forge(std::string_view protocol, std::string_view host, const Secret& token,
                        HttpClient& http, ProbeNote note);

} // namespace patrol::forge
