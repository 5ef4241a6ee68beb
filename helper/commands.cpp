#include "helper/commands.hpp"

#include <array>

#include "helper/check.hpp"
#include "helper/configure.hpp"
#include "helper/diagnose.hpp"
#include "helper/git_ops.hpp"
#include "helper/import.hpp"
#include "helper/login.hpp"
#include "helper/refresh.hpp"
#include "helper/rotate.hpp"
#include "helper/status.hpp"
#include "helper/unlock.hpp"

namespace patrol::helper {
namespace {

constexpr std::array table{
    Command{"get", "", "print the stored credential matching the request on stdin", true, run_get},
    Command{"store", "", "keep the credential on stdin", true, run_store},
    Command{"erase", "", "forget the credential matching the request on stdin", true, run_erase},
    Command{"capability", "", "list the protocol capabilities patrol speaks (git 2.46+)", true,
            run_capability},
    Command{"status", " [--json]",
            "stored tokens: host, user, token name, expiry, days left, scopes, last checked",
            false, run_status},
    Command{"check", " [--days N] [--json] [--offline]",
            "exit 0 all fine, 1 a token expires within N days, 2 one is expired or revoked, "
            "3 one could not be checked",
            false, run_check},
    Command{"rotate", " URL [--expires-at DATE]",
            "rotate a GitLab token and store the new one", false, run_rotate},
    Command{"login", " URL [--username NAME] [--stdin | --oauth]",
            "store a token typed on the terminal (or one line of stdin), or sign in with OAuth",
            false,
            run_login},
    Command{"logout", " URL [--username NAME]", "forget the stored credentials for URL",
            false, run_logout},
    Command{"refresh", "", "(started by get) look a stale stored token up at its forge again",
            true, run_refresh},
    Command{"unlock", "", "unlock the encrypted file store for this login session", false,
            run_unlock},
    Command{"lock", "", "lock the encrypted file store again", false, run_lock},
    Command{"import", " [--from store-file|libsecret] [--dry-run] [--remove-source] [FILE]",
            "move credentials from git-credential-store or -libsecret into patrol's store",
            false, run_import},
    Command{"configure", " [--global | --system] [--url URL | --oauth URL CLIENT_ID [CLIENT_SECRET]]",
            "make git use patrol (credential.helper), showing each change", false,
            run_configure},
    Command{"unconfigure", " [--global | --system] [--url URL]",
            "remove exactly what configure added", false, run_unconfigure},
    Command{"diagnose", " [--probe] [URL]",
            "what git and patrol will do for URL, and why; changes nothing", false,
            run_diagnose},
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
