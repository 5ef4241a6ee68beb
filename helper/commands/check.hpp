#pragma once
// `git credential-patrol check [--days N] [--json] [--offline]`, for cron and CI: asks each
// token's forge about it (unless --offline), then gives each token a state and exits with
// the worst one's code, in this order: 2 expired, revoked or unknown to its forge; 1
// expiring within N days (default patrol.warnDays); 3 unchecked (unknown forge, host
// unreachable, no answer; with --offline, never described by its forge); 0 ok. Prints
// one line per token that is not ok, or every token with its state with --json.
#include "helper/commands/commands.hpp"

namespace patrol::helper {

int run_check(const Parsed& args);

} // namespace patrol::helper
