#pragma once
// patrol's settings: git config section "patrol", URL-scoped exactly like http.<url>.*,
// read once per process (helper/git/config_sources.hpp, config_parameters.hpp) with the
// answers of `git config --get-urlmatch patrol <url>` (config_urlmatch.hpp), then PATROL_*
// environment overrides.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.hpp"
#include "helper/git/config_entry.hpp"

namespace patrol::helper {

// Where a setting may apply. An endpoint or a client id decides where a token is sent, so
// it is honoured only when the user scoped it to a host (patrol.https://HOST.apiUrl): an
// unscoped one, or an environment variable, would send every host's token to one place.
enum class Scope { any, host };

// Every setting, in the order of the table (helper/config_keys.cpp): code asks for a
// setting by this handle, so a misspelt one does not compile instead of reading as unset.
enum class Setting {
  store,
  filePath,
  filePassphraseFile,
  fileCredential,
  fileUnlockTimeout,
  forge,
  apiUrl,
  warnDays,
  warnEvery,
  recheckInterval,
  forgeTimeout,
  autoRotate,
  oauth,
  oauthClientId,
  oauthClientSecret,
  oauthScopes,
  oauthDeviceAuthUrl,
  oauthTokenUrl,
  oauthRevocationUrl,
  oauthBrowser,
};

// The table of settings: code, --help and the docs read it.
struct ConfigKey {
  Setting setting;
  std::string_view name;          // as in git config, e.g. "store" for patrol.store
  std::string_view env;           // the overriding environment variable, e.g. PATROL_STORE;
                                  // for Scope::host the variable that is refused
  std::string_view default_value; // as text
  std::string_view help;          // one line
  Scope scope = Scope::any;
  bool secret = false; // its value is never shown (diagnose, traces)
};

std::span<const ConfigKey> config_keys();
// The setting's row in the table.
const ConfigKey& config_key(Setting setting);
// The setting a user's name stands for, compared as git compares names (case-insensitively).
std::optional<Setting> setting_named(std::string_view name);

class Config {
public:
  Config() = default; // no settings at all
  // Reads system, XDG, global, repository (when run inside one) and command-line
  // (GIT_CONFIG_PARAMETERS, GIT_CONFIG_COUNT/KEY_n/VALUE_n) configuration, honouring
  // GIT_CONFIG_NOSYSTEM, GIT_CONFIG_SYSTEM, GIT_CONFIG_GLOBAL and GIT_DIR, and keeps the
  // patrol.* and credential.* entries (http.* ones on demand, see http()). A file git would
  // reject is an Errc::config error naming it. The files are read by patrol's own reader
  // (helper/git/config_file.hpp); libgit2 (which costs milliseconds to start) only for an
  // [includeIf], a file the reader leaves to git, or a repository config that could hold
  // one of the sections.
  static Result<Config> load();
  // For tests: entries given as (full key, value) pairs in the order git would read them.
  static Config from_entries(std::vector<std::pair<std::string, std::string>> entries);

  // patrol.<key> for this URL as `git config --get-urlmatch patrol.<key> <url>` answers,
  // overridden by the key's environment variable when set and non-empty; else nullopt (no
  // default). A key written without '=' reads as "true", as
  // git reads it as a boolean. A URL git cannot parse matches only unscoped settings.
  // A Scope::host key answers only from a setting scoped to a host without '*' wildcards;
  // anything else set for it is refused with one warning line (see refusal()).
  [[nodiscard]] std::optional<std::string> get(Setting key, std::string_view url) const;
  // For a Scope::host key: the one line saying why what is set for url is not used (its
  // environment variable, or a setting not scoped to a host), or nullopt.
  [[nodiscard]] std::optional<std::string> refusal(Setting key, std::string_view url) const;
  // Like get(), falling back to the table's default.
  [[nodiscard]] std::string value(Setting key, std::string_view url) const;
  // Every patrol.* setting in effect for url, as `git config --get-urlmatch patrol <url>`
  // lists them (names lower-cased as git prints them), without environment overrides.
  // A key written without '=' has the value "" here.
  [[nodiscard]] std::vector<std::pair<std::string, std::string>>
  all_for(std::string_view url) const;
  // git's credential.interactive (git >= 2.46): false, or "never", forbids asking a person
  // anything (no device flow, no passphrase or token prompt); anything else allows it.
  // git passes `-c credential.interactive=...` down to its helpers itself.
  [[nodiscard]] bool interactive() const;
  // The exact text `git config --get-urlmatch patrol <url>` prints: "name value" lines,
  // a key written without '=' as its name alone.
  [[nodiscard]] std::string listing_for(std::string_view url) const;

  // git's http.<key> for this URL as `git config --get-urlmatch http.<key> <url>` answers
  // (no environment here: the caller applies git's precedence), or nullopt. load() does
  // not read http.* entries: the first call does (through libgit2 only when a file has an
  // [http or [include section), so get's hot path never pays for them. An error is a
  // file git would reject.
  [[nodiscard]] Result<std::optional<std::string>> http(std::string_view key,
                                                        std::string_view url) const;
  // The text `git config --get-urlmatch http <url>` prints.
  [[nodiscard]] Result<std::string> http_listing_for(std::string_view url) const;

  using Entry = ConfigEntry;

private:
  explicit Config(std::vector<Entry> entries) : entries_(std::move(entries)) {}
  const Result<std::vector<Entry>>& http_entries() const;
  std::vector<Entry> entries_;
  // Read on first use after load(); from_entries() and Config() have them at once. A flag
  // rather than an optional<expected<...>>, which GCC 12 thinks moved uninitialised.
  mutable bool http_read_ = true;
  mutable Result<std::vector<Entry>> http_entries_ = std::vector<Entry>();
};

} // namespace patrol::helper
