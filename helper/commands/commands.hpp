#pragma once
// The command table: the operations git runs and the commands people run, each with its
// options and arguments. Parsing, --help and every usage error are written from it
// (helper/commands/command_line.hpp), so no command parses its own argv.
#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace patrol::helper {

using Args = std::span<const std::string_view>;

struct Option {
  std::string_view name;  // "--json"
  std::string_view alias; // "-n", or empty
  std::string_view value; // what the value is called ("N") when it takes one, else empty
  std::string_view help;  // one line, for --help
};

struct Command;

// A command line checked against its command's entry: options by their long name, and
// the operands (the words that are not options) in order.
struct Parsed {
  const Command* command = nullptr;
  std::vector<std::pair<std::string_view, std::string_view>> options; // name, value
  std::vector<std::string_view> operands;
  bool help = false; // --help or -h was given: nothing else was looked at

  [[nodiscard]] bool has(std::string_view name) const;
  // The value given last (`--days 3 --days 5` is 5), or nullopt when not given.
  [[nodiscard]] std::optional<std::string_view> value(std::string_view name) const;
};

struct Command {
  std::string_view name;
  std::string_view synopsis; // arguments after the name, for the usage line
  std::string_view summary;  // one line, for --help
  bool for_git;              // an operation of the credential protocol
  std::span<const Option> options;
  std::string_view operands; // their names in order, for "missing argument" ("URL")
  std::size_t min_operands;
  std::size_t max_operands;
  int (*run)(const Parsed& args); // returns the exit code
};

std::span<const Command> commands();
const Command* find_command(std::string_view name);

} // namespace patrol::helper
