#pragma once
// A token about to be stored (git's `store`, `login`), checked at its forge: which forge
// the host is (asking the host itself once when nothing else says, see forge_probe.hpp),
// what that forge says of the token, and a verdict the caller acts on: `store` keeps
// whatever git gives it, `login` refuses a token the forge refused.
#include <string>

#include "forge/recognise.hpp"
#include "forge/token_api.hpp"
#include "helper/git/config.hpp"
#include "helper/git/protocol.hpp"
#include "helper/lifecycle/token_lookup.hpp"
#include "store/record.hpp"

namespace patrol::helper {

enum class Verdict {
  described,     // the forge described an active token; the record learnt it
  refused,       // the forge refused it: info.state says expired, revoked or unknown
  not_described, // the forge answered but describes no such token (an OAuth token)
  unanswered,    // the forge did not answer: why says how
  no_forge,      // the host is not a known forge: why says why
};

struct TokenCheck {
  Verdict verdict = Verdict::no_forge;
  forge::Forge forge;
  forge::TokenInfo info;
  std::string why;
};

// Checks record.secret for the record's origin and teaches the record what the forge
// said (learn()). Says once per host what asking the host found.
TokenCheck check_new_token(const Config& config, store::Record& record, const Credential& request,
                           Timeouts timeouts);

} // namespace patrol::helper
