#include "helper/configure.hpp"

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "helper/git_command.hpp"
#include "helper/messages.hpp"

namespace patrol::helper {
namespace {

constexpr std::string_view usage = "usage: git credential-patrol %s [--global | --system] [--url URL]";

struct Target {
  std::string scope = "--global";
  std::string key = "credential.helper";
};

std::string usage_for(std::string_view command) {
  std::string text(usage);
  text.replace(text.find("%s"), 2, command);
  return text;
}

std::optional<Target> parse_target(std::string_view command, Args args) {
  Target target;
  bool scoped = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if ((arg == "--global" || arg == "--system") && !scoped) {
      target.scope = std::string(arg);
      scoped = true;
    } else if (arg == "--url" && i + 1 < args.size() && !args[i + 1].empty()) {
      target.key = "credential." + std::string(args[++i]) + ".helper";
    } else if (arg.starts_with("--url=") && arg.size() > 6) {
      target.key = "credential." + std::string(arg.substr(6)) + ".helper";
    } else {
      say_error("unexpected argument '" + std::string(arg) + "'; " + usage_for(command));
      return std::nullopt;
    }
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
  Result<GitOutput> got = run_git({"config", target.scope, "--show-origin", "--get-all", target.key});
  std::string file = target.scope == "--system" ? "the system git config" : "~/.gitconfig";
  if (got && got->status == 0 && got->out.starts_with("file:")) {
    file = got->out.substr(5, got->out.find('\t') - 5);
  }
  const char* home = std::getenv("HOME");
  if (home != nullptr && *home != '\0' && file.starts_with(std::string(home) + "/")) {
    file = "~" + file.substr(std::string(home).size());
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
    return fail(Errc::config, "git config could not change " + target.key + ": " +
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
              "`git --exec-path`; " + fix);
}

int failed(const Error& error) {
  report(error);
  return exit_code(error);
}

} // namespace

int run_configure(Args args) {
  const std::optional<Target> target = parse_target("configure", args);
  if (!target) {
    return 2;
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

int run_unconfigure(Args args) {
  const std::optional<Target> target = parse_target("unconfigure", args);
  if (!target) {
    return 2;
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
      if (Result<void> removed = git_config(*target, {"--unset", target->key, pattern});
          !removed) {
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
