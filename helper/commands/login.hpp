#pragma once
// `git credential-patrol login URL`: a person stores a token by hand (read from the
// terminal with echo off, or one line of stdin; never from argv), checked at its forge
// first (helper/lifecycle/token_check.hpp). `logout` is helper/commands/logout.hpp.
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "common/secret.hpp"
#include "forge/recognise.hpp"
#include "helper/commands/commands.hpp"

namespace patrol::helper {

struct LoginArgs {
  std::string url;
  std::optional<std::string> username; // --username NAME
  bool from_stdin = false;             // --stdin
  bool oauth = false;                  // --oauth: the device flow instead of a typed token
};

// Pure: the arguments the command line gave, or an Errc::usage error saying what is wrong.
Result<LoginArgs> parse_login_args(const Parsed& args);

// The username a token is stored under when neither --username nor the URL names one: the
// name the env store answers for that forge's tokens; nullopt for an unknown forge.
std::optional<std::string> default_username(forge::ForgeKind kind);

// The token from one line of text (the first line; a trailing CR dropped), or an error
// when it is empty.
Result<Secret> token_from_line(std::string text);

int run_login(const Parsed& args);

} // namespace patrol::helper
