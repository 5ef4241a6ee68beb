#include "helper/app.hpp"

#include <cstdio>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

#include "helper/commands.hpp"
#include "helper/config.hpp"
#include "helper/messages.hpp"
#include "store/registry.hpp"

namespace patrol::helper {
namespace {

void print_help() {
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
              ", default " + std::string(key.default_value) + ")";
    }
    text += "\n      " + std::string(key.help) + '\n';
  }
  std::fputs(text.c_str(), stdout);
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

} // namespace

int run(int argc, char** argv) {
  if (argc < 2) {
    print_help();
    return 2;
  }
  const std::string_view name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    print_help();
    return 0;
  }
  if (name == "--version" || name == "version") {
    print_version();
    return 0;
  }
  const Command* command = find_command(name);
  if (command == nullptr) {
    // git may run operations newer than us: they are ignored silently. A person at a
    // terminal who mistyped gets told.
    if (isatty(STDIN_FILENO) == 1) {
      say_error("unknown command '" + std::string(name) + "'; see git credential-patrol --help");
      return 2;
    }
    return 0;
  }
  const std::vector<std::string_view> args(argv + 2, argv + argc);
  trace("git-credential-patrol " PATROL_VERSION ": command " + std::string(name) + " with " +
        std::to_string(args.size()) + " argument(s)");
  const TraceTimer timer("command " + std::string(name));
  return command->run(args);
}

} // namespace patrol::helper
