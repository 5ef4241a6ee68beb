#include "helper/lifecycle/lifecycle.hpp"

#include <algorithm>
#include <charconv>

#include "common/ascii.hpp"
#include "common/civil_time.hpp"
#include "common/duration.hpp"
#include "common/git_bool.hpp"
#include "common/scope_list.hpp"
#include "common/text.hpp"
#include "forge/http.hpp"
#include "helper/git/credential_url.hpp"
#include "helper/git/protocol.hpp"

namespace patrol::helper {
namespace {

std::optional<std::int64_t> whole_number(std::string_view text) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [next, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || next != end || value < 0) {
    return std::nullopt;
  }
  return value;
}

// "alice@gitlab.example.com", or the host alone without a username.
std::string account(const store::Record& record) {
  return record.username.empty() ? record.host : record.username + '@' + record.host;
}

// "token 'deploy' for alice@gitlab.example.com", or without a name when none is known.
std::string which(const store::Record& record) {
  std::string text = record.token_name.empty() ? "the token" : "token '" + record.token_name + "'";
  return text + " for " + account(record);
}

// A duration as common/duration reads it, at most ten years.
std::optional<std::int64_t> duration_seconds(std::string_view text) {
  const std::optional<std::chrono::seconds> parsed =
      parse_duration(text, std::chrono::seconds(3650 * seconds_per_day));
  return parsed ? std::optional<std::int64_t>(parsed->count()) : std::nullopt;
}

std::string in_days(std::int64_t days) {
  if (days <= 0) {
    return "today";
  }
  return days == 1 ? "in 1 day" : "in " + std::to_string(days) + " days";
}

std::string link_of(const store::Record& record, forge::ForgeKind kind) {
  return forge::renewal_link(kind, record.protocol, record.host, record.token_name, record.scopes);
}

// What to do about a token that is dead or dying: rotation only while it still lives.
std::string remedy(const store::Record& record, forge::ForgeKind kind, bool alive) {
  const std::string link = link_of(record, kind);
  std::string text;
  if (alive && forge::can_self_rotate(kind, record.scopes)) {
    text = "run `git credential-patrol rotate " + record_url(record) + "`";
    if (!link.empty()) {
      text += ", or create a new one at " + link;
    }
    return text;
  }
  if (!link.empty()) {
    return "create a new one at " + link;
  }
  return alive ? "renew it before then" : "create a new one";
}

} // namespace

std::int64_t calendar_days(std::int64_t now, std::int64_t then) {
  const auto day = [](std::int64_t t) {
    return t >= 0 ? t / seconds_per_day : -((-t + seconds_per_day - 1) / seconds_per_day);
  };
  return day(then) - day(now);
}

Assessment assess(const store::Record& record, std::int64_t now, std::int64_t warn_days,
                  std::optional<std::int64_t> recheck_seconds) {
  Assessment out;
  if (record.expires_at) {
    out.days_left = calendar_days(now, *record.expires_at);
    if (now >= *record.expires_at) {
      out.standing = Standing::expired;
    } else if (warn_days > 0 && *out.days_left <= warn_days) {
      out.standing = Standing::expiring;
    }
  }
  // What the forge said outranks the date.
  if (record.state == store::State::revoked) {
    out.standing = Standing::revoked;
  } else if (record.state == store::State::expired) {
    out.standing = Standing::expired;
  }
  if (recheck_seconds) {
    out.stale = !record.checked_at || now - *record.checked_at >= *recheck_seconds ||
                *record.checked_at > now; // a clock set back must not freeze the checks
  }
  return out;
}

Result<std::int64_t> parse_warn_days(std::string_view text) {
  const std::optional<std::int64_t> days = whole_number(text);
  if (!days || *days > 3650) {
    return fail(Errc::config, "patrol.warnDays must be a whole number of days from 0 to 3650, "
                              "not '" +
                                  std::string(text) + "'");
  }
  return *days;
}

Result<std::optional<std::int64_t>> parse_interval(std::string_view text) {
  const std::string value = to_ascii_lower(text);
  if (value == "never" || value == "0") {
    return std::optional<std::int64_t>();
  }
  const std::optional<std::int64_t> seconds = duration_seconds(value);
  if (!seconds) {
    return fail(Errc::config, "patrol.recheckInterval must be seconds or a number with s, m, h "
                              "or d (like 24h), or never, not '" +
                                  std::string(text) + "'");
  }
  return std::optional<std::int64_t>(*seconds);
}

Result<WarnEvery> parse_warn_every(std::string_view text) {
  const std::string value = to_ascii_lower(text);
  if (value == "daily") {
    return WarnEvery{};
  }
  if (value == "always") {
    return WarnEvery{false, 0};
  }
  const std::optional<std::int64_t> seconds = duration_seconds(value);
  if (!seconds) {
    return fail(Errc::config, "patrol.warnEvery must be daily, always, or a duration like 12h "
                              "or 7d, not '" +
                                  std::string(text) + "'");
  }
  return WarnEvery{false, *seconds};
}

bool warning_due(std::optional<std::int64_t> warned_at, std::int64_t now, WarnEvery every) {
  if (!warned_at || *warned_at > now) {
    return true;
  }
  return every.daily ? calendar_days(*warned_at, now) != 0 : now - *warned_at >= every.seconds;
}

Result<bool> parse_bool(std::string_view text) {
  if (const std::optional<bool> value = parse_git_bool(text)) {
    return *value;
  }
  return fail(Errc::config, "not a boolean: '" + std::string(text) + "' (use true or false)");
}

std::int64_t rotated_lifetime_days(std::int64_t warn_days) {
  return std::clamp<std::int64_t>(2 * warn_days, 30, gitlab_max_lifetime_days);
}

std::string expiry_date_problem(std::int64_t date, std::int64_t now) {
  const std::int64_t days = calendar_days(now, date);
  if (days <= 0) {
    return format_date(date) + " is not after today (" + format_date(now) +
           "), and a GitLab token dies at 00:00 UTC on its expiry date: give a later date";
  }
  if (days > gitlab_max_lifetime_days) {
    return format_date(date) + " is more than " + std::to_string(gitlab_max_lifetime_days) +
           " days away, GitLab's maximum token lifetime: give a date up to " +
           format_date(now + gitlab_max_lifetime_days * seconds_per_day);
  }
  return {};
}

std::string record_url(const store::Record& record) {
  Credential credential;
  credential.protocol = record.protocol;
  credential.host = record.host;
  credential.path = record.path;
  credential.username = record.username;
  std::string url = credential_url(credential);
  if (record.path.empty() && url.ends_with('/')) {
    url.pop_back();
  }
  return url;
}

ExpiryWarning expiry_warning(const store::Record& record, forge::ForgeKind kind, std::int64_t now,
                             std::size_t width) {
  if (!record.expires_at) {
    return {};
  }
  const std::string when = " expires " + in_days(calendar_days(now, *record.expires_at));
  const std::string date = ", on " + format_date(*record.expires_at);
  const std::string bare = "the token for ";
  ExpiryWarning out;
  for (const std::string& line : {shown(which(record) + when + date), shown(which(record) + when),
                                  shown(bare + account(record) + when)}) {
    if (line.size() <= width) {
      out.line = line;
      break;
    }
  }
  if (out.line.empty()) {
    const std::size_t room = width > bare.size() + when.size() + 3
                                 ? width - bare.size() - when.size() - 3 // "..." of clipped()
                                 : 0;
    out.line = bare + clipped(shown(account(record)), room) + when;
  }
  if (!link_of(record, kind).empty()) {
    out.remedy = remedy(record, kind, true);
  }
  return out;
}

std::string expired_refusal(const store::Record& record, forge::ForgeKind kind, std::int64_t now) {
  std::string text = which(record);
  text += record.expires_at && *record.expires_at <= now
              ? " expired on " + format_date(*record.expires_at)
              : std::string(" has expired");
  return text + " and was not given to git: " + remedy(record, kind, false) +
         ", then give it to git when it asks";
}

std::string revoked_refusal(const store::Record& record, forge::ForgeKind kind) {
  return which(record) + " was revoked and was not given to git: " + remedy(record, kind, false) +
         ", then give it to git when it asks";
}

std::string dead_on_arrival(const store::Record& record, forge::ForgeKind kind) {
  const std::string what =
      record.state == store::State::revoked ? " was revoked" : std::string(" has expired");
  return which(record) + what +
         " (its forge says so): it is stored as such and will not be "
         "given to git; " +
         remedy(record, kind, false);
}

std::string rejection_reason(const store::Record& record, forge::ForgeKind kind,
                             const forge::TokenInfo& info, std::int64_t now) {
  const std::string fix = "; forgetting it: " + remedy(record, kind, false);
  switch (info.state) {
  case forge::TokenState::expired: {
    const std::optional<std::int64_t> when = info.expires_at ? info.expires_at : record.expires_at;
    if (when && *when <= now) {
      return which(record) + " was refused: it expired on " + format_date(*when) + fix;
    }
    return which(record) + " was refused: it has expired" + fix;
  }
  case forge::TokenState::revoked:
    return which(record) + " was refused: it was revoked" + fix;
  case forge::TokenState::unknown:
    return which(record) + " was refused: " + record.host +
           " does not know it (deleted, or not a token)" + fix;
  case forge::TokenState::active:
    if (!forge::can_push(kind, info.scopes)) {
      return which(record) + " is valid but was refused: its scopes (" +
             join_scopes(info.scopes, ", ") + ") do not allow a push" + fix;
    }
    return {};
  case forge::TokenState::not_a_pat:
    break;
  }
  return {};
}

std::string push_scope_warning(const store::Record& record, forge::ForgeKind kind) {
  if (forge::can_push(kind, record.scopes)) {
    return {};
  }
  const std::string needed = forge::push_scopes_text(kind);
  return which(record) + " has the scopes " + join_scopes(record.scopes, ", ") +
         ": pushes will fail (they need " + needed + ")";
}

} // namespace patrol::helper
