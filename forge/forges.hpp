#pragma once
// Everything patrol knows about a forge kind, one typed row per kind: its name, how a host
// is recognised as one, where its API lives, the usernames git sends with its tokens, its
// OAuth endpoints and scopes, which scopes allow a push or a self-rotation, where a person
// makes a new token, the functions that ask it about a token, and how an unknown host is
// found to be one. A new kind is one row in
// forges.cpp plus its API functions (token_api.hpp); tests/unit/test_forge_forges.cpp
// fails while a row is incomplete.
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "common/secret.hpp"
#include "forge/http.hpp"
#include "forge/token_api.hpp"

namespace patrol::forge {

enum class ForgeKind { none, gitlab, github };

// The row's name ("gitlab"), or "none".
std::string_view to_string(ForgeKind kind);
// patrol.<url>.forge's value, case-insensitive; "none" is ForgeKind::none.
std::optional<ForgeKind> forge_from_string(std::string_view text);

// A host whose kind and API are known by name alone.
struct KnownHost {
  std::string_view host;    // lower-case, as git sends it
  std::string_view api_url; // REST API base for that host
};

// The OAuth device flow on a forge of this kind: endpoints relative to the forge's own host
// (gitlab.com and self-managed GitLab share them, as do github.com and GitHub Enterprise
// Server). Client ids come from configuration or a packager's build option.
struct OAuthPreset {
  std::string_view forge;             // the row's name
  std::string_view device_path;       // RFC 8628 device authorization endpoint
  std::string_view token_path;        // token endpoint (device_code and refresh_token grants)
  std::string_view revocation_path;   // RFC 7009; empty when a public client cannot revoke
  std::string_view scopes;            // space-separated
  std::string_view username;          // what git sends as the username with the token
  std::string_view default_client_id; // the packager's build-time default; usually empty
  std::string_view source;            // where the facts come from
  // Registering an application, for someone who has no client id yet:
  std::string_view applications_path;       // the user's own page for a new application
  std::string_view admin_applications_path; // the instance's, for an admin; empty: none
  std::string_view registration;            // what to enter there, "label: value" lines
  bool refresh_needs_secret;                // the refresh grant asks for the client secret
};

using LookUp = Result<TokenInfo> (*)(HttpClient& http, std::string_view api_url,
                                     const Secret& token);
// Asking a host whether it is one of this kind (forge/probe.hpp): the request, given an API
// base; whether an answer is this kind's; what that answer says of the token.
using AskRequest = HttpRequest (*)(std::string_view api_url, const Secret& token);
using AnswersAs = bool (*)(const HttpResponse& response);
using Describe = Result<TokenInfo> (*)(const HttpResponse& response);

// How a host that nothing else makes known is found to be of this kind: the probe asks
// request at protocol://host + api_path, rows in table order, and the first row whose
// answers_as holds is the host's kind. The request is the kind's token lookup, so its
// answer also describes the token.
struct ProbeFacts {
  std::string_view title; // as the finding names such a host: "a GitHub Enterprise"
  AskRequest request;     // gitlab_token_self_request: <api>/personal_access_tokens/self
  AnswersAs answers_as;
  Describe describe;
};

using RotateSelf = Result<RotatedToken> (*)(HttpClient& http, std::string_view api_url,
                                            const Secret& token,
                                            std::optional<std::string> expires_at);

struct ForgeFacts {
  ForgeKind kind;
  std::string_view name;   // patrol.<url>.forge's value and the trace's word: "gitlab"
  std::string_view title;  // as a message names it: "GitLab"
  std::string_view source; // where the facts come from

  // Recognition, after configuration: an exact host, then a host name prefix, then the
  // realm of git's wwwauth[] (lower-case substring).
  std::span<const KnownHost> known_hosts;
  std::string_view host_prefix; // "gitlab." claims gitlab.example.com; empty: none
  std::string_view realm;       // e.g. realm="gitlab"; empty: the realm says nothing
  // The API on a host that is not a known one: protocol://host + api_path.
  std::string_view api_path;
  // Below the API base: a path anyone may GET to see the API answer (diagnose --probe).
  std::string_view health_path;

  std::string_view token_username; // what git sends as the username with a token
  OAuthPreset oauth;

  // Any one of these scopes allows a push; any one of self_rotate_scopes lets the token
  // rotate itself (empty: a token of this kind cannot).
  std::span<const std::string_view> push_scopes;
  std::span<const std::string_view> self_rotate_scopes;

  // Where a person makes a new token: protocol://host + renewal_path. With prefill, the
  // page takes the old token's name and scopes as ?name=...&scopes=a,b.
  std::string_view renewal_path;
  bool renewal_prefill;

  // Why a described token shows no expiry, after the title: "token has no expiry"; and,
  // when not empty, for a token the forge gave no scopes for ("gave no expiry").
  std::string_view no_expiry;
  std::string_view no_expiry_unscoped;

  ProbeFacts probe;

  LookUp look_up;         // what the forge says of a token
  RotateSelf rotate_self; // a new token for the old one; nullptr: the forge has none
};

std::span<const ForgeFacts> forges();
// nullptr for ForgeKind::none.
const ForgeFacts* facts(ForgeKind kind);
const ForgeFacts* facts(std::string_view name);

// Whether the scopes hold one of the row's: an empty list is unknown, which allows.
bool can_push(ForgeKind kind, std::span<const std::string> scopes);
bool can_self_rotate(ForgeKind kind, std::span<const std::string> scopes);
// "write_repository or api": what a push needs, for a message.
std::string push_scopes_text(ForgeKind kind);

// The page where a person makes a new token for protocol://host, pre-filled with the old
// token's name and scopes where the forge takes them; empty for ForgeKind::none.
std::string renewal_link(ForgeKind kind, std::string_view protocol, std::string_view host,
                         std::string_view name, std::span<const std::string> scopes);

} // namespace patrol::forge
