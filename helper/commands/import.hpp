#pragma once
// `git credential-patrol import [--from store-file|libsecret] [--dry-run] [--remove-source]
// [FILE]`: moves credentials kept by git-credential-store (FILE, else ~/.git-credentials
// and $XDG_CONFIG_HOME/git/credentials) or by git-credential-libsecret into the store
// patrol uses. Nothing is lost: the source is changed only with --remove-source, and then
// only for credentials now in the destination. --dry-run shows what would move, never a
// secret.
#include "helper/commands/commands.hpp"

namespace patrol::helper {

int run_import(const Parsed& args);

} // namespace patrol::helper
