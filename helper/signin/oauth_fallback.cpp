#include "helper/signin/oauth_fallback.hpp"

#include <cstdlib>
#include <fcntl.h>
#include <memory>
#include <spawn.h>
#include <string>
#include <string_view>
#include <unistd.h>
#include <utility>
#include <vector>

#include "common/fd_io.hpp"
#include "common/git_bool.hpp"
#include "common/scope_list.hpp"
#include "common/terminal.hpp"
#include "common/text.hpp"
#include "helper/commands/progress.hpp"
#include "helper/git/credential_url.hpp"
#include "helper/lifecycle/flight.hpp"
#include "helper/lifecycle/lifecycle.hpp"
#include "helper/lifecycle/token_lookup.hpp"
#include "helper/messages.hpp"
#include "helper/signin/oauth_registration.hpp"
#include "helper/signin/oauth_setup.hpp"
#include "helper/signin/qr_code.hpp"
#include "oauth/oauth_client.hpp"

extern char** environ;

namespace patrol::helper {
namespace {

// Refreshed this long before the access token expires, so git never carries a dying one.
constexpr std::int64_t refresh_margin_seconds = 60;

// A terminal that stops taking text leaves nothing to do: what follows says what happened.
void put(int fd, std::string_view text) { (void)write_all(fd, text); }

bool display_present() {
  for (const char* name : {"DISPLAY", "WAYLAND_DISPLAY"}) {
    if (const char* value = std::getenv(name); value != nullptr && *value != '\0') {
      return true;
    }
  }
  return false;
}

// xdg-open with the page as its one argument (it holds no secret), cut off from git's
// protocol pipes; not waited for.
void open_browser(const std::string& url) {
  posix_spawn_file_actions_t actions;
  if (posix_spawn_file_actions_init(&actions) != 0) {
    return;
  }
  for (const int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) {
    posix_spawn_file_actions_addopen(&actions, fd, "/dev/null",
                                     fd == STDIN_FILENO ? O_RDONLY : O_WRONLY, 0);
  }
  std::string program = "xdg-open";
  std::string argument = url;
  std::vector<char*> argv{program.data(), argument.data(), nullptr};
  pid_t pid = 0;
  if (posix_spawnp(&pid, "xdg-open", &actions, nullptr, argv.data(), environ) != 0) {
    trace("could not start xdg-open");
  }
  posix_spawn_file_actions_destroy(&actions);
}

// What a grant teaches a record; a refresh without a new refresh token keeps the old one.
void learn_tokens(store::Record& record, oauth::Tokens& tokens, std::int64_t now) {
  record.kind = store::Kind::oauth;
  record.secret = std::move(tokens.access_token);
  if (!tokens.refresh_token.empty()) {
    record.refresh_token = std::move(tokens.refresh_token);
  }
  record.expires_at =
      tokens.expires_in ? std::optional<std::int64_t>(now + *tokens.expires_in) : std::nullopt;
  if (!tokens.scope.empty()) {
    record.scopes = split_scopes(tokens.scope);
  }
  record.checked_at = now;
}

std::string minutes(std::int64_t seconds) {
  const std::int64_t whole = (seconds + 59) / 60;
  return std::to_string(whole) + (whole == 1 ? " minute" : " minutes");
}

// The page and the code are the server's words: shown, never obeyed by the terminal.
std::string prompt_text(const std::string& host, const oauth::DeviceAuthorization& code) {
  std::string text = "\n" + std::string(program_name) + ": sign in to " + shown(host) +
                     " in a browser to continue:\n\n    open   " + shown(code.verification_uri) +
                     "\n    enter  " + shown(code.user_code) + "\n\n";
  if (!code.verification_uri_complete.empty()) {
    const std::string qr = qr_code(code.verification_uri_complete);
    if (!qr.empty()) {
      text += "or scan this code, which opens " + shown(code.verification_uri_complete) + ":\n\n" +
              qr + "\n";
    }
  }
  text += "Waiting for approval; the code expires in " + minutes(code.expires_in) +
          " (Ctrl-C gives up).\n";
  return text;
}

// The device flow, its prompt and outcome written to fd; the new record saved.
Result<store::Record> sign_in(const Config& config, store::Store& store, const Credential& request,
                              OAuthSetup setup, int fd) {
  const std::string url = credential_url(request);
  std::unique_ptr<forge::HttpClient> http =
      forge::make_http_client(http_settings(config, url, patient_timeouts));
  if (Result<void> completed = complete(setup, *http); !completed) {
    return tl::unexpected(completed.error());
  }
  Result<oauth::DeviceAuthorization> code = [&] {
    const Waiting waiting("asking " + request.host + " for a sign-in code");
    return oauth::request_device_code(*http, setup.client);
  }();
  if (!code) {
    return tl::unexpected(code.error());
  }
  put(fd, prompt_text(request.host, *code));
  if (setup.browser && display_present()) {
    const std::string& page = code->verification_uri_complete.empty()
                                  ? code->verification_uri
                                  : code->verification_uri_complete;
    // Only an https page on the device endpoint's host ever reaches the browser.
    if (oauth::check_verification_page(page, setup.client.endpoints.device_authorization)) {
      open_browser(page);
    }
  }
  Result<oauth::Tokens> tokens =
      oauth::poll_for_tokens(*http, setup.client, *code, oauth::real_pacing());
  if (!tokens) {
    return tl::unexpected(tokens.error());
  }
  store::Record record;
  record.protocol = request.protocol;
  record.host = request.host;
  record.username = request.username.empty() ? setup.username : request.username;
  learn_tokens(record, *tokens, now_seconds());
  if (Result<void> saved = store.save(record); !saved) {
    say_warning("signed in, but the token could not be stored: " + saved.error().message);
  }
  put(fd, std::string(program_name) + ": signed in to " + shown(request.host) + ".\n");
  return record;
}

enum class Refresh { refreshed, dead, failed };

bool needs_refresh(const store::Record& record, std::int64_t now) {
  return record.kind == store::Kind::oauth && !record.refresh_token.empty() && record.expires_at &&
         *record.expires_at <= now + refresh_margin_seconds;
}

// What another process stored in place of `record`, when it did: its refreshed pair.
std::optional<store::Record> replaced(store::Store& store, const store::Record& record) {
  Result<std::optional<store::Record>> current = reread(store, record);
  if (current && *current && !((*current)->secret == record.secret)) {
    return std::move(**current);
  }
  return std::nullopt;
}

// Single flight per credential: with refresh tokens that rotate, a second use of the same
// refresh token is refused (invalid_grant), so one process refreshes and the others wait
// for its lock and use the pair it stored.
Refresh refresh(const Config& config, store::Store& store, store::Record& record, OAuthSetup setup,
                const std::string& url) {
  const Flight flight = board(record, flight_patience);
  if (std::optional<store::Record> newer = replaced(store, record)) {
    record = std::move(*newer);
    if (!needs_refresh(record, now_seconds())) {
      return Refresh::refreshed;
    }
  }
  if (flight.busy) {
    say_warning("another git-credential-patrol process has been refreshing the OAuth token "
                "for " +
                record.host + " for " + std::to_string(flight_patience.count() / 1000) +
                " s; going on with the stored one");
    return Refresh::failed;
  }
  const store::Record before = record;
  std::unique_ptr<forge::HttpClient> http =
      forge::make_http_client(http_settings(config, url, quick_timeouts));
  if (Result<void> completed = complete(setup, *http); !completed) {
    say_warning("could not refresh the OAuth token for " + record.host + ": " +
                completed.error().message);
    return Refresh::failed;
  }
  Result<oauth::TokenAnswer> answer =
      oauth::refresh_tokens(*http, setup.client, record.refresh_token);
  if (!answer) {
    say_warning("could not refresh the OAuth token for " + record.host + ": " +
                answer.error().message);
    return Refresh::failed;
  }
  if (const oauth::TokenError* error = std::get_if<oauth::TokenError>(&*answer)) {
    // GitHub says bad_refresh_token where RFC 6749 says invalid_grant.
    if (error->error == "invalid_grant" || error->error == "bad_refresh_token") {
      // Spent by another process that refreshed without waiting for the lock: its pair
      // is stored and alive.
      if (std::optional<store::Record> newer = replaced(store, record)) {
        record = std::move(*newer);
        return Refresh::refreshed;
      }
      trace("the refresh token for " + record.host + " is no longer valid; forgetting it");
      Result<bool> erased = store.erase(
          store::Query{record.protocol, record.host, record.path, record.username, record.secret});
      if (!erased) {
        trace("could not remove the dead OAuth token: " + erased.error().message);
      }
      return Refresh::dead;
    }
    say_warning("could not refresh the OAuth token for " + record.host + ": " + error->error);
    return Refresh::failed;
  }
  learn_tokens(record, std::get<oauth::Tokens>(*answer), now_seconds());
  // Compare-and-swap: a credential git stored meanwhile is not overwritten.
  Result<bool> saved = store.replace(before, record);
  if (!saved) {
    say_warning("the refreshed OAuth token could not be stored: " + saved.error().message);
  } else if (!*saved) {
    trace("the refreshed OAuth token for " + record.host +
          " was not stored: another credential was stored meanwhile");
  }
  return Refresh::refreshed;
}

bool over_https(const Credential& request) {
  return request.protocol == "https" || request.protocol == "http";
}

} // namespace

bool refreshes_itself(const store::Record& record) {
  return record.kind == store::Kind::oauth && !record.refresh_token.empty();
}

std::optional<store::Record> refresh_or_sign_in(const Config& config, store::Store& store,
                                                std::optional<store::Record> found,
                                                const Credential& request) {
  if (!over_https(request)) {
    return found;
  }
  const std::string url = credential_url(request);
  if (found && !needs_refresh(*found, now_seconds())) {
    return found;
  }
  std::optional<OAuthSetup> setup =
      oauth_setup(config, url, request.protocol, request.host, request.wwwauth);
  if (found) {
    if (!setup) {
      trace("no OAuth client id is configured for " + url + ": the token cannot be refreshed");
      return found;
    }
    switch (refresh(config, store, *found, *setup, url)) {
    case Refresh::refreshed:
      return found;
    case Refresh::failed:
      // An expired token would only earn a 401, and git's erase would then throw away the
      // refresh token that may work again once the server is back.
      if (found->expires_at && *found->expires_at <= now_seconds()) {
        return std::nullopt;
      }
      return found;
    case Refresh::dead:
      break;
    }
  }
  if (!git_terminal_prompt_allowed() || !config.interactive()) {
    trace("GIT_TERMINAL_PROMPT or credential.interactive forbids the OAuth device flow");
    return std::nullopt;
  }
  const Terminal terminal;
  if (terminal.fd() < 0) {
    trace("no terminal: no OAuth device flow");
    return std::nullopt;
  }
  if (!setup) {
    // A forge that has the device flow, a person who could use it, and no client id: say
    // once, on the terminal, how to get one. patrol.oauth=never stops it.
    const oauth::OAuthPreset* preset =
        oauth_preset_for(config, url, request.protocol, request.host, request.wwwauth);
    if (preset != nullptr && !oauth_off(config, url)) {
      put(terminal.fd(), std::string(program_name) + ": " +
                             shown(registration_hint(*preset, credential_origin(request))) + "\n");
    }
    return std::nullopt;
  }
  Result<store::Record> record = sign_in(config, store, request, std::move(*setup), terminal.fd());
  if (!record) {
    put(terminal.fd(), std::string(program_name) + ": " + shown(record.error().message) + "\n");
    return std::nullopt;
  }
  return std::move(*record);
}

Result<store::Record> oauth_login(const Config& config, store::Store& store,
                                  const Credential& target) {
  const std::string url = credential_url(target);
  std::optional<OAuthSetup> setup = oauth_setup(config, url, target.protocol, target.host);
  if (!setup && oauth_off(config, url)) {
    return fail(Errc::config, "OAuth is off for " + url + ": patrol.oauth is never there");
  }
  if (!setup) {
    const std::string origin = credential_origin(target);
    say("no OAuth client id for " + origin + " yet; register an OAuth application once:");
    say_more(
        registration_steps(oauth_preset_for(config, url, target.protocol, target.host), origin));
    return fail(Errc::config, "login --oauth needs a client id for " + origin + " (see above)");
  }
  const Terminal terminal;
  return sign_in(config, store, target, std::move(*setup),
                 terminal.fd() >= 0 ? terminal.fd() : STDERR_FILENO);
}

Result<bool> revoke_if_possible(const Config& config, const store::Record& record) {
  if (record.kind != store::Kind::oauth) {
    return false;
  }
  const std::string url = record.protocol + "://" + record.host;
  std::optional<OAuthSetup> setup = oauth_setup(config, url, record.protocol, record.host);
  if (!setup) {
    return false;
  }
  std::unique_ptr<forge::HttpClient> http =
      forge::make_http_client(http_settings(config, url, quick_timeouts));
  if (Result<void> completed = complete(*setup, *http); !completed) {
    return tl::unexpected(completed.error());
  }
  if (setup->client.endpoints.revocation.empty()) {
    return false;
  }
  if (!record.refresh_token.empty()) {
    if (Result<void> revoked =
            oauth::revoke_token(*http, setup->client, record.refresh_token, "refresh_token");
        !revoked) {
      return tl::unexpected(revoked.error());
    }
  }
  if (Result<void> revoked =
          oauth::revoke_token(*http, setup->client, record.secret, "access_token");
      !revoked) {
    return tl::unexpected(revoked.error());
  }
  return true;
}

} // namespace patrol::helper
