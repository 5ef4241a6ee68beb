#pragma once
// `git credential-patrol logout URL`: forgets the stored credentials for URL (one user's
// with --username), revoking an OAuth token at its forge first where it can be.
#include <optional>
#include <string>

#include "common/result.hpp"
#include "helper/commands/commands.hpp"

namespace patrol::helper {

struct LogoutArgs {
  std::string url;
  std::optional<std::string> username; // only this user's credential
};

// Pure: the arguments the command line gave.
Result<LogoutArgs> parse_logout_args(const Parsed& args);

int run_logout(const Parsed& args);

} // namespace patrol::helper
