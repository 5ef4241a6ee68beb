#include "helper/commands/configure.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/text.hpp"
#include "helper/commands/command_line.hpp"
#include "helper/git/credential_url.hpp"
#include "helper/git/git_command.hpp"
#include "helper/git/protocol.hpp"
#include "helper/messages.hpp"

namespace patrol::helper {
namespace {

struct Target {
  std::string scope = "--global";
  std::string key = "credential.helper";
};

// --global or --system, and --url; nullopt after reporting a usage error.
std::optional<Target> parse_target(const Parsed& args) {
  Target target;
  if (args.has("--global") && args.has("--system")) {
    report(usage_error(*args.command, "--global and --system are one or the other"));
    return std::nullopt;
  }
  if (args.has("--system")) {
    target.scope = "--system";
  }
  if (const std::optional<std::string_view> url = args.value("--url")) {
    target.key = "credential." + std::string(*url) + ".helper";
  }
  if (!args.has("--oauth") && !args.operands.empty()) {
    report(too_many_arguments(*args.command, args.operands[0]));
    return std::nullopt;
  }
  return target;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      end = text.size();
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// The values of the key in that one file, in file order.
Result<std::vector<std::string>> values(const Target& target) {
  Result<GitOutput> got = run_git({"config", target.scope, "--get-all", target.key});
  if (!got) {
    return tl::unexpected(got.error());
  }
  if (got->status == 1) {
    return std::vector<std::string>();
  }
  if (got->status != 0) {
    return fail(Errc::config, "git config cannot read " + target.key + ": " +
                                  lines_of(got->err).front() + "; fix that file first");
  }
  return lines_of(got->out);
}

// The file the scope names, as the user knows it ("~/.gitconfig").
std::string file_of(const Target& target) {
  Result<GitOutput> got =
      run_git({"config", target.scope, "--show-origin", "--get-all", target.key});
  std::string file = target.scope == "--system" ? "the system git config" : "~/.gitconfig";
  if (got && got->status == 0 && got->out.starts_with("file:")) {
    file = got->out.substr(5, got->out.find('\t') - 5);
  }
  const char* home = std::getenv("HOME");
  if (home != nullptr && *home != '\0' && file.starts_with(std::string(home) + "/")) {
    file = std::string("~").append(file, std::string(home).size());
  }
  return file;
}

// Where configure's pair starts in the file's values, or npos.
std::size_t pair_at(const std::vector<std::string>& list) {
  for (std::size_t i = 0; i + 1 < list.size(); ++i) {
    if (list[i].empty() && list[i + 1] == "patrol") {
      return i;
    }
  }
  return std::string::npos;
}

Result<void> git_config(const Target& target, std::vector<std::string> args) {
  args.insert(args.begin(), {"config", target.scope});
  Result<GitOutput> got = run_git(args);
  if (!got) {
    return tl::unexpected(got.error());
  }
  if (got->status != 0) {
    const std::vector<std::string> err = lines_of(got->err);
    return fail(Errc::config,
                "git config could not change " + target.key + ": " +
                    (err.empty() ? "exit " + std::to_string(got->status) : err.front()));
  }
  return {};
}

// git runs `credential.helper=patrol` as `git credential-patrol`, which it looks for in its
// exec path and on PATH: a helper configured but not found there fails every git call.
void warn_unless_git_finds_patrol() {
  if (find_git_program("git-credential-patrol")) {
    return;
  }
  std::error_code error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  const std::string fix = error ? "install it (cmake --install BUILD_DIR)"
                                : "add " + self.parent_path().string() +
                                      " to PATH or install it (cmake --install BUILD_DIR)";
  say_warning("git will not find git-credential-patrol: it is neither on PATH nor in "
              "`git --exec-path`; " +
              fix);
}

// `configure --oauth URL CLIENT_ID [CLIENT_SECRET]`: the OAuth application's id (and the
// secret a forge's refresh grant asks for) for URL's host alone, as the trust rules want:
// patrol.https://HOST.oauthClientId, never an unscoped patrol.oauthClientId.
int configure_oauth(const Parsed& args, const std::string& scope) {
  const Command& command = *args.command;
  const std::vector<std::string_view>& words = args.operands;
  if (args.has("--url")) {
    return failed(usage_error(command, "--oauth names its URL itself: drop --url"));
  }
  if (words.size() < 2) {
    return failed(missing_argument(command, words.empty() ? "URL" : "CLIENT_ID"));
  }
  Result<Credential> target = url_argument(command, words[0]);
  if (!target) {
    return failed(target.error());
  }
  const auto plain = [](std::string_view value) {
    return !value.empty() && value.find_first_of(" \t\r\n") == std::string_view::npos;
  };
  if (!plain(words[1]) || (words.size() == 3 && !plain(words[2]))) {
    return failed(usage_error(command, "a client id or secret is one word"));
  }
  const std::string origin = credential_origin(*target);
  const Target id{scope, "patrol." + origin + ".oauthClientId"};
  trace("configure " + id.key + " " + scope);
  if (Result<void> set = git_config(id, {id.key, std::string(words[1])}); !set) {
    return failed(set.error());
  }
  say("set " + id.key + "=" + shown(words[1]) + " in " + file_of(id));
  if (words.size() == 3) {
    const Target secret{scope, "patrol." + origin + ".oauthClientSecret"};
    if (Result<void> set = git_config(secret, {secret.key, std::string(words[2])}); !set) {
      return failed(set.error());
    }
    say("set " + secret.key + " (not shown) in " + file_of(secret));
  }
  say("next: git credential-patrol login --oauth " + origin + " (or just git clone)");
  return 0;
}

} // namespace

int run_configure(const Parsed& args) {
  const std::optional<Target> target = parse_target(args);
  if (!target) {
    return usage_exit_code;
  }
  if (args.has("--oauth")) {
    return configure_oauth(args, target->scope);
  }
  trace("configure " + target->key + " " + target->scope);
  Result<std::vector<std::string>> before = values(*target);
  if (!before) {
    return failed(before.error());
  }
  if (pair_at(*before) != std::string::npos) {
    say(target->key + " is already patrol in " + file_of(*target) + "; nothing changed");
    warn_unless_git_finds_patrol();
    return 0;
  }
  for (const std::string value : {"", "patrol"}) {
    if (Result<void> added = git_config(*target, {"--add", target->key, value}); !added) {
      return failed(added.error());
    }
    say("set " + target->key + "=" + value +
        (value.empty() ? " (forget helpers from files read before it)" : "") + " in " +
        file_of(*target));
  }
  warn_unless_git_finds_patrol();
  return 0;
}

int run_unconfigure(const Parsed& args) {
  const std::optional<Target> target = parse_target(args);
  if (!target) {
    return usage_exit_code;
  }
  trace("unconfigure " + target->key + " " + target->scope);
  Result<std::vector<std::string>> before = values(*target);
  if (!before) {
    return failed(before.error());
  }
  const std::size_t at = pair_at(*before);
  if (at == std::string::npos) {
    say(target->key + " holds no helper configure added in " + file_of(*target) +
        "; nothing changed");
    return 0;
  }
  const std::string file = file_of(*target);
  std::size_t empties = 0;
  std::size_t patrols = 0;
  for (const std::string& value : *before) {
    empties += value.empty() ? 1U : 0U;
    patrols += value == "patrol" ? 1U : 0U;
  }
  if (empties == 1 && patrols == 1) {
    // Each value is the only one of its kind: remove those two lines and touch no other.
    for (const std::string pattern : {"^patrol$", "^$"}) {
      if (Result<void> removed = git_config(*target, {"--unset", target->key, pattern}); !removed) {
        return failed(removed.error());
      }
    }
  } else {
    // Repeated values: git can only unset them all, so the others go back in their order.
    std::vector<std::string> after = *before;
    after.erase(after.begin() + static_cast<std::ptrdiff_t>(at),
                after.begin() + static_cast<std::ptrdiff_t>(at) + 2);
    if (Result<void> removed = git_config(*target, {"--unset-all", target->key}); !removed) {
      return failed(removed.error());
    }
    for (const std::string& value : after) {
      if (Result<void> added = git_config(*target, {"--add", target->key, value}); !added) {
        return failed(added.error());
      }
    }
  }
  say("removed " + target->key + "=patrol in " + file);
  say("removed " + target->key + "= (the reset before it) in " + file);
  return 0;
}

} // namespace patrol::helper
