#pragma once
// Runs `git ARGS...` and collects what it prints: for the user commands that ask git or
// write through git's own config writer (configure, diagnose), never for get/store/erase.
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace patrol::helper {

struct GitOutput {
  int status = 0;  // git's exit status
  std::string out; // its stdout
  std::string err; // its stderr
};

// An error only when git could not be started or did not exit normally.
Result<GitOutput> run_git(const std::vector<std::string>& args);

// Where git finds the program NAME (`git-credential-patrol`): in `git --exec-path`, then on
// PATH, as git looks for a helper named without a path.
std::optional<std::string> find_git_program(const std::string& name);

} // namespace patrol::helper
