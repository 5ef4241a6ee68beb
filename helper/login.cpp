#include "helper/login.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <memory>
#include <utility>
#include <vector>

#include <unistd.h>

#include "common/civil_time.hpp"
#include "common/text.hpp"
#include "helper/command_line.hpp"
#include "helper/config.hpp"
#include "helper/credential_url.hpp"
#include "helper/lifecycle.hpp"
#include "helper/messages.hpp"
#include "helper/oauth_fallback.hpp"
#include "helper/protocol.hpp"
#include "helper/store_choice.hpp"
#include "helper/token_lookup.hpp"
#include "helper/token_watch.hpp"
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

int failed(const Error& error) {
  report(error);
  return exit_code(error);
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

std::string login_summary(const store::Record& record, std::string_view store_name) {
  std::string text = "stored ";
  text += record.token_name.empty() ? "the token" : "token '" + record.token_name + "'";
  text += " for " + record_url(record) + " in " + std::string(store_name);
  if (record.expires_at) {
    const std::int64_t days = calendar_days(now_seconds(), *record.expires_at);
    text += "; it expires on " + format_date(*record.expires_at) + " (" +
            std::to_string(days) + (days == 1 ? " day)" : " days)");
  } else if (record.kind == store::Kind::pat) {
    text += "; it does not expire";
  } else {
    text += "; its expiry is unknown (PATROL_TRACE=1 says why)";
  }
  if (!record.scopes.empty()) {
    std::string scopes;
    for (const std::string& scope : record.scopes) {
      scopes += (scopes.empty() ? "" : ",") + scope;
    }
    text += "; scopes " + scopes;
  }
  return text;
}

// Whether the record is the one a logout of `target` (and perhaps one username) means:
// same protocol and host, the URL's path when it names one, else any.
bool logout_covers(const store::Record& record, const Credential& target,
                   const std::optional<std::string>& username) {
  return record.protocol == target.protocol && record.host == target.host &&
         (target.path.empty() || record.path == target.path) &&
         (!username || record.username == *username);
}

// The device flow signs in; the username is the forge's OAuth one unless given.
int login_oauth(const Config& config, Credential request, const std::optional<std::string>& username) {
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
  say(login_summary(*record, (*store)->name()));
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

Result<LogoutArgs> parse_logout_args(const Parsed& args) {
  LogoutArgs out;
  out.url = std::string(args.operands.at(0));
  out.username = username_option(args);
  return out;
}

std::optional<std::string> default_username(ForgeKind kind) {
  switch (kind) {
  case ForgeKind::gitlab:
    return std::string(store::gitlab_token_username);
  case ForgeKind::github:
    return std::string(store::github_token_username);
  case ForgeKind::none:
    break;
  }
  return std::nullopt;
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
  const Forge forge = forge_for(*config, credential_url(request), request.protocol, request.host);
  if (parsed->username) {
    request.username = *parsed->username;
  } else if (request.username.empty()) {
    std::optional<std::string> fallback = default_username(forge.kind);
    if (!fallback) {
      return failed(Error{Errc::usage,
                          request.host + " is not known as GitLab or GitHub: give --username "
                                         "(or set patrol.<url>.forge)"});
    }
    request.username = std::move(*fallback);
  }
  const std::string url = credential_url(request);
  Result<std::unique_ptr<store::Store>> store = open_persistent_store(*config, url);
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
  // The path of git's `store`: one short lookup at the forge, the push-scope warning.
  on_store(*config, record, request);
  if (Result<void> saved = (*store)->save(record); !saved) {
    return failed(saved.error());
  }
  say(login_summary(record, (*store)->name()));
  return 0;
}

int run_logout(const Parsed& args) {
  Result<LogoutArgs> parsed = parse_logout_args(args);
  if (!parsed) {
    return failed(parsed.error());
  }
  Result<Credential> target = url_argument(*args.command, parsed->url);
  if (!target) {
    return failed(target.error());
  }
  std::optional<std::string> username = parsed->username;
  if (!username && !target->username.empty()) {
    username = target->username;
  }
  Result<Config> config = Config::load();
  if (!config) {
    return failed(config.error());
  }
  Result<std::unique_ptr<store::Store>> store =
      open_persistent_store(*config, credential_url(*target));
  if (!store) {
    return failed(store.error());
  }
  Result<std::vector<store::Record>> records = (*store)->list(store::Query{});
  if (!records) {
    return failed(records.error());
  }
  std::size_t removed = 0;
  for (const store::Record& record : *records) {
    if (!logout_covers(record, *target, username)) {
      continue;
    }
    if (Result<bool> revoked = revoke_if_possible(*config, record); !revoked) {
      say_warning("could not revoke the OAuth token of " + record_url(record) + ": " +
                  revoked.error().message);
    } else if (*revoked) {
      say("revoked the OAuth token of " + record_url(record));
    }
    Result<bool> erased = (*store)->erase(
        store::Query{record.protocol, record.host, record.path, record.username, std::nullopt});
    if (!erased) {
      return failed(erased.error());
    }
    if (*erased) {
      ++removed;
      say("removed " + record_url(record) + " from " + std::string((*store)->name()));
    }
  }
  if (removed == 0) {
    say("nothing stored for " + url_with_scheme(parsed->url) + " in " +
        std::string((*store)->name()));
  }
  return 0;
}

} // namespace patrol::helper
