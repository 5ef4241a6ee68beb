#include "helper/lifecycle/rotation.hpp"

#include <cstdio>
#include <fcntl.h>
#include <memory>
#include <string_view>
#include <unistd.h>
#include <utility>

#include "common/civil_time.hpp"
#include "common/fd_io.hpp"
#include "common/terminal.hpp"
#include "common/text.hpp"
#include "helper/lifecycle/flight.hpp"
#include "helper/lifecycle/lifecycle.hpp"
#include "helper/lifecycle/lifecycle_settings.hpp"
#include "helper/messages.hpp"

namespace patrol::helper {
namespace {

// The one place a secret is shown: the terminal when there is one (it does not end up in
// a log that captures stderr), else stderr, since losing the token is worse.
void show_once(const store::Record& record, const Error& why) {
  const std::string url = record_url(record);
  std::string text =
      std::string(program_name) + ": error: the token for " + url +
      " was rotated, but the new one could not be stored: " + shown(why.message) +
      "\nThe old token no longer works. The new token is shown only this once:\n\n    ";
  std::string token = shown(record.secret.view()); // GitLab's answer, like any other text
  text += token;
  wipe(token);
  text += "\n\nKeep it now: once the store works again, give it to git when it asks for the "
          "password of " +
          url +
          ", or run\n    git credential approve\nwith the lines "
          "url=" +
          url + " and password=<the token>.\n";
  bool shown = false;
  {
    const Terminal tty;
    shown = tty.fd() >= 0 && write_all(tty.fd(), text);
  }
  if (!shown) {
    (void)write_all(STDERR_FILENO, text); // nowhere else to show it
  }
  wipe(text);
}

} // namespace

Result<Rotation> rotate_record(const Config& config, store::Store& store, const store::Record& old,
                               const std::string& expires_at, Timeouts timeouts) {
  const std::string url = record_url(old);
  const forge::Forge forge = forge_for(config, url, old.protocol, old.host);
  const forge::ForgeFacts* row = forge::facts(forge.kind);
  if (row == nullptr || row->rotate_self == nullptr) {
    return fail(Errc::unsupported, "only GitLab tokens can be rotated, and " + old.host +
                                       " is not known as GitLab (set patrol." + old.protocol +
                                       "://" + old.host + ".forge gitlab if it is)");
  }
  // Rotating a token twice makes GitLab revoke the whole family (its reuse detection): one
  // process rotates, the others wait and take what it stored.
  const Flight flight = board(old, flight_patience);
  if (flight.busy) {
    return fail(Errc::store_failed,
                "another git-credential-patrol process has held the token for " + url + " for " +
                    std::to_string(flight_patience.count() / 1000) +
                    " s; nothing was rotated, try again");
  }
  Result<std::optional<store::Record>> current = reread(store, old);
  if (!current) {
    return tl::unexpected(current.error());
  }
  if (!*current) {
    return fail(Errc::store_failed,
                "the token for " + url + " is no longer stored; nothing was rotated");
  }
  if (!((*current)->secret == old.secret)) {
    return Rotation{std::move(**current), false, std::nullopt, std::nullopt};
  }
  const store::Record before = std::move(**current);
  std::unique_ptr<forge::HttpClient> http =
      forge::make_http_client(http_settings(config, url, timeouts));
  Result<forge::RotatedToken> rotated =
      row->rotate_self(*http, forge.api_url, before.secret, expires_at);
  if (!rotated) {
    return tl::unexpected(rotated.error());
  }
  // The old token is dead from here on: the new one is stored before anything else.
  Rotation out{before, true, std::nullopt, before.expires_at};
  out.record.secret = std::move(rotated->token);
  rotated->info.state = forge::TokenState::active;
  learn(out.record, rotated->info, now_seconds());
  Result<bool> saved = store.replace(before, out.record);
  if (saved && !*saved) {
    saved = fail(Errc::store_failed, "another token was stored for " + url + " meanwhile");
  }
  if (!saved) {
    show_once(out.record, saved.error());
    out.store_failure = saved.error();
  }
  return out;
}

std::string default_rotation_expiry(const Config& config, std::string_view url) {
  const std::int64_t days = rotated_lifetime_days(lifecycle_settings(config, url).warn_days);
  return format_date(now_seconds() + days * seconds_per_day);
}

std::string rotated_message(const Rotation& rotation) {
  const store::Record& record = rotation.record;
  std::string text = "rotated ";
  text += record.token_name.empty() ? "the token" : "token '" + record.token_name + "'";
  text += " for " + record_url(record);
  text += record.expires_at ? ": the new token expires on " + format_date(*record.expires_at)
                            : std::string(": the new token does not expire");
  text += rotation.old_expires_at
              ? ", the old one was to expire on " + format_date(*rotation.old_expires_at) + " and"
              : std::string(", the old one");
  return text + " no longer works";
}

} // namespace patrol::helper
