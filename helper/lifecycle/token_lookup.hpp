#pragma once
// The one place the helper asks a forge about a token: which forge serves a URL (from
// patrol.<url>.forge and patrol.<url>.apiUrl, then the presets), how to reach it (git's
// http.<url>.* settings), the question itself, and what the answer teaches a Record.
#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "common/secret.hpp"
#include "forge/http.hpp"
#include "forge/recognise.hpp"
#include "forge/token_api.hpp"
#include "helper/git/config.hpp"
#include "store/record.hpp"

namespace patrol::helper {

struct Timeouts {
  std::chrono::milliseconds connect;
  std::chrono::milliseconds total;
};

// While git waits (store, erase): short, so a slow forge costs seconds at most.
inline constexpr Timeouts quick_timeouts{std::chrono::milliseconds(2000),
                                         std::chrono::milliseconds(5000)};
// Where nobody waits on it (background refresh) or a person asked for it (rotate, check).
inline constexpr Timeouts patient_timeouts{std::chrono::milliseconds(5000),
                                           std::chrono::milliseconds(30000)};

// The forge of protocol://host for `url` (the credential's URL, for URL-scoped settings):
// patrol.forge and the presets (forge.hpp), else what the host answered when it was asked
// (helper/lifecycle/token_memory.hpp's recall_host).
forge::Forge forge_for(const Config& config, std::string_view url, std::string_view protocol,
                       std::string_view host, std::span<const std::string> wwwauth = {});

// How to reach url, as git would: the CA file from GIT_SSL_CAINFO, else
// http.<url>.sslCAInfo; the proxy from http.<url>.proxy, else libcurl's environment.
// Certificates are always verified, whatever http.sslVerify says.
forge::HttpSettings http_settings(const Config& config, std::string_view url, Timeouts timeouts);

// Asks the forge what it knows of the token. Errors are transport failures and answers
// that make no sense; a refused token is a TokenInfo whose state says why.
Result<forge::TokenInfo> look_up(const forge::Forge& forge, const Secret& token,
                                 const forge::HttpSettings& settings);

// Keeps what an answer about a token says and when it was learnt: for an active one its
// expiry, scopes, id, name and kind pat; an expired or revoked one is marked so. An
// answer that knows nothing of it (unknown, not a PAT) changes only checked_at.
void learn(store::Record& record, const forge::TokenInfo& info, std::int64_t now);

// Unix seconds now: the one clock of the lifecycle.
std::int64_t now_seconds();

} // namespace patrol::helper
