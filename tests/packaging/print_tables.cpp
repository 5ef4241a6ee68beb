// Prints the command table and the settings table, one entry a line, for the test that
// checks the man page and the completions against them.
#include <cstdio>
#include <string>

#include "helper/commands/commands.hpp"
#include "helper/git/config.hpp"

int main() {
  std::string out;
  for (const patrol::helper::Command& command : patrol::helper::commands()) {
    out += "command " + std::string(command.name) + (command.for_git ? " git\n" : " people\n");
  }
  for (const patrol::helper::ConfigKey& key : patrol::helper::config_keys()) {
    out += "key " + std::string(key.name) + " " + std::string(key.env) +
           (key.scope == patrol::helper::Scope::host ? " host\n" : " any\n");
  }
  std::fputs(out.c_str(), stdout);
  return 0;
}
