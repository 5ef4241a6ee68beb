#include "helper/commands/login.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <memory>
#include <utility>
#include <vector>

#include <unistd.h>

#include "common/civil_time.hpp"
#include "common/text.hpp"
#include "forge/http.hpp"
#include "helper/commands/command_line.hpp"
#include "helper/commands/progress.hpp"
#include "helper/git/config.hpp"
#include "helper/git/credential_url.hpp"
#include "helper/git/protocol.hpp"
#include "helper/lifecycle/lifecycle.hpp"
#include "helper/lifecycle/lifecycle_settings.hpp"
#include "helper/lifecycle/token_check.hpp"
#include "helper/lifecycle/token_lookup.hpp"
#include "helper/lifecycle/token_memory.hpp"
#include "helper/messages.hpp"
#include "helper/operations/store_choice.hpp"
#include "helper/signin/oauth_fallback.hpp"
#include "store/env.hpp"
#include "store/tty_prompt.hpp"

namespace patrol::helper {
namespace {

// A token is short; a longer line on stdin is a mistake, not a token.
constexpr std::size_t max_token_bytes = 64 * 1024;

std::optional<std::string> username_option(const Parsed& args) {
  if (const std::optional<std::string_view> name = args.value("--username")) {
    return std::string(*name);
  }
  return std::nullopt;
}

// One line of stdin, read with read(2) so nothing is left in a stdio buffer.
Result<Secret> read_stdin_line() {
  std::string line;
  line.reserve(4096);
  char c = 0;
  while (line.size() <= max_token_bytes) {
    const ssize_t got = ::read(STDIN_FILENO, &c, 1);
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got < 0) {
      wipe(line);
      return fail(Errc::io, "cannot read the token from stdin");
    }
    if (got == 0 || c == '\n') {
      break;
    }
    line.push_back(c);
  }
  c = 0;
  if (line.size() > max_token_bytes) {
    wipe(line);
    return fail(Errc::invalid_input, "the line on stdin is too long to be a token");
  }
  return token_from_line(std::move(line));
}

Result<Secret> read_token(const LoginArgs& args, const std::string& shown_url) {
  if (args.from_stdin) {
    return read_stdin_line();
  }
  Result<std::optional<Secret>> typed = store::ask_hidden("Token for " + shown_url + ": ");
  if (!typed) {
    return tl::unexpected(typed.error());
  }
  if (!*typed) {
    return fail(Errc::invalid_input,
                "no terminal to ask for the token on: pipe it in with --stdin");
  }
  std::string text((*typed)->view());
  return token_from_line(std::move(text));
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    out += (out.empty() ? "" : ", ") + item;
  }
  return out;
}

// "as octocat" where the forge names the account, "as GitLab user 3" where it gives only
// its number; empty when it says neither.
std::string signed_in_as(const TokenCheck& checked) {
  if (!checked.info.user.empty()) {
    return " as " + checked.info.user;
  }
  if (!checked.info.user_id.empty()) {
    return " as " +
           std::string(forge::facts(checked.forge.kind) != nullptr
                           ? forge::facts(checked.forge.kind)->title
                           : "forge") +
           " user " + checked.info.user_id;
  }
  return {};
}

// The credentials the host held for this URL before: the one the new token replaces
// (same username) and the others, which git may still pick.
struct Neighbours {
  bool replaced = false;
  std::vector<std::string> others; // their credential URLs
};

Neighbours neighbours_of(store::Store& store, const store::Record& record) {
  Neighbours out;
  Result<std::vector<store::Record>> records = store.list(store::Query{});
  if (!records) {
    trace("cannot list what the store held for " + record.host + ": " + records.error().message);
    return out;
  }
  for (const store::Record& held : *records) {
    if (held.protocol != record.protocol || held.host != record.host || held.path != record.path) {
      continue;
    }
    if (store::same_credential(held, record)) {
      out.replaced = true;
    } else {
      out.others.push_back(record_url(held));
    }
  }
  return out;
}

std::string login_summary(const store::Record& record, std::string_view store_name,
                          const TokenCheck& checked, const Neighbours& neighbours) {
  std::string text;
  if (checked.verdict == Verdict::described) {
    text = "signed in to " + record.host + signed_in_as(checked) + ": ";
  }
  text += "stored ";
  text += record.token_name.empty() ? "the token" : "token '" + record.token_name + "'";
  text += " for " + record_url(record) + " in " + std::string(store_name);
  if (record.expires_at) {
    const std::int64_t days = calendar_days(now_seconds(), *record.expires_at);
    text += "; it expires on " + format_date(*record.expires_at) + " (" + std::to_string(days) +
            (days == 1 ? " day)" : " days)");
  } else if (record.kind == store::Kind::pat) {
    text += "; it does not expire";
  } else {
    text += "; its expiry is unknown";
  }
  if (!record.scopes.empty()) {
    std::string scopes;
    for (const std::string& scope : record.scopes) {
      scopes += (scopes.empty() ? "" : ",") + scope;
    }
    text += "; scopes " + scopes;
  }
  if (neighbours.replaced) {
    text += "; it replaced the token stored for " + record_url(record) + " before";
  }
  if (!neighbours.others.empty()) {
    text += "; also stored for " + record.host + ": " + joined(neighbours.others);
  }
  return text;
}

// What login says of a token the forge refused; nothing of it is kept.
std::string refusal(const store::Record& record, const TokenCheck& checked) {
  std::string why;
  switch (checked.info.state) {
  case forge::TokenState::expired:
    why = "it has expired";
    break;
  case forge::TokenState::revoked:
    why = "it was revoked";
    break;
  default:
    why = "it does not know it (mistyped, or deleted)";
    break;
  }
  std::string text =
      record.host + " refused the token: " + why + "; nothing was stored. Check the token";
  const std::string link =
      forge::renewal_link(checked.forge.kind, record.protocol, record.host, record.token_name, {});
  return text + (link.empty() ? " or create a new one" : " or create a new one at " + link);
}

// The device flow signs in; the username is the forge's OAuth one unless given.
int login_oauth(const Config& config, Credential request,
                const std::optional<std::string>& username) {
  if (username) {
    request.username = *username;
  }
  Result<std::unique_ptr<store::Store>> store =
      open_persistent_store(config, credential_url(request));
  if (!store) {
    return failed(store.error());
  }
  Result<store::Record> record = oauth_login(config, **store, request);
  if (!record) {
    return failed(record.error());
  }
  TokenCheck signed_in;
  signed_in.verdict = Verdict::not_described;
  say(login_summary(*record, (*store)->name(), signed_in, Neighbours{}));
  return 0;
}

} // namespace

Result<LoginArgs> parse_login_args(const Parsed& args) {
  LoginArgs out;
  out.url = std::string(args.operands.at(0));
  out.username = username_option(args);
  out.from_stdin = args.has("--stdin");
  out.oauth = args.has("--oauth");
  if (out.oauth && out.from_stdin) {
    return tl::unexpected(usage_error(*args.command, "--oauth reads no token: drop --stdin"));
  }
  return out;
}

std::optional<std::string> default_username(forge::ForgeKind kind) {
  const forge::ForgeFacts* row = forge::facts(kind);
  return row == nullptr ? std::nullopt : std::optional<std::string>(row->token_username);
}

Result<Secret> token_from_line(std::string text) {
  text.resize(std::min(text.find('\n'), text.size()));
  if (!text.empty() && text.back() == '\r') {
    text.pop_back();
  }
  if (text.find_first_not_of(" \t") == std::string::npos) {
    wipe(text);
    return fail(Errc::invalid_input, "no token was given");
  }
  return Secret(std::move(text));
}

int run_login(const Parsed& args) {
  Result<LoginArgs> parsed = parse_login_args(args);
  if (!parsed) {
    return failed(parsed.error());
  }
  Result<Credential> target = url_argument(*args.command, parsed->url);
  if (!target) {
    return failed(target.error());
  }
  Result<Config> config = Config::load();
  if (!config) {
    return failed(config.error());
  }
  Credential request = std::move(*target);
  if (parsed->oauth) {
    return login_oauth(*config, std::move(request), parsed->username);
  }
  if (parsed->username) {
    request.username = *parsed->username;
  }
  // A host already known to be no forge needs a username before a token is typed for it.
  const std::string plain_url = credential_url(request);
  const forge::Forge known = forge_for(*config, plain_url, request.protocol, request.host);
  const bool asked_before =
      !config->value(Setting::forge, plain_url).empty() ||
      recall_host(request.protocol, request.host) == forge::HostAnswer{forge::HostAnswer::neither};
  if (request.username.empty() && known.kind == forge::ForgeKind::none && asked_before) {
    return failed(Error{Errc::usage, request.host +
                                         " is not known as GitLab or GitHub: give --username "
                                         "(or set patrol.<url>.forge)"});
  }
  if (request.username.empty() && known.kind != forge::ForgeKind::none) {
    request.username = default_username(known.kind).value_or("");
  }
  Result<std::unique_ptr<store::Store>> store = open_persistent_store(*config, plain_url);
  if (!store) {
    return failed(store.error());
  }
  store::Record record;
  record.protocol = request.protocol;
  record.host = request.host;
  record.path = request.path;
  record.username = request.username;
  Result<Secret> token = read_token(*parsed, record_url(record));
  if (!token) {
    return failed(token.error());
  }
  request.password = std::move(*token);
  record.secret = request.password;
  TokenCheck checked;
  {
    const Waiting waiting("checking the token at " + request.host);
    checked = check_new_token(*config, record, request, person_timeouts(*config, plain_url));
  }
  if (checked.verdict == Verdict::refused) {
    say_error(refusal(record, checked));
    return 1;
  }
  if (request.username.empty()) {
    std::optional<std::string> fallback = default_username(checked.forge.kind);
    if (!fallback) {
      const std::string why = checked.verdict == Verdict::unanswered
                                  ? request.host + " did not answer (" + checked.why + ")"
                                  : checked.why;
      return failed(Error{Errc::invalid_input, why + ", so which user the token is for is not "
                                                     "known; nothing was stored: give --username"});
    }
    request.username = std::move(*fallback);
    record.username = request.username;
  }
  const Neighbours neighbours = neighbours_of(**store, record);
  if (Result<void> saved = (*store)->save(record); !saved) {
    return failed(saved.error());
  }
  switch (checked.verdict) {
  case Verdict::described:
    if (const std::string warning = push_scope_warning(record, checked.forge.kind);
        !warning.empty()) {
      say_warning(warning);
    }
    break;
  case Verdict::unanswered:
    say_warning(did_not_answer(forge::url_authority(plain_url), checked.why,
                               "the token is stored, unchecked; `git credential-patrol check` "
                               "asks again"));
    break;
  case Verdict::not_described:
  case Verdict::no_forge:
    say_warning("the token could not be checked: " + checked.why +
                "; it is stored, its "
                "expiry unknown");
    break;
  case Verdict::refused:
    break;
  }
  say(login_summary(record, (*store)->name(), checked, neighbours));
  return 0;
}

} // namespace patrol::helper
