#include "helper/operations/token_watch.hpp"

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "helper/git/credential_url.hpp"
#include "helper/lifecycle/background.hpp"
#include "helper/lifecycle/flight.hpp"
#include "helper/lifecycle/lifecycle.hpp"
#include "helper/lifecycle/lifecycle_settings.hpp"
#include "helper/lifecycle/rotation.hpp"
#include "helper/lifecycle/token_check.hpp"
#include "helper/lifecycle/token_lookup.hpp"
#include "helper/lifecycle/token_memory.hpp"
#include "helper/messages.hpp"

namespace patrol::helper {
namespace {

// Starts the background lookup of a stale record, at most one per credential: the
// credential's lock is taken here, before the fork, without waiting (a held lock means
// another process is at work on it), the store read again under it (a refresh that just
// finished made the record fresh), and the lock handed to the detached process.
void start_refresh(store::Store& store, const store::Record& record,
                   std::optional<std::int64_t> recheck_seconds) {
  const std::string url = record_url(record);
  const Flight flight = board(record, std::chrono::milliseconds(0));
  if (flight.busy) {
    trace("another process is already refreshing " + url);
    return;
  }
  Result<std::optional<store::Record>> current = reread(store, record);
  if (!current || !*current || !((*current)->secret == record.secret) ||
      !assess(**current, now_seconds(), 0, recheck_seconds).stale) {
    trace("no background refresh of " + url + ": it was refreshed or replaced meanwhile");
    return;
  }
  std::vector<std::string> args{"refresh"};
  if (flight.lock) {
    args.emplace_back("--holding-lock");
  }
  args.push_back(url);
  if (!run_detached(args, flight.lock ? flight.lock->fd() : -1)) {
    trace("could not start the background refresh of " + url);
    return;
  }
  trace("started the background refresh of " + url);
}

// Whether this process is the one to say the due warning, keeping its date beside the
// token first so that parallel gets (fetch --all, an IDE) say it once between them. Under
// the credential's lock, the store is read again: when another process has just noted a
// warning, this one stays quiet; otherwise the date is written by compare-and-swap, so
// what a refresh learnt is never overwritten with an older copy. When the lock stays busy
// (a refresh or rotation at work) or the write fails, the warning is said anyway: being
// told twice beats not being told.
bool claim_warning(store::Store& store, const store::Record& record, std::int64_t now,
                   const WarnEvery& every) {
  const std::string url = record_url(record);
  const Flight flight = board(record, std::chrono::milliseconds(2000));
  if (flight.busy) {
    trace("the warning's date for " + url + " is not kept: another process holds the token");
    return true;
  }
  Result<std::optional<store::Record>> current = reread(store, record);
  if (!current || !*current || !((*current)->secret == record.secret)) {
    trace("the warning's date for " + url + " is not kept: the token changed meanwhile");
    return true;
  }
  if (!warning_due((*current)->warned_at, now, every)) {
    trace("the warning for " + url + " was just said by another process");
    return false;
  }
  store::Record next = **current;
  next.warned_at = now;
  if (next.store == "env") {
    if (Result<void> kept = remember(next); !kept) {
      trace("the warning's date for " + url + " is not kept: " + kept.error().message);
    }
    return true;
  }
  Result<bool> saved = store.replace(**current, next);
  if (!saved || !*saved) {
    trace("the warning's date for " + url + " is not kept: " +
          (saved ? std::string("another token was stored meanwhile") : saved.error().message));
  }
  return true;
}

void warn(const store::Record& record, forge::ForgeKind kind, std::int64_t now) {
  const std::size_t prefix = program_name.size() + std::string_view(": warning: ").size();
  const ExpiryWarning warning = expiry_warning(record, kind, now, warning_width - prefix);
  say_warning(warning.line);
  if (!warning.remedy.empty()) {
    say_more("  " + warning.remedy);
  }
}

} // namespace

std::optional<store::Record> check_before_serving(const Config& config, store::Store& store,
                                                  store::Record record, const Credential& request) {
  recall(record);
  const std::string url = credential_url(request);
  const LifecycleSettings settings = lifecycle_settings(config, url);
  const forge::Forge forge = forge_for(config, url, record.protocol, record.host, request.wwwauth);
  // Only tokens a forge can describe are checked again; OAuth tokens refresh otherwise.
  const bool checkable = forge.kind != forge::ForgeKind::none && record.kind != store::Kind::oauth;
  const std::int64_t now = now_seconds();
  const Assessment assessment =
      assess(record, now, settings.warn_days, checkable ? settings.recheck_seconds : std::nullopt);
  if (assessment.standing == Standing::expired) {
    say_error(expired_refusal(record, forge.kind, now));
    return std::nullopt;
  }
  if (assessment.standing == Standing::revoked) {
    say_error(revoked_refusal(record, forge.kind));
    return std::nullopt;
  }
  if (assessment.standing == Standing::expiring && settings.auto_rotate &&
      forge::can_self_rotate(forge.kind, record.scopes)) {
    Result<Rotation> rotated =
        rotate_record(config, store, record, default_rotation_expiry(config, url), quick_timeouts);
    if (rotated) {
      if (rotated->rotated) {
        say(rotated_message(*rotated));
      } else {
        trace("another process rotated the token for " + url + "; handing its new token");
      }
      return std::move(rotated->record);
    }
    say_warning("automatic rotation failed: " + rotated.error().message);
    // Another process may have rotated it meanwhile: git gets what the store holds now.
    Result<std::optional<store::Record>> current = reread(store, record);
    if (current && *current && !((*current)->secret == record.secret)) {
      return std::move(**current);
    }
  }
  // Before the refresh starts: that takes the credential's lock into the detached process.
  if (assessment.standing == Standing::expiring &&
      warning_due(record.warned_at, now, settings.warn_every)) {
    if (claim_warning(store, record, now, settings.warn_every)) {
      warn(record, forge.kind, now);
    }
    record.warned_at = now;
  }
  if (assessment.stale) {
    start_refresh(store, record, settings.recheck_seconds);
  }
  return record;
}

void learn_new_token(const Config& config, store::Record& record, const Credential& request) {
  const TokenCheck checked = check_new_token(config, record, request, quick_timeouts);
  switch (checked.verdict) {
  case Verdict::described:
    break;
  case Verdict::refused:
    if (record.state != store::State::active) {
      say_warning(dead_on_arrival(record, checked.forge.kind));
    } else {
      trace("stored without an expiry: " + checked.forge.api_url + " does not know this token");
    }
    return;
  case Verdict::not_described:
  case Verdict::unanswered:
  case Verdict::no_forge:
    trace("stored without an expiry: " + checked.why);
    return;
  }
  if (const std::string warning = push_scope_warning(record, checked.forge.kind);
      !warning.empty()) {
    say_warning(warning);
  }
}

void explain_refusal(const Config& config, store::Store& store, const Credential& request) {
  if (request.password.empty() || request.protocol.empty() || request.host.empty()) {
    return;
  }
  const std::string url = credential_url(request);
  const forge::Forge forge =
      forge_for(config, url, request.protocol, request.host, request.wwwauth);
  if (forge.kind == forge::ForgeKind::none) {
    return;
  }
  // Only a token patrol handed out is explained: another helper's is not ours to judge.
  Result<std::optional<store::Record>> found = store.find(
      store::Query{request.protocol, request.host, request.path, request.username, std::nullopt});
  if (!found || !*found || !((*found)->secret == request.password)) {
    return;
  }
  const store::Record& record = **found;
  Result<forge::TokenInfo> info =
      look_up(forge, record.secret, http_settings(config, url, quick_timeouts));
  if (!info) {
    trace("cannot say why the token was refused: " + info.error().message);
    return;
  }
  if (const std::string reason = rejection_reason(record, forge.kind, *info, now_seconds());
      !reason.empty()) {
    say_error(reason);
  }
}

} // namespace patrol::helper
