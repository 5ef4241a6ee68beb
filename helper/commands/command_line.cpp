#include "helper/commands/command_line.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "helper/git/url_match.hpp"

namespace patrol::helper {
namespace {

constexpr std::string_view program = "git credential-patrol";

bool is_help(std::string_view arg) { return arg == "--help" || arg == "-h"; }

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
// neighbours each count one ("stauts" is one from "status").
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) {
    d[i][0] = i;
  }
  for (std::size_t j = 0; j <= b.size(); ++j) {
    d[0][j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

Error usage(std::string message) { return Error{Errc::usage, std::move(message)}; }

std::string without_userinfo(std::string_view url);

// An argument as a usage error echoes it. A URL's user and password are left out: a URL
// typed in the wrong place may carry a token, which must not reach a terminal's scrollback
// or a cron mail.
std::string quoted(std::string_view text) {
  const std::size_t at = text.find('@');
  const bool userinfo =
      at != std::string_view::npos && (text.find("://") != std::string_view::npos ||
                                       text.substr(0, at).find(':') != std::string_view::npos);
  std::string out = "'";
  out.append(userinfo ? without_userinfo(text) : std::string(text)).push_back('\'');
  return out;
}

const Option* find_option(const Command& command, std::string_view name) {
  for (const Option& option : command.options) {
    if (option.name == name || (!option.alias.empty() && option.alias == name)) {
      return &option;
    }
  }
  return nullptr;
}

Error unknown_option(const Command& command, std::string_view name) {
  std::vector<std::string_view> names;
  for (const Option& option : command.options) {
    names.push_back(option.name);
  }
  std::string text = "unknown option " + quoted(name) + " for " + std::string(command.name);
  if (const std::optional<std::string_view> near = closest(name, names)) {
    return usage(text + "; did you mean " + std::string(*near) + "?");
  }
  return usage_error(command, text);
}

// The name of the operand at `index` in the entry's list ("URL CLIENT_ID ...").
std::string_view operand_name(const Command& command, std::size_t index) {
  std::string_view names = command.operands;
  for (std::size_t i = 0; !names.empty(); ++i) {
    const std::size_t end = std::min(names.find(' '), names.size());
    if (i == index) {
      return names.substr(0, end);
    }
    names.remove_prefix(std::min(end + 1, names.size()));
  }
  return "argument";
}

// The URL as it may be echoed: without a user and password before the host.
std::string without_userinfo(std::string_view url) {
  const std::size_t scheme = url.find("://");
  const std::size_t start = scheme == std::string_view::npos ? 0 : scheme + 3;
  const std::size_t end = std::min(url.find('/', start), url.size());
  const std::size_t at = url.substr(0, end).rfind('@');
  if (at == std::string_view::npos || at < start) {
    return std::string(url);
  }
  return std::string(url.substr(0, start)) + std::string(url.substr(at + 1));
}

} // namespace

std::string usage_line(const Command& command) {
  std::string text = "usage: ";
  text.append(program).push_back(' ');
  text.append(command.name).append(command.synopsis);
  return text;
}

std::string command_help(const Command& command) {
  std::string text = usage_line(command) + "\n\n" + std::string(command.summary) + "\n\noptions:\n";
  const auto add = [&text](std::string_view alias, std::string_view name, std::string_view value,
                           std::string_view help) {
    std::string left = "  ";
    left += alias.empty() ? "    " : std::string(alias) + ", ";
    left.append(name);
    if (!value.empty()) {
      left.append(" ").append(value);
    }
    constexpr std::size_t column = 30;
    left += left.size() + 2 <= column ? std::string(column - left.size(), ' ')
                                      : "\n" + std::string(column, ' ');
    text += left + std::string(help) + '\n';
  };
  for (const Option& option : command.options) {
    add(option.alias, option.name, option.value, option.help);
  }
  add("-h", "--help", "", "show this help");
  return text;
}

Error usage_error(const Command& command, std::string_view what) {
  return usage(std::string(what) + "; " + usage_line(command));
}

Error too_many_arguments(const Command& command, std::string_view first_extra) {
  return usage_error(command, "too many arguments for " + std::string(command.name) + ": " +
                                  quoted(first_extra));
}

Error missing_argument(const Command& command, std::string_view which) {
  return usage_error(command, "missing argument " + std::string(which) + " for " +
                                  std::string(command.name));
}

Error bad_value(const Command& command, std::string_view option, std::string_view value,
                std::string_view wanted) {
  return usage_error(command, std::string(option) + " for " + std::string(command.name) +
                                  " must be " + std::string(wanted) + ", not " + quoted(value));
}

Result<Parsed> parse_command_line(const Command& command, Args args) {
  Parsed parsed;
  parsed.command = &command;
  // -h anywhere before "--" asks for help, whatever else the line holds.
  for (const std::string_view arg : args) {
    if (arg == "--") {
      break;
    }
    if (is_help(arg)) {
      parsed.help = true;
      return parsed;
    }
  }
  bool options_done = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (options_done || arg == "-" || !arg.starts_with('-')) {
      parsed.operands.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_done = true;
      continue;
    }
    const std::size_t equals = arg.starts_with("--") ? arg.find('=') : std::string_view::npos;
    const std::string_view name = arg.substr(0, equals);
    const Option* option = find_option(command, name);
    if (option == nullptr) {
      return tl::unexpected(unknown_option(command, name));
    }
    if (option->value.empty()) {
      if (equals != std::string_view::npos) {
        return tl::unexpected(usage_error(command, "option " + quoted(option->name) + " for " +
                                                       std::string(command.name) +
                                                       " takes no value"));
      }
      parsed.options.emplace_back(option->name, std::string_view());
      continue;
    }
    std::string_view value;
    if (equals != std::string_view::npos) {
      value = arg.substr(equals + 1);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    }
    if (value.empty()) {
      return tl::unexpected(usage_error(command, "option " + quoted(option->name) + " for " +
                                                     std::string(command.name) + " needs a value " +
                                                     std::string(option->value)));
    }
    parsed.options.emplace_back(option->name, value);
  }
  if (parsed.operands.size() > command.max_operands) {
    return tl::unexpected(too_many_arguments(command, parsed.operands[command.max_operands]));
  }
  if (parsed.operands.size() < command.min_operands) {
    return tl::unexpected(missing_argument(command, operand_name(command, parsed.operands.size())));
  }
  return parsed;
}

std::optional<std::string_view> closest(std::string_view word,
                                        std::span<const std::string_view> candidates) {
  std::optional<std::string_view> best;
  std::size_t best_distance = 0;
  for (const std::string_view candidate : candidates) {
    const std::string_view core =
        candidate.substr(std::min(candidate.find_first_not_of('-'), candidate.size()));
    const std::size_t allowed = core.size() <= 4 ? 1 : 2;
    const std::size_t distance = edit_distance(word, candidate);
    if (distance != 0 && distance <= allowed && (!best || distance < best_distance)) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

std::optional<Error> unknown_command(std::string_view name, bool has_arguments,
                                     bool request_on_stdin) {
  if (name.starts_with('-')) {
    constexpr std::array<std::string_view, 2> global{"--help", "--version"};
    const std::optional<std::string_view> near = closest(name, global);
    return usage("unknown option " + quoted(name) + "; " +
                 (near ? "did you mean " + std::string(*near) + "?"
                       : "see " + std::string(program) + " --help"));
  }
  std::vector<std::string_view> names{"help", "version"};
  for (const Command& command : commands()) {
    names.push_back(command.name);
  }
  const std::optional<std::string_view> near = closest(name, names);
  if (near) {
    return usage("unknown command " + quoted(name) + "; did you mean " + std::string(*near) + "?");
  }
  if (has_arguments || !request_on_stdin) {
    return usage("unknown command " + quoted(name) + "; see " + std::string(program) + " --help");
  }
  return std::nullopt;
}

std::string url_with_scheme(std::string_view text) {
  if (text.find("://") != std::string_view::npos) {
    return std::string(text);
  }
  return "https://" + std::string(text);
}

Result<Credential> url_argument(const Command& command, std::string_view text) {
  const std::string url = url_with_scheme(text);
  Result<Credential> target = parse("url=" + url + "\n");
  // git's own reading of the URL too: it refuses what the lenient protocol parser takes
  // (a space in the host), which would otherwise end up in a config key.
  if (!target || target->protocol.empty() || target->host.empty() || !normalize_url(url)) {
    return tl::unexpected(
        bad_value(command, "URL", without_userinfo(text), "a URL like https://gitlab.example.com"));
  }
  if (!target->password.empty()) {
    return tl::unexpected(usage_error(
        command, "the URL must not hold a password or token: the command line is visible to "
                 "every user of this machine"));
  }
  return target;
}

} // namespace patrol::helper
