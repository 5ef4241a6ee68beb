#include "helper/app.hpp"

#include <cerrno>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

#include "helper/commands/command_line.hpp"
#include "helper/commands/commands.hpp"
#include "helper/git/config.hpp"
#include "helper/messages.hpp"
#include "store/registry.hpp"

namespace patrol::helper {
namespace {

void print_help(std::FILE* to) {
  std::string text;
  text += "usage: git credential-patrol <command> [<args>]\n"
          "       git credential-patrol --help | --version\n\n"
          "A git credential helper that keeps tokens in the OS keyring. Enable it with\n"
          "  git config --global credential.helper patrol\n\n"
          "Commands for people:\n";
  for (const Command& command : commands()) {
    if (!command.for_git) {
      text += "  " + std::string(command.name) + std::string(command.synopsis) + "\n      " +
              std::string(command.summary) + '\n';
    }
  }
  text += "\nOperations git runs (request on stdin, reply on stdout):\n";
  for (const Command& command : commands()) {
    if (command.for_git) {
      text += "  " + std::string(command.name);
      text.append(14 - command.name.size(), ' ');
      text += std::string(command.summary) + '\n';
    }
  }
  text += "\nSettings (git config patrol.<key>, or patrol.<url>.<key> for one URL):\n";
  for (const ConfigKey& key : config_keys()) {
    if (key.scope == Scope::host) {
      text += "  patrol.<url>." + std::string(key.name) + " (scoped to a host; env " +
              std::string(key.env) + " is refused)";
    } else {
      text += "  patrol." + std::string(key.name) + " (env " + std::string(key.env) +
              (key.default_value.empty() ? "" : ", default " + std::string(key.default_value)) +
              ")";
    }
    text += "\n      " + std::string(key.help) + '\n';
  }
  text += "\n`git credential-patrol help COMMAND` (or COMMAND --help) shows a command's "
          "options.\n";
  std::fputs(text.c_str(), to);
}

void print_version() {
  std::string text = "git-credential-patrol " PATROL_VERSION "\nstores:";
  for (const store::Backend& backend : store::backends()) {
    text += ' ';
    text += backend.name;
  }
  text += '\n';
  std::fputs(text.c_str(), stdout);
}

// Whether stdin holds something other than blanks, as git's request to an operation newer
// than this version does. A terminal is never asked: it would wait for a person.
bool request_on_stdin() {
  if (isatty(STDIN_FILENO) == 1) {
    return false;
  }
  char byte = 0;
  for (;;) {
    const ssize_t got = ::read(STDIN_FILENO, &byte, 1);
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got <= 0) {
      return false;
    }
    if (byte != ' ' && byte != '\t' && byte != '\n' && byte != '\r') {
      return true;
    }
  }
}

} // namespace

int run(int argc, char** argv) {
  if (argc < 2) {
    print_help(stderr);
    return usage_exit_code;
  }
  const std::string_view name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    // `help CMD` is `CMD --help`.
    if (argc > 2 && std::string_view(argv[2]) != "--help" && std::string_view(argv[2]) != "-h") {
      const Command* command = find_command(argv[2]);
      if (command == nullptr) {
        return failed(*unknown_command(argv[2], true, false));
      }
      std::fputs(command_help(*command).c_str(), stdout);
      return 0;
    }
    print_help(stdout);
    return 0;
  }
  if (name == "--version" || name == "version") {
    print_version();
    return 0;
  }
  const Command* command = find_command(name);
  if (command == nullptr) {
    // git may run operations newer than us, with the request on stdin and nothing after
    // the name: those are ignored silently. Anything that looks like a person's command
    // gets the usage error, even from cron where stdin is no terminal.
    if (std::optional<Error> error =
            unknown_command(name, argc > 2, argc == 2 && request_on_stdin())) {
      return failed(*error);
    }
    trace("git-credential-patrol " PATROL_VERSION ": operation " + std::string(name) +
          " is unknown; ignored");
    return 0;
  }
  const std::vector<std::string_view> args(argv + 2, argv + argc);
  Result<Parsed> parsed = parse_command_line(*command, args);
  if (!parsed) {
    return failed(parsed.error());
  }
  if (parsed->help) {
    std::fputs(command_help(*command).c_str(), stdout);
    return 0;
  }
  trace("git-credential-patrol " PATROL_VERSION ": command " + std::string(name) + " with " +
        std::to_string(args.size()) + " argument(s)");
  const TraceTimer timer("command " + std::string(name));
  return command->run(*parsed);
}

} // namespace patrol::helper
