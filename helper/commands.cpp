#include "helper/commands.hpp"

#include <array>

#include "helper/git_ops.hpp"
#include "helper/status.hpp"

namespace patrol::helper {
namespace {

constexpr std::array table{
    Command{"get", "", "print the stored credential matching the request on stdin", true, run_get},
    Command{"store", "", "keep the credential on stdin", true, run_store},
    Command{"erase", "", "forget the credential matching the request on stdin", true, run_erase},
    Command{"status", "", "list stored credentials: host, user, store (never a secret)", false,
            run_status},
};

} // namespace

std::span<const Command> commands() { return table; }

const Command* find_command(std::string_view name) {
  for (const Command& command : table) {
    if (command.name == name) {
      return &command;
    }
  }
  return nullptr;
}

} // namespace patrol::helper
