#include "helper/commands/commands.hpp"

#include <array>

#include "helper/commands/check.hpp"
#include "helper/commands/configure.hpp"
#include "helper/commands/diagnose.hpp"
#include "helper/commands/import.hpp"
#include "helper/commands/login.hpp"
#include "helper/commands/logout.hpp"
#include "helper/commands/rotate.hpp"
#include "helper/commands/status.hpp"
#include "helper/commands/unlock.hpp"
#include "helper/lifecycle/refresh.hpp"
#include "helper/operations/git_ops.hpp"

namespace patrol::helper {
namespace {

constexpr std::array<Option, 0> no_options{};

constexpr std::array status_options{
    Option{"--json", "", "", "the same as JSON, for scripts"},
};
constexpr std::array check_options{
    Option{"--days", "", "N", "a token expiring within N days counts (default patrol.warnDays)"},
    Option{"--json", "", "", "every token with its state, as JSON"},
    Option{"--offline", "", "", "judge from what is stored; ask no forge"},
};
constexpr std::array rotate_options{
    Option{"--expires-at", "", "YYYY-MM-DD", "the new token's expiry"},
};
constexpr std::array login_options{
    Option{"--username", "", "NAME", "store the token under NAME (default: the forge's)"},
    Option{"--stdin", "", "", "read the token from one line of stdin, not the terminal"},
    Option{"--oauth", "", "", "sign in with OAuth in a browser instead of typing a token"},
};
constexpr std::array logout_options{
    Option{"--username", "", "NAME", "forget only NAME's credential"},
};
constexpr std::array refresh_options{
    Option{"--holding-lock", "", "", "the credential's lock is handed over on a descriptor"},
};
constexpr std::array import_options{
    Option{"--from", "", "store-file|libsecret",
           "copy from git-credential-store's file (default) or from git-credential-libsecret"},
    Option{"--dry-run", "-n", "", "say what would be copied; copy nothing"},
    Option{"--remove-source", "", "", "remove what was copied from where it came from"},
};
constexpr std::array configure_options{
    Option{"--global", "", "", "change ~/.gitconfig (the default)"},
    Option{"--system", "", "", "change the system git config"},
    Option{"--url", "", "URL", "only for URL: credential.URL.helper"},
    Option{"--oauth", "", "", "set URL's OAuth application (CLIENT_ID, CLIENT_SECRET) instead"},
};
constexpr std::array unconfigure_options{
    Option{"--global", "", "", "change ~/.gitconfig (the default)"},
    Option{"--system", "", "", "change the system git config"},
    Option{"--url", "", "URL", "only for URL: credential.URL.helper"},
};
constexpr std::array diagnose_options{
    Option{"--probe", "", "", "also ask the forge's API whether it answers"},
};

constexpr std::array table{
    Command{"get", "", "print the stored credential matching the request on stdin", true,
            no_options, "", 0, 0, run_get},
    Command{"store", "", "keep the credential on stdin", true, no_options, "", 0, 0, run_store},
    Command{"erase", "", "forget the credential matching the request on stdin", true, no_options,
            "", 0, 0, run_erase},
    Command{"capability", "", "list the protocol capabilities patrol speaks (git 2.46+)", true,
            no_options, "", 0, 0, run_capability},
    Command{"status", " [--json]",
            "stored tokens: host, user, token name, expiry, days left, scopes, last checked", false,
            status_options, "", 0, 0, run_status},
    Command{"check", " [--days N] [--json] [--offline]",
            "exit 0 all fine, 1 a token expires within N days, 2 one is expired or revoked, "
            "3 one could not be checked",
            false, check_options, "", 0, 0, run_check},
    Command{"rotate", " URL [--expires-at YYYY-MM-DD]",
            "rotate a GitLab token and store the new one", false, rotate_options, "URL", 1, 1,
            run_rotate},
    Command{"login", " URL [--username NAME] [--stdin | --oauth]",
            "store a token typed on the terminal (or one line of stdin), or sign in with OAuth",
            false, login_options, "URL", 1, 1, run_login},
    Command{"logout", " URL [--username NAME]", "forget the stored credentials for URL", false,
            logout_options, "URL", 1, 1, run_logout},
    Command{"refresh", " [--holding-lock] URL",
            "(started by get) look a stale stored token up at its forge again", true,
            refresh_options, "URL", 1, 1, run_refresh},
    Command{"unlock", "", "unlock the encrypted file store for this login session", false,
            no_options, "", 0, 0, run_unlock},
    Command{"lock", "", "lock the encrypted file store again", false, no_options, "", 0, 0,
            run_lock},
    Command{"import", " [--from store-file|libsecret] [--dry-run] [--remove-source] [FILE]",
            "copy credentials from git-credential-store or -libsecret into patrol's store "
            "(a copy: the source keeps them unless --remove-source)",
            false, import_options, "FILE", 0, 1, run_import},
    Command{"configure",
            " [--global | --system] [--url URL | --oauth URL CLIENT_ID [CLIENT_SECRET]]",
            "make git use patrol (credential.helper), showing each change", false,
            configure_options, "URL CLIENT_ID CLIENT_SECRET", 0, 3, run_configure},
    Command{"unconfigure", " [--global | --system] [--url URL]",
            "remove exactly what configure added", false, unconfigure_options, "", 0, 0,
            run_unconfigure},
    Command{"diagnose", " [--probe] [URL]",
            "what git and patrol will do for URL, and why; changes nothing", false,
            diagnose_options, "URL", 0, 1, run_diagnose},
};

} // namespace

bool Parsed::has(std::string_view name) const { return value(name).has_value(); }

std::optional<std::string_view> Parsed::value(std::string_view name) const {
  std::optional<std::string_view> found;
  for (const auto& [option, given] : options) {
    if (option == name) {
      found = given;
    }
  }
  return found;
}

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
