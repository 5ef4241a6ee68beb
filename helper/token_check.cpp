#include "helper/token_check.hpp"

#include <utility>

#include "helper/credential_url.hpp"
#include "helper/forge_probe.hpp"
#include "helper/messages.hpp"
#include "helper/token_memory.hpp"

namespace patrol::helper {
namespace {

// Whether the host may be asked what it is: nothing configured says, it was not found to
// be neither before, and its scheme is one a token may be sent over.
bool may_ask(const Config& config, std::string_view url, const store::Record& record) {
  if (!config.value("forge", url).empty()) {
    return false;
  }
  if (record.protocol != "https" && record.protocol != "http") {
    return false;
  }
  return recall_host(record.protocol, record.host) != HostAnswer::neither;
}

std::string found_line(HostAnswer answer, std::string_view host) {
  switch (answer) {
  case HostAnswer::gitlab:
    return std::string(host) + " answers as a GitLab: its tokens' expiry and scopes are "
                               "asked there from now on";
  case HostAnswer::github:
    return std::string(host) + " answers as a GitHub Enterprise: its tokens' expiry and "
                               "scopes are asked there from now on";
  case HostAnswer::neither:
  case HostAnswer::silent:
    break;
  }
  return std::string(host) + " is neither a GitLab nor a GitHub Enterprise (asked at its "
                             "/api/v4 and /api/v3): its tokens' expiry stays unknown "
                             "(set patrol.<url>.forge if that is wrong)";
}

TokenCheck verdict_of(Forge forge, const oauth::TokenInfo& info) {
  TokenCheck out;
  out.forge = std::move(forge);
  out.info = info;
  switch (info.state) {
  case oauth::TokenState::active:
    out.verdict = Verdict::described;
    break;
  case oauth::TokenState::expired:
  case oauth::TokenState::revoked:
  case oauth::TokenState::unknown:
    out.verdict = Verdict::refused;
    break;
  case oauth::TokenState::not_a_pat:
    out.verdict = Verdict::not_described;
    out.why = "it is an OAuth token, which the forge does not describe";
    break;
  }
  return out;
}

} // namespace

TokenCheck check_new_token(const Config& config, store::Record& record,
                           const Credential& request, Timeouts timeouts) {
  const std::string url = credential_url(request);
  const oauth::HttpSettings settings = http_settings(config, url, timeouts);
  Forge forge = forge_for(config, url, record.protocol, record.host, request.wwwauth);
  std::optional<oauth::TokenInfo> answer;
  if (forge.kind == ForgeKind::none) {
    if (!may_ask(config, url, record)) {
      TokenCheck out;
      out.why = config.value("forge", url).empty()
                    ? record.host + " is neither a GitLab nor a GitHub Enterprise"
                    : "patrol.forge is none for it";
      return out;
    }
    ProbeResult probe = probe_forge(record.protocol, record.host, record.secret, settings);
    if (Result<void> kept = remember_host(record.protocol, record.host, probe.answer); !kept) {
      trace("what " + record.host + " answered is not remembered: " + kept.error().message);
    }
    if (probe.answer == HostAnswer::silent) {
      TokenCheck out;
      out.verdict = Verdict::unanswered;
      out.why = std::move(probe.failure);
      return out;
    }
    say(found_line(probe.answer, record.host));
    if (probe.answer == HostAnswer::neither) {
      TokenCheck out;
      out.why = record.host + " is neither a GitLab nor a GitHub Enterprise";
      return out;
    }
    forge = forge_for(config, url, record.protocol, record.host, request.wwwauth);
    answer = std::move(probe.info);
  }
  if (!answer) {
    Result<oauth::TokenInfo> info = look_up(forge, record.secret, settings);
    if (!info) {
      TokenCheck out;
      out.verdict = Verdict::unanswered;
      out.forge = std::move(forge);
      out.why = info.error().message;
      return out;
    }
    answer = std::move(*info);
  }
  learn(record, *answer, now_seconds());
  return verdict_of(std::move(forge), *answer);
}

} // namespace patrol::helper
