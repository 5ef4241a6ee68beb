#pragma once
// The command table: the operations git runs and the commands people run. --help is
// written from it.
#include <span>
#include <string_view>

namespace patrol::helper {

using Args = std::span<const std::string_view>;

struct Command {
  std::string_view name;
  std::string_view synopsis; // arguments, for --help
  std::string_view summary;  // one line, for --help
  bool for_git;              // an operation of the credential protocol
  int (*run)(Args args);     // returns the exit code
};

std::span<const Command> commands();
const Command* find_command(std::string_view name);

} // namespace patrol::helper
