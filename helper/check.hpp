#pragma once
// `git credential-patrol check [--days N] [--json] [--offline]`, for cron and CI: asks each
// token's forge about it (unless --offline), then exits 2 when a token is expired, revoked
// or unknown to its forge, 1 when one expires within N days (default patrol.warnDays),
// 0 otherwise. Prints one line per token in trouble, or every token with --json.
#include "helper/commands.hpp"

namespace patrol::helper {

int run_check(const Parsed& args);

} // namespace patrol::helper
