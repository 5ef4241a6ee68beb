#include "helper/lifecycle/token_check.hpp"

#include <chrono>
#include <memory>
#include <utility>

#include "forge/probe.hpp"
#include "helper/git/credential_url.hpp"
#include "helper/lifecycle/token_memory.hpp"
#include "helper/messages.hpp"

namespace patrol::helper {
namespace {

// Whether the host may be asked what it is: nothing configured says, it was not found to
// be neither before, and its scheme is one a token may be sent over.
bool may_ask(const Config& config, std::string_view url, const store::Record& record) {
  if (!config.value(Setting::forge, url).empty()) {
    return false;
  }
  if (record.protocol != "https" && record.protocol != "http") {
    return false;
  }
  return recall_host(record.protocol, record.host) != forge::HostAnswer{forge::HostAnswer::neither};
}

std::string found_line(const forge::HostAnswer& answer, std::string_view host) {
  const forge::ForgeFacts* row =
      answer.what == forge::HostAnswer::found ? forge::facts(answer.kind) : nullptr;
  if (row != nullptr) {
    return std::string(host) + " answers as " + std::string(row->probe.title) +
           ": its tokens' expiry and scopes are asked there from now on";
  }
  return std::string(host) + " is " + forge::neither_text() + " (asked at its " +
         forge::probed_paths_text() +
         "): its tokens' expiry stays unknown (set patrol.<url>.forge if that is wrong)";
}

TokenCheck verdict_of(forge::Forge forge, const forge::TokenInfo& info) {
  TokenCheck out;
  out.forge = std::move(forge);
  out.info = info;
  switch (info.state) {
  case forge::TokenState::active:
    out.verdict = Verdict::described;
    break;
  case forge::TokenState::expired:
  case forge::TokenState::revoked:
  case forge::TokenState::unknown:
    out.verdict = Verdict::refused;
    break;
  case forge::TokenState::not_a_pat:
    out.verdict = Verdict::not_described;
    out.why = "it is an OAuth token, which the forge does not describe";
    break;
  }
  return out;
}

} // namespace

TokenCheck check_new_token(const Config& config, store::Record& record, const Credential& request,
                           Timeouts timeouts) {
  const std::string url = credential_url(request);
  const forge::HttpSettings settings = http_settings(config, url, timeouts);
  forge::Forge forge = forge_for(config, url, record.protocol, record.host, request.wwwauth);
  std::optional<forge::TokenInfo> answer;
  // One process asks a host what it is; parallel ones (git's store for several new tokens
  // at once) wait for its answer and use it, so the host is asked, and the finding said, once.
  std::optional<store::FileLock> asking;
  if (forge.kind == forge::ForgeKind::none && may_ask(config, url, record)) {
    asking = lock_host(record.protocol, record.host, 2 * timeouts.total + std::chrono::seconds(1));
    forge = forge_for(config, url, record.protocol, record.host, request.wwwauth);
  }
  if (forge.kind == forge::ForgeKind::none) {
    if (!may_ask(config, url, record)) {
      TokenCheck out;
      out.why = config.value(Setting::forge, url).empty()
                    ? record.host + " is " + forge::neither_text()
                    : "patrol.forge is none for it";
      return out;
    }
    forge::ProbeResult probe = [&] {
      const TraceTimer timer("forge detection at " + record.protocol + "://" + record.host);
      std::unique_ptr<forge::HttpClient> http = forge::make_http_client(settings);
      return forge::probe_forge(record.protocol, record.host, record.secret, *http, trace);
    }();
    if (Result<void> kept = remember_host(record.protocol, record.host, probe.answer); !kept) {
      trace("what " + record.host + " answered is not remembered: " + kept.error().message);
    }
    if (probe.answer.what == forge::HostAnswer::silent) {
      TokenCheck out;
      out.verdict = Verdict::unanswered;
      out.why = std::move(probe.failure);
      return out;
    }
    say(found_line(probe.answer, record.host));
    if (probe.answer.what == forge::HostAnswer::neither) {
      TokenCheck out;
      out.why = record.host + " is " + forge::neither_text();
      return out;
    }
    forge = forge_for(config, url, record.protocol, record.host, request.wwwauth);
    answer = std::move(probe.info);
  }
  if (!answer) {
    Result<forge::TokenInfo> info = look_up(forge, record.secret, settings);
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
