#include "helper/config.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <span>

#include <unistd.h>

#include "common/ascii.hpp"
#include "common/git_bool.hpp"
#include "helper/config_file.hpp"
#include "helper/libgit2_library.hpp"
#include "helper/messages.hpp"
#include "helper/url_match.hpp"

namespace patrol::helper {
namespace {

constexpr std::string_view patrol_section = "patrol";
constexpr std::string_view http_section = "http";
// What get needs: patrol's settings and git's credential.interactive.
constexpr std::string_view load_sections[] = {"patrol", "credential"};
constexpr std::string_view http_sections[] = {"http"};

using Sections = std::span<const std::string_view>;

// Whether name ("section.rest") is in one of the sections, compared as git compares
// section names (case-insensitively; libgit2 gives them lower-cased).
bool in_sections(std::string_view name, Sections sections);

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

bool in_sections(std::string_view name, Sections sections) {
  for (std::string_view section : sections) {
    if (name.size() > section.size() && name[section.size()] == '.' &&
        iequals_ascii(name.substr(0, section.size()), section)) {
      return true;
    }
  }
  return false;
}

// ---- choosing the values in effect for a URL: git's urlmatch_config_entry ----

struct Candidate {
  UrlMatch match;
  std::optional<std::string> value;
  bool names_host = false; // scoped to a URL whose host has no '*' label
};

bool names_host(const NormalizedUrl &pattern) {
  return pattern.host_off != 0 && pattern.host_len != 0 &&
         std::string_view(pattern.text).substr(pattern.host_off, pattern.host_len).find('*') ==
             std::string_view::npos;
}

// Key (lower-case, without "patrol.") -> the most specific value for url; a std::map
// because git lists keys sorted.
std::map<std::string, Candidate> settings_for(const std::vector<Config::Entry> &entries,
                                              std::string_view section, std::string_view url,
                                              std::optional<std::string_view> only_key) {
  const Result<NormalizedUrl> target = normalize_url(url);
  std::map<std::string, Candidate> chosen;
  for (const Config::Entry &entry : entries) {
    const std::string_view name = entry.name;
    if (name.size() <= section.size() + 1 || name[section.size()] != '.' ||
        !iequals_ascii(name.substr(0, section.size()), section)) {
      continue;
    }
    std::string_view key = name.substr(section.size() + 1);
    UrlMatch match;
    bool scoped_to_host = false;
    const std::size_t dot = key.rfind('.');
    if (dot != std::string_view::npos) {
      if (!target) {
        continue;
      }
      const Result<NormalizedUrl> pattern = normalize_url_pattern(key.substr(0, dot));
      if (!pattern) {
        continue;
      }
      const std::optional<UrlMatch> found = match_url(*target, *pattern);
      if (!found) {
        continue;
      }
      match = *found;
      scoped_to_host = names_host(*pattern);
      key = key.substr(dot + 1);
    }
    std::string lower_key = to_ascii_lower(key);
    if (only_key && lower_key != *only_key) {
      continue;
    }
    Candidate candidate{match, entry.value, scoped_to_host};
    auto [it, inserted] = chosen.try_emplace(std::move(lower_key), candidate);
    // Equally specific: the later entry wins, as in git.
    if (!inserted && compare_specificity(match, it->second.match) >= 0) {
      it->second = std::move(candidate);
    }
  }
  return chosen;
}

// ---- command-line configuration: git's config.c, git_config_from_parameters ----

bool is_key_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-'; }

// git_config_parse_key: section and name lower-cased and checked, subsection kept.
Result<std::string> canonical_key(std::string_view key) {
  if (key.empty()) {
    return fail(Errc::config, "empty config key in the command-line configuration");
  }
  const std::size_t last_dot = key.rfind('.');
  if (last_dot == std::string_view::npos || last_dot == 0) {
    return fail(Errc::config, "key does not contain a section: " + std::string(key));
  }
  if (last_dot + 1 == key.size()) {
    return fail(Errc::config, "key does not contain variable name: " + std::string(key));
  }
  std::string out(key);
  bool seen_dot = false;
  for (std::size_t i = 0; i < out.size(); ++i) {
    seen_dot = seen_dot || out[i] == '.';
    if (!seen_dot || i > last_dot) {
      if (!is_key_char(out[i]) ||
          (i == last_dot + 1 && std::isalpha(static_cast<unsigned char>(out[i])) == 0)) {
        return fail(Errc::config, "invalid key: " + std::string(key));
      }
      out[i] = ascii_lower(out[i]);
    } else if (out[i] == '\n') {
      return fail(Errc::config, "invalid key (newline): " + std::string(key));
    }
  }
  return out;
}

Result<void> add_pair(std::vector<Config::Entry> &out, std::string_view key,
                      std::optional<std::string> value) {
  Result<std::string> name = canonical_key(key);
  if (!name) {
    return tl::unexpected(name.error());
  }
  out.push_back(Config::Entry{std::move(*name), std::move(value)});
  return {};
}

// One shell single-quoted word at text[pos] ('a'\''b' style); pos ends after it.
std::optional<std::string> sq_dequote_step(std::string_view text, std::size_t &pos) {
  if (pos >= text.size() || text[pos] != '\'') {
    return std::nullopt;
  }
  std::string out;
  ++pos;
  for (;;) {
    if (pos >= text.size()) {
      return std::nullopt;
    }
    const char c = text[pos++];
    if (c != '\'') {
      out += c;
      continue;
    }
    // Out of the quotes: \' or \! resumes them, anything else ends the word.
    if (pos + 2 < text.size() && text[pos] == '\\' &&
        (text[pos + 1] == '\'' || text[pos + 1] == '!') && text[pos + 2] == '\'') {
      out += text[pos + 1];
      pos += 3;
      continue;
    }
    return out;
  }
}

tl::unexpected<Error> bogus_parameters() {
  return fail(Errc::config, "bogus format in GIT_CONFIG_PARAMETERS");
}

// An old-style 'key=value' word: split at the first '=', the key trimmed.
Result<void> add_old_style(std::vector<Config::Entry> &out, std::string_view text) {
  std::optional<std::string> value;
  std::string_view key = text;
  const std::size_t eq = text.find('=');
  if (eq != std::string_view::npos) {
    key = text.substr(0, eq);
    value = std::string(text.substr(eq + 1));
  }
  while (!key.empty() && is_space(key.front())) {
    key.remove_prefix(1);
  }
  while (!key.empty() && is_space(key.back())) {
    key.remove_suffix(1);
  }
  if (key.empty()) {
    return fail(Errc::config, "bogus config parameter in GIT_CONFIG_PARAMETERS");
  }
  return add_pair(out, key, std::move(value));
}

Result<void> parse_parameters(std::vector<Config::Entry> &out, std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::optional<std::string> key = sq_dequote_step(text, pos);
    if (!key) {
      return bogus_parameters();
    }
    if (pos == text.size() || is_space(text[pos])) {
      if (Result<void> added = add_old_style(out, *key); !added) {
        return added;
      }
    } else if (text[pos] == '=') {
      ++pos;
      std::optional<std::string> value;
      if (pos < text.size() && text[pos] == '\'') {
        value = sq_dequote_step(text, pos);
        if (!value || (pos < text.size() && !is_space(text[pos]))) {
          return bogus_parameters();
        }
      } else if (pos < text.size() && !is_space(text[pos])) {
        return bogus_parameters();
      }
      if (Result<void> added = add_pair(out, *key, std::move(value)); !added) {
        return added;
      }
    } else {
      return bogus_parameters();
    }
    while (pos < text.size() && is_space(text[pos])) {
      ++pos;
    }
  }
  return {};
}

Result<void> read_command_line(std::vector<Config::Entry> &out) {
  if (const char *count_text = std::getenv("GIT_CONFIG_COUNT")) {
    char *end = nullptr;
    errno = 0;
    const unsigned long count = std::strtoul(count_text, &end, 10);
    if (*end != '\0') {
      return fail(Errc::config, "bogus count in GIT_CONFIG_COUNT");
    }
    if (count > INT_MAX || errno == ERANGE) {
      return fail(Errc::config, "too many entries in GIT_CONFIG_COUNT");
    }
    for (unsigned long i = 0; i < count; ++i) {
      const std::string key_var = "GIT_CONFIG_KEY_" + std::to_string(i);
      const std::string value_var = "GIT_CONFIG_VALUE_" + std::to_string(i);
      const char *key = std::getenv(key_var.c_str());
      if (key == nullptr) {
        return fail(Errc::config, "missing config key " + key_var);
      }
      const char *value = std::getenv(value_var.c_str());
      if (value == nullptr) {
        return fail(Errc::config, "missing config value " + value_var);
      }
      if (Result<void> added = add_pair(out, key, std::string(value)); !added) {
        return added;
      }
    }
  }
  if (const char *parameters = std::getenv("GIT_CONFIG_PARAMETERS")) {
    return parse_parameters(out, parameters);
  }
  return {};
}

// ---- configuration files through libgit2 ----

// git_env_bool: an unset variable is the fallback, a value git would refuse an error.
Result<bool> env_bool(const char *name, bool fallback) {
  const char *text = std::getenv(name);
  if (text == nullptr) {
    return fallback;
  }
  if (const std::optional<bool> value = parse_git_bool(text)) {
    return *value;
  }
  return fail(Errc::config, "bad boolean value '" + std::string(text) + "' for " + name);
}

std::optional<std::string> env_path(const char *name) {
  const char *value = std::getenv(name);
  return value == nullptr ? std::nullopt : std::optional<std::string>(value);
}

// read_files() loads libgit2 before anything here calls it.
const Libgit2 &git2() { return **libgit2_library(); }

struct ConfigDeleter {
  void operator()(git_config *config) const { git2().config_free(config); }
};
struct RepositoryDeleter {
  void operator()(git_repository *repository) const { git2().repository_free(repository); }
};
using ConfigPtr = std::unique_ptr<git_config, ConfigDeleter>;
using RepositoryPtr = std::unique_ptr<git_repository, RepositoryDeleter>;

// libgit2 lives only as long as load() runs.
class Libgit2Session {
public:
  Libgit2Session() { git2().init(); }
  ~Libgit2Session() { git2().shutdown(); }
  Libgit2Session(const Libgit2Session &) = delete;
  Libgit2Session &operator=(const Libgit2Session &) = delete;
};

std::string last_git_error() {
  const git_error *error = git2().error_last();
  return error != nullptr && error->message != nullptr ? error->message : "unknown error";
}

// Reads one file (and what it includes); a file git would reject is an error naming it.
Result<ConfigPtr> open_file(const std::string &path, git_config_level_t level,
                            const git_repository *repository) {
  git_config *raw = nullptr;
  if (git2().config_new(&raw) < 0) {
    return fail(Errc::config, "cannot read git configuration: " + last_git_error());
  }
  ConfigPtr config(raw);
  if (git2().config_add_file_ondisk(config.get(), path.c_str(), level, repository, 0) < 0) {
    return fail(Errc::config, "bad git configuration file " + path + ": " + last_git_error());
  }
  return config;
}

// Appends the file's patrol.* entries and returns it for further questions; an unreadable
// file is skipped as git skips it (a null config).
Result<ConfigPtr> read_file(std::vector<Config::Entry> &out, Sections sections,
                            const std::string &path, git_config_level_t level,
                            const git_repository *repository) {
  if (path.empty() || access(path.c_str(), R_OK) != 0) {
    return ConfigPtr();
  }
  Result<ConfigPtr> config = open_file(path, level, repository);
  if (!config) {
    return config;
  }
  // A plain iterator filtered here: libgit2's glob iterator leaks its regex match data.
  git_config_iterator *iterator = nullptr;
  if (git2().config_iterator_new(&iterator, config->get()) < 0) {
    return fail(Errc::config, "bad git configuration file " + path + ": " + last_git_error());
  }
  git_config_entry *entry = nullptr;
  int status = 0;
  while ((status = git2().config_next(&entry, iterator)) == 0) {
    if (!in_sections(entry->name, sections)) {
      continue;
    }
    out.push_back(Config::Entry{entry->name, entry->value == nullptr
                                                 ? std::nullopt
                                                 : std::optional<std::string>(entry->value)});
  }
  git2().config_iterator_free(iterator);
  if (status != GIT_ITEROVER) {
    return fail(Errc::config, "bad git configuration file " + path + ": " + last_git_error());
  }
  return config;
}

Result<void> read_file_into(std::vector<Config::Entry> &out, Sections sections,
                            const std::string &path,
                            git_config_level_t level, const git_repository *repository) {
  Result<ConfigPtr> config = read_file(out, sections, path, level, repository);
  if (!config) {
    return tl::unexpected(config.error());
  }
  return {};
}

// The repository git would use from here: GIT_DIR, else discovery from the current
// directory bounded by GIT_CEILING_DIRECTORIES. None (or one git would not trust) is no
// repository, as for git outside one.
Result<RepositoryPtr> open_repository() {
  // Extensions git 2.39 knows; libgit2 refuses to open a repository naming others, and
  // only configuration is read here.
  static const char *extensions[] = {"noop",         "noop-v1",        "preciousobjects",
                                     "partialclone", "worktreeconfig", "objectformat"};
  git2().opts(GIT_OPT_SET_EXTENSIONS, extensions, std::size(extensions));
  unsigned int flags = 0;
  std::string start = ".";
  const char *ceilings = std::getenv("GIT_CEILING_DIRECTORIES");
  if (const char *git_dir = std::getenv("GIT_DIR")) {
    start = git_dir;
    flags |= GIT_REPOSITORY_OPEN_NO_SEARCH | GIT_REPOSITORY_OPEN_NO_DOTGIT;
    ceilings = nullptr;
  }
  Result<bool> across = env_bool("GIT_DISCOVERY_ACROSS_FILESYSTEM", false);
  if (!across) {
    return tl::unexpected(across.error());
  }
  if (*across) {
    flags |= GIT_REPOSITORY_OPEN_CROSS_FS;
  }
  git_repository *raw = nullptr;
  if (git2().repository_open_ext(&raw, start.c_str(), flags, ceilings) < 0) {
    git2().error_clear();
    return RepositoryPtr();
  }
  return RepositoryPtr(raw);
}

std::string in_dir(std::string dir, std::string_view file) {
  if (!dir.ends_with('/')) {
    dir += '/';
  }
  return dir += file;
}

// The repository's config, then its worktree's config.worktree when
// extensions.worktreeConfig says so.
Result<void> read_repository(std::vector<Config::Entry> &out, Sections sections,
                             const git_repository *repository) {
  Result<ConfigPtr> local =
      read_file(out, sections, in_dir(git2().repository_commondir(repository), "config"),
                GIT_CONFIG_LEVEL_LOCAL, repository);
  if (!local) {
    return tl::unexpected(local.error());
  }
  int worktree_config = 0;
  if (!*local ||
      git2().config_get_bool(&worktree_config, local->get(), "extensions.worktreeconfig") < 0) {
    git2().error_clear();
    return {};
  }
  if (worktree_config == 0) {
    return {};
  }
  return read_file_into(out, sections, in_dir(git2().repository_path(repository), "config.worktree"),
                        GIT_CONFIG_LEVEL_APP, repository);
}

// ---- the files git would read, and a cheap look at them first ----

struct Sources {
  std::optional<std::string> system;
  std::string xdg;
  std::string global;
};

Result<Sources> sources() {
  Sources out;
  Result<bool> no_system = env_bool("GIT_CONFIG_NOSYSTEM", false);
  if (!no_system) {
    return tl::unexpected(no_system.error());
  }
  if (!*no_system) {
    out.system = env_path("GIT_CONFIG_SYSTEM").value_or("/etc/gitconfig");
  }
  // GIT_CONFIG_GLOBAL replaces both ~/.gitconfig and the XDG file.
  if (std::optional<std::string> chosen = env_path("GIT_CONFIG_GLOBAL")) {
    out.global = *chosen;
    return out;
  }
  const char *home = std::getenv("HOME");
  const char *xdg_home = std::getenv("XDG_CONFIG_HOME");
  if (xdg_home != nullptr && *xdg_home != '\0') {
    out.xdg = std::string(xdg_home) + "/git/config";
  } else if (home != nullptr) {
    out.xdg = std::string(home) + "/.config/git/config";
  }
  if (home != nullptr) {
    out.global = std::string(home) + "/.gitconfig";
  }
  return out;
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         iequals_ascii(text.substr(0, prefix.size()), prefix);
}

// Whether a config file could hold an entry of the sections: a "[patrol" (or "[http")
// section header or an "[include" that could bring one. "helper = patrol" alone does not
// count.
bool may_hold(std::string_view text, Sections sections) {
  for (std::size_t at = text.find('['); at != std::string_view::npos; at = text.find('[', at + 1)) {
    std::string_view rest = text.substr(at + 1);
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) {
      rest.remove_prefix(1);
    }
    if (starts_with_ignoring_case(rest, "include")) {
      return true;
    }
    for (std::string_view section : sections) {
      if (starts_with_ignoring_case(rest, section)) {
        return true;
      }
    }
  }
  return false;
}


bool file_may_hold(const std::string &path, Sections sections) {
  return !path.empty() && may_hold(slurp(path).value_or(""), sections);
}

std::string read_first_line(const std::filesystem::path &path) {
  std::string text = slurp(path.string()).value_or(""); // git skips what it cannot read
  text.resize(std::min(text.find('\n'), text.size()));
  return text;
}

// Every repository config file git could read from here: a superset of what discovery
// finds (no ceilings, no filesystem boundaries), so that skipping libgit2 is safe.
std::vector<std::filesystem::path> repository_candidates() {
  namespace fs = std::filesystem;
  std::vector<fs::path> git_dirs;
  std::error_code error;
  if (const char *git_dir = std::getenv("GIT_DIR")) {
    git_dirs.emplace_back(fs::absolute(git_dir, error));
  } else {
    fs::path dir = fs::current_path(error);
    while (!error && !dir.empty()) {
      const fs::path dot_git = dir / ".git";
      std::error_code missing;
      const fs::file_status status = fs::status(dot_git, missing);
      if (fs::is_directory(status)) {
        git_dirs.push_back(dot_git);
      } else if (fs::is_regular_file(status)) {
        const std::string line = read_first_line(dot_git);
        if (line.starts_with("gitdir: ")) {
          git_dirs.push_back(dir / line.substr(8));
        }
      }
      git_dirs.push_back(dir); // a bare repository, or inside a .git directory
      if (dir == dir.parent_path()) {
        break;
      }
      dir = dir.parent_path();
    }
  }
  std::vector<fs::path> out;
  for (const fs::path &git_dir : git_dirs) {
    out.push_back(git_dir / "config");
    out.push_back(git_dir / "config.worktree");
    const std::string common = read_first_line(git_dir / "commondir");
    if (!common.empty()) {
      out.push_back(git_dir / common / "config");
    }
  }
  return out;
}

bool any_repository_file_may_hold(Sections sections) {
  for (const std::filesystem::path &path : repository_candidates()) {
    if (file_may_hold(path.string(), sections)) {
      return true;
    }
  }
  return false;
}

Result<void> read_files(std::vector<Config::Entry> &entries, Sections sections,
                        const Sources &files) {
  if (Result<const Libgit2 *> loaded = libgit2_library(); !loaded) {
    return tl::unexpected(loaded.error());
  }
  Libgit2Session session;
  Result<RepositoryPtr> repository = open_repository();
  if (!repository) {
    return tl::unexpected(repository.error());
  }
  const git_repository *repo = repository->get();
  if (files.system) {
    if (Result<void> read = read_file_into(entries, sections, *files.system, GIT_CONFIG_LEVEL_SYSTEM, repo);
        !read) {
      return read;
    }
  }
  if (Result<void> read = read_file_into(entries, sections, files.xdg, GIT_CONFIG_LEVEL_XDG, repo); !read) {
    return read;
  }
  if (Result<void> read = read_file_into(entries, sections, files.global, GIT_CONFIG_LEVEL_GLOBAL, repo);
      !read) {
    return read;
  }
  if (repo != nullptr) {
    return read_repository(entries, sections, repo);
  }
  return {};
}

// The system, XDG and global files through patrol's own reader (helper/config_file.hpp);
// false when one of them needs libgit2 (an [includeIf], or text git would refuse).
bool read_user_files(std::vector<Config::Entry> &entries, Sections sections,
                     const Sources &files) {
  std::vector<ConfigFileEntry> found;
  for (const std::string *path : {files.system ? &*files.system : nullptr, &files.xdg, &files.global}) {
    if (path != nullptr && read_config_file(*path, sections, found) != ConfigFileRead::done) {
      return false;
    }
  }
  for (ConfigFileEntry &entry : found) {
    entries.push_back(Config::Entry{std::move(entry.name), std::move(entry.value)});
  }
  return true;
}

// The entries of the sections from the files, then every command-line entry (settings_for
// picks the section's).
Result<std::vector<Config::Entry>> read_all(Sections sections) {
  Result<Sources> files = sources();
  if (!files) {
    return tl::unexpected(files.error());
  }
  std::vector<Config::Entry> entries;
  // Starting libgit2 costs more than everything else here (it loads the TLS trust store):
  // the user's files are read by patrol's own reader, and libgit2 is started only for an
  // [includeIf], a file git would refuse, or a repository whose config could hold one of
  // the sections (libgit2 finds the repository as git does, ownership checks included).
  if (!read_user_files(entries, sections, *files) || any_repository_file_may_hold(sections)) {
    entries.clear();
    if (Result<void> read = read_files(entries, sections, *files); !read) {
      return tl::unexpected(read.error());
    }
  }
  if (Result<void> read = read_command_line(entries); !read) {
    return tl::unexpected(Error{Errc::config, "cannot parse the command-line configuration: " +
                                                  read.error().message});
  }
  return entries;
}

// The text `git config --get-urlmatch <section> <url>` prints: "name value" lines, a key
// written without '=' as its name alone.
std::string listing(const std::vector<Config::Entry> &entries, std::string_view section,
                    std::string_view url) {
  std::string out;
  for (auto &[key, candidate] : settings_for(entries, section, url, std::nullopt)) {
    out += std::string(section) + "." + key;
    if (candidate.value) {
      out += ' ' + *candidate.value;
    }
    out += '\n';
  }
  return out;
}

} // namespace

std::optional<Setting> setting_named(std::string_view name) {
  for (const ConfigKey &key : config_keys()) {
    if (iequals_ascii(key.name, name)) {
      return key.setting;
    }
  }
  return std::nullopt;
}

Result<Config> Config::load() {
  Result<std::vector<Entry>> entries = read_all(load_sections);
  if (!entries) {
    return tl::unexpected(entries.error());
  }
  Result<Config> config(Config(std::move(*entries)));
  config->http_read_ = false; // read by the first http() question
  return config;
}

Config Config::from_entries(std::vector<std::pair<std::string, std::string>> entries) {
  std::vector<Entry> out;
  out.reserve(entries.size());
  for (auto &[name, value] : entries) {
    out.push_back(Entry{std::move(name), std::move(value)});
  }
  Config config(std::move(out));
  config.http_entries_ = config.entries_;
  return config;
}

namespace {

const char *set_env(std::string_view name) {
  const char *value = name.empty() ? nullptr : std::getenv(std::string(name).c_str());
  return value != nullptr && *value != '\0' ? value : nullptr;
}

// A refused setting is said once per process, however often it is asked for.
void warn_once(const std::string &message) {
  static std::set<std::string> said;
  if (said.insert(message).second) {
    say_warning(message);
  }
}

// "patrol.https://HOST.apiUrl" spelled for url's own origin, as advice.
std::string scoped_name(std::string_view key, std::string_view url) {
  std::string origin = "https://HOST";
  if (const Result<NormalizedUrl> parsed = normalize_url(url); parsed && parsed->host_off != 0) {
    origin = parsed->text.substr(0, parsed->path_off);
  }
  return "patrol." + origin + "." + std::string(key);
}

} // namespace

std::optional<std::string> Config::refusal(Setting setting, std::string_view url) const {
  const ConfigKey &key = config_key(setting);
  if (key.scope != Scope::host) {
    return std::nullopt;
  }
  const std::string advice = " could send one host's token to another; scope it instead: "
                             "git config --global " +
                             scoped_name(key.name, url) + " VALUE";
  if (set_env(key.env) != nullptr) {
    return std::string(key.env) + " is ignored: applying to every host, it" + advice;
  }
  const std::string name = to_ascii_lower(key.name);
  const auto chosen = settings_for(entries_, patrol_section, url, name);
  const auto it = chosen.find(name);
  if (it != chosen.end() && !it->second.names_host) {
    return "patrol." + std::string(key.name) + " is ignored: not scoped to one host, it" + advice;
  }
  return std::nullopt;
}

std::optional<std::string> Config::get(Setting setting, std::string_view url) const {
  const ConfigKey &key = config_key(setting);
  const std::string name = to_ascii_lower(key.name);
  if (key.scope == Scope::any) {
    if (const char *override_value = set_env(key.env)) {
      return std::string(override_value);
    }
  }
  std::map<std::string, Candidate> chosen = settings_for(entries_, patrol_section, url, name);
  const auto it = chosen.find(name);
  if (key.scope == Scope::host) {
    if (const std::optional<std::string> refused = refusal(setting, url)) {
      warn_once(*refused);
    }
    if (it == chosen.end() || !it->second.names_host) {
      return std::nullopt;
    }
  }
  if (it == chosen.end()) {
    return std::nullopt;
  }
  return it->second.value.value_or("true");
}

std::string Config::value(Setting setting, std::string_view url) const {
  const ConfigKey &key = config_key(setting);
  if (std::optional<std::string> found = get(setting, url)) {
    if (tracing()) {
      trace("setting patrol." + std::string(key.name) + "=" +
            (key.secret ? traced_secret(*found) : *found) + " for " + std::string(url));
    }
    return *found;
  }
  return std::string(key.default_value);
}

std::vector<std::pair<std::string, std::string>> Config::all_for(std::string_view url) const {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto &[key, candidate] : settings_for(entries_, patrol_section, url, std::nullopt)) {
    out.emplace_back(std::string(patrol_section) + "." + key, candidate.value.value_or(""));
  }
  return out;
}

bool Config::interactive() const {
  std::optional<std::string> last;
  for (const Entry &entry : entries_) {
    if (iequals_ascii(entry.name, "credential.interactive")) {
      last = entry.value.value_or("true");
    }
  }
  if (!last) {
    return true;
  }
  return to_ascii_lower(*last) != "never" && parse_git_bool(*last).value_or(true);
}

std::string Config::listing_for(std::string_view url) const {
  return listing(entries_, patrol_section, url);
}

const Result<std::vector<Config::Entry>> &Config::http_entries() const {
  if (!http_read_) {
    http_entries_ = read_all(http_sections);
    http_read_ = true;
  }
  return http_entries_;
}

Result<std::optional<std::string>> Config::http(std::string_view key,
                                                std::string_view url) const {
  const Result<std::vector<Entry>> &entries = http_entries();
  if (!entries) {
    return tl::unexpected(entries.error());
  }
  const std::string name = to_ascii_lower(key);
  std::map<std::string, Candidate> chosen = settings_for(*entries, http_section, url, name);
  const auto it = chosen.find(name);
  if (it == chosen.end()) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(it->second.value.value_or("true"));
}

Result<std::string> Config::http_listing_for(std::string_view url) const {
  const Result<std::vector<Entry>> &entries = http_entries();
  if (!entries) {
    return tl::unexpected(entries.error());
  }
  return listing(*entries, http_section, url);
}

} // namespace patrol::helper
