#include "helper/token_watch.hpp"

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "helper/background.hpp"
#include "helper/credential_url.hpp"
#include "helper/flight.hpp"
#include "helper/lifecycle.hpp"
#include "helper/messages.hpp"
#include "helper/rotate.hpp"
#include "helper/token_check.hpp"
#include "helper/token_lookup.hpp"
#include "helper/token_memory.hpp"

namespace patrol::helper {
namespace {

template <class T> T setting(Result<T> parsed, T fallback) {
  if (parsed) {
    return std::move(*parsed);
  }
  say_warning(parsed.error().message + "; using the default");
  return fallback;
}

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

// Keeps the date of the warning just said beside the token, so that the next get stays
// quiet. Only when the warning is due, so a get that does not warn makes no extra call.
// Under the credential's lock without waiting (a refresh or rotation at work on the token
// is left alone, and the warning is simply due again next time), the store read again and
// written by compare-and-swap: what a refresh learnt is never overwritten with an older copy.
void note_warning(store::Store& store, const store::Record& record, std::int64_t now) {
  const std::string url = record_url(record);
  const Flight flight = board(record, std::chrono::milliseconds(0));
  if (flight.busy) {
    trace("the warning's date for " + url + " is not kept: another process holds the token");
    return;
  }
  Result<std::optional<store::Record>> current = reread(store, record);
  if (!current || !*current || !((*current)->secret == record.secret)) {
    trace("the warning's date for " + url + " is not kept: the token changed meanwhile");
    return;
  }
  store::Record next = **current;
  next.warned_at = now;
  if (next.store == "env") {
    if (Result<void> kept = remember(next); !kept) {
      trace("the warning's date for " + url + " is not kept: " + kept.error().message);
    }
    return;
  }
  Result<bool> saved = store.replace(**current, next);
  if (!saved || !*saved) {
    trace("the warning's date for " + url + " is not kept: " +
          (saved ? std::string("another token was stored meanwhile") : saved.error().message));
  }
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

LifecycleSettings lifecycle_settings(const Config& config, std::string_view url) {
  LifecycleSettings out;
  if (std::optional<std::string> text = config.get(Setting::warnDays, url)) {
    out.warn_days = setting(parse_warn_days(*text), out.warn_days);
  }
  if (std::optional<std::string> text = config.get(Setting::recheckInterval, url)) {
    out.recheck_seconds = setting(parse_interval(*text), out.recheck_seconds);
  }
  if (std::optional<std::string> text = config.get(Setting::autoRotate, url)) {
    Result<bool> parsed = parse_bool(*text);
    if (!parsed) {
      parsed = fail(Errc::config, "patrol.autoRotate: " + parsed.error().message);
    }
    out.auto_rotate = setting(std::move(parsed), false);
  }
  if (std::optional<std::string> text = config.get(Setting::warnEvery, url)) {
    out.warn_every = setting(parse_warn_every(*text), out.warn_every);
  }
  return out;
}

Timeouts person_timeouts(const Config& config, std::string_view url) {
  Timeouts out = patient_timeouts;
  const std::optional<std::string> text = config.get(Setting::forgeTimeout, url);
  if (!text) {
    return out;
  }
  Result<std::optional<std::int64_t>> parsed = parse_interval(*text);
  Result<std::int64_t> seconds =
      parsed && *parsed && **parsed > 0
          ? Result<std::int64_t>(**parsed)
          : fail(Errc::config, "patrol.forgeTimeout must be seconds, or a number with s, m or "
                               "h (like 30s), not '" + *text + "'");
  out.total = std::chrono::seconds(setting(std::move(seconds), std::int64_t{30}));
  out.connect = std::min(out.connect, out.total);
  return out;
}

std::optional<store::Record> on_get(const Config& config, store::Store& store,
                                    store::Record record, const Credential& request) {
  recall(record);
  const std::string url = credential_url(request);
  const LifecycleSettings settings = lifecycle_settings(config, url);
  const forge::Forge forge = forge_for(config, url, record.protocol, record.host, request.wwwauth);
  // Only tokens a forge can describe are checked again; OAuth tokens refresh otherwise.
  const bool checkable = forge.kind != forge::ForgeKind::none && record.kind != store::Kind::oauth;
  const std::int64_t now = now_seconds();
  const Assessment assessment = assess(record, now, settings.warn_days,
                                       checkable ? settings.recheck_seconds : std::nullopt);
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
    warn(record, forge.kind, now);
    note_warning(store, record, now);
    record.warned_at = now;
  }
  if (assessment.stale) {
    start_refresh(store, record, settings.recheck_seconds);
  }
  return record;
}

void on_store(const Config& config, store::Record& record, const Credential& request) {
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

void on_erase(const Config& config, store::Store& store, const Credential& request) {
  if (request.password.empty() || request.protocol.empty() || request.host.empty()) {
    return;
  }
  const std::string url = credential_url(request);
  const forge::Forge forge = forge_for(config, url, request.protocol, request.host, request.wwwauth);
  if (forge.kind == forge::ForgeKind::none) {
    return;
  }
  // Only a token patrol handed out is explained: another helper's is not ours to judge.
  Result<std::optional<store::Record>> found = store.find(store::Query{
      request.protocol, request.host, request.path, request.username, std::nullopt});
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
