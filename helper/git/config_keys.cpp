#include "helper/git/config.hpp"

#include <array>

namespace patrol::helper {
namespace {

// Names as users write them after "patrol."; git compares them case-insensitively.
constexpr std::array keys{
    ConfigKey{Setting::store, "store", "PATROL_STORE", "auto",
              "Which store keeps credentials: auto, secretservice, or another store that "
              "--version lists"},
    ConfigKey{Setting::filePath, "filePath", "PATROL_FILE_PATH", "",
              "The encrypted file store's file (default "
              "$XDG_DATA_HOME/git-credential-patrol/credentials.enc)"},
    ConfigKey{Setting::filePassphraseFile, "filePassphraseFile", "PATROL_FILE_PASSPHRASE_FILE", "",
              "A file whose first line is the file store's passphrase, to unlock it "
              "without a terminal"},
    ConfigKey{Setting::fileCredential, "fileCredential", "PATROL_FILE_CREDENTIAL", "",
              "A systemd credential name holding the file store's passphrase "
              "($CREDENTIALS_DIRECTORY/<name>)"},
    ConfigKey{Setting::fileUnlockTimeout, "fileUnlockTimeout", "PATROL_FILE_UNLOCK_TIMEOUT", "8h",
              "How long the unlocked file store stays unlocked in the kernel keyring "
              "(seconds, or with s, m, h, d; 0: do not keep it, ask every time)"},
    ConfigKey{Setting::forge, "forge", "PATROL_FORGE", "",
              "Which forge serves this URL: gitlab, github or none (default: known by host, "
              "the gitlab. prefix, or git's wwwauth realm)"},
    ConfigKey{Setting::apiUrl, "apiUrl", "PATROL_API_URL", "",
              "The forge's REST API base, for self-managed instances (default "
              "https://HOST/api/v4 for GitLab, https://HOST/api/v3 for GitHub Enterprise)",
              Scope::host},
    ConfigKey{Setting::warnDays, "warnDays", "PATROL_WARN_DAYS", "14",
              "Warn this many days before a token expires (0: never warn)"},
    ConfigKey{Setting::warnEvery, "warnEvery", "PATROL_WARN_EVERY", "daily",
              "How often git operations repeat a token's expiry warning: daily (once per "
              "UTC day and token), always, or a duration (seconds, or with s, m, h, d)"},
    ConfigKey{Setting::recheckInterval, "recheckInterval", "PATROL_RECHECK_INTERVAL", "24h",
              "Ask the forge about a stored token again, in the background, after this long "
              "(seconds, or with s, m, h, d; never: do not)"},
    ConfigKey{Setting::forgeTimeout, "forgeTimeout", "PATROL_FORGE_TIMEOUT", "30s",
              "How long a command a person runs (login) waits for the forge's answer "
              "(seconds, or with s, m, h); a token typed in is stored even when it runs out"},
    ConfigKey{Setting::autoRotate, "autoRotate", "PATROL_AUTO_ROTATE", "false",
              "Rotate a GitLab token when get finds it inside the warning window"},
    ConfigKey{Setting::oauth, "oauth", "PATROL_OAUTH", "auto",
              "auto: when get finds nothing and a person is at the terminal, sign in with "
              "OAuth's device flow (needs oauthClientId); never: do not"},
    ConfigKey{Setting::oauthClientId, "oauthClientId", "PATROL_OAUTH_CLIENT_ID", "",
              "The OAuth application's client id for this URL (a public client with the "
              "device flow enabled)",
              Scope::host},
    ConfigKey{Setting::oauthClientSecret, "oauthClientSecret", "PATROL_OAUTH_CLIENT_SECRET", "",
              "The OAuth application's client secret, where the forge's refresh grant asks "
              "for it (GitHub); sent only to this host's token endpoint, never shown",
              Scope::host, true},
    ConfigKey{Setting::oauthScopes, "oauthScopes", "PATROL_OAUTH_SCOPES", "",
              "Space-separated OAuth scopes (default GitLab: read_repository "
              "write_repository; GitHub: repo)"},
    ConfigKey{Setting::oauthDeviceAuthUrl, "oauthDeviceAuthUrl", "PATROL_OAUTH_DEVICE_AUTH_URL", "",
              "The device authorization endpoint (default: the forge's, else discovered from "
              "/.well-known/openid-configuration or oauth-authorization-server)",
              Scope::host},
    ConfigKey{Setting::oauthTokenUrl, "oauthTokenUrl", "PATROL_OAUTH_TOKEN_URL", "",
              "The token endpoint (default: the forge's, else discovered)", Scope::host},
    ConfigKey{Setting::oauthRevocationUrl, "oauthRevocationUrl", "PATROL_OAUTH_REVOCATION_URL", "",
              "The RFC 7009 revocation endpoint logout uses (default: GitLab's, else "
              "discovered; none for GitHub)",
              Scope::host},
    ConfigKey{Setting::oauthBrowser, "oauthBrowser", "PATROL_OAUTH_BROWSER", "false",
              "Also open the verification page with xdg-open when a display is present"},
};

// Row i is setting i, so config_key() indexes the table.
constexpr bool rows_in_order() {
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (static_cast<std::size_t>(keys[i].setting) != i) {
      return false;
    }
  }
  return true;
}
static_assert(rows_in_order(), "the settings table lists the settings in Setting's order");
static_assert(keys.size() == static_cast<std::size_t>(Setting::oauthBrowser) + 1,
              "every Setting has a row");

} // namespace

std::span<const ConfigKey> config_keys() { return keys; }

const ConfigKey& config_key(Setting setting) { return keys[static_cast<std::size_t>(setting)]; }

} // namespace patrol::helper
