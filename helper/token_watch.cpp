#include "helper/token_watch.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "common/civil_time.hpp"
#include "helper/background.hpp"
#include "helper/credential_url.hpp"
#include "helper/lifecycle.hpp"
#include "helper/messages.hpp"
#include "helper/rotate.hpp"
#include "helper/token_lookup.hpp"

namespace patrol::helper {
namespace {

template <class T> T setting(Result<T> parsed, T fallback) {
  if (parsed) {
    return std::move(*parsed);
  }
  say_warning(parsed.error().message + "; using the default");
  return fallback;
}

} // namespace

LifecycleSettings lifecycle_settings(const Config& config, std::string_view url) {
  LifecycleSettings out;
  if (std::optional<std::string> text = config.get("warnDays", url)) {
    out.warn_days = setting(parse_warn_days(*text), out.warn_days);
  }
  if (std::optional<std::string> text = config.get("recheckInterval", url)) {
    out.recheck_seconds = setting(parse_interval(*text), out.recheck_seconds);
  }
  if (std::optional<std::string> text = config.get("autoRotate", url)) {
    Result<bool> parsed = parse_bool(*text);
    if (!parsed) {
      parsed = fail(Errc::config, "patrol.autoRotate: " + parsed.error().message);
    }
    out.auto_rotate = setting(std::move(parsed), false);
  }
  return out;
}

std::optional<store::Record> on_get(const Config& config, store::Store& store,
                                    store::Record record, const Credential& request) {
  const std::string url = credential_url(request);
  const LifecycleSettings settings = lifecycle_settings(config, url);
  const Forge forge = forge_for(config, url, record.protocol, record.host, request.wwwauth);
  // Only tokens a forge can describe are checked again; OAuth tokens refresh otherwise.
  const bool checkable = forge.kind != ForgeKind::none && record.kind != store::Kind::oauth;
  const std::int64_t now = now_seconds();
  const Assessment assessment = assess(record, now, settings.warn_days,
                                       checkable ? settings.recheck_seconds : std::nullopt);
  if (assessment.standing == Standing::expired) {
    say_error(expired_refusal(record, forge.kind, now));
    return std::nullopt;
  }
  if (assessment.standing == Standing::expiring && settings.auto_rotate &&
      forge.kind == ForgeKind::gitlab && can_self_rotate(record.scopes)) {
    // GitLab's default for a rotated token is a week, inside the window: every get would
    // rotate again. Ask for twice the window (at least 30 days, at most GitLab's 365).
    const std::int64_t days = std::clamp<std::int64_t>(2 * settings.warn_days, 30, 365);
    Result<Rotation> rotated = rotate_record(config, store, record,
                                             format_date(now + days * seconds_per_day),
                                             quick_timeouts);
    if (rotated) {
      say(rotated_message(rotated->record));
      return std::move(rotated->record);
    }
    say_warning("automatic rotation failed: " + rotated.error().message);
  }
  if (assessment.stale && !run_detached({"refresh", record_url(record)})) {
    trace("could not start the background refresh of " + record_url(record));
  }
  if (assessment.standing == Standing::expiring) {
    say_warning(expiry_warning(record, forge.kind, now));
  }
  return record;
}

void on_store(const Config& config, store::Record& record, const Credential& request) {
  const std::string url = credential_url(request);
  const Forge forge = forge_for(config, url, record.protocol, record.host, request.wwwauth);
  if (forge.kind == ForgeKind::none) {
    return;
  }
  Result<oauth::TokenInfo> info =
      look_up(forge, record.secret, http_settings(config, url, quick_timeouts));
  if (!info) {
    trace("stored without an expiry: the token lookup at " + forge.api_url +
          " failed: " + info.error().message);
    return;
  }
  learn(record, *info, now_seconds());
  if (info->state != oauth::TokenState::active) {
    trace("stored without an expiry: " + forge.api_url + " does not describe this token");
    return;
  }
  if (const std::string warning = push_scope_warning(record, forge.kind); !warning.empty()) {
    say_warning(warning);
  }
}

void on_erase(const Config& config, store::Store& store, const Credential& request) {
  if (request.password.empty() || request.protocol.empty() || request.host.empty()) {
    return;
  }
  const std::string url = credential_url(request);
  const Forge forge = forge_for(config, url, request.protocol, request.host, request.wwwauth);
  if (forge.kind == ForgeKind::none) {
    return;
  }
  // Only a token patrol handed out is explained: another helper's is not ours to judge.
  Result<std::optional<store::Record>> found = store.find(store::Query{
      request.protocol, request.host, request.path, request.username, std::nullopt});
  if (!found || !*found || !((*found)->secret == request.password)) {
    return;
  }
  const store::Record& record = **found;
  Result<oauth::TokenInfo> info =
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
