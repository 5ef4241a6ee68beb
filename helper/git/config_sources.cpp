#include "helper/git/config_sources.hpp"
#include "common/ascii.hpp"

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <unistd.h>

#include "common/git_bool.hpp"
#include "helper/git/config_file.hpp"
#include "helper/git/libgit2_library.hpp"

namespace patrol::helper {
namespace {

// ---- configuration files through libgit2 ----

// git_env_bool: an unset variable is the fallback, a value git would refuse an error.
Result<bool> env_bool(const char* name, bool fallback) {
  const char* text = std::getenv(name);
  if (text == nullptr) {
    return fallback;
  }
  if (const std::optional<bool> value = parse_git_bool(text)) {
    return *value;
  }
  return fail(Errc::config, "bad boolean value '" + std::string(text) + "' for " + name);
}

std::optional<std::string> env_path(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::nullopt : std::optional<std::string>(value);
}

// read_files() loads libgit2 before anything here calls it.
const Libgit2& git2() { return **libgit2_library(); }

struct ConfigDeleter {
  void operator()(git_config* config) const { git2().config_free(config); }
};
struct RepositoryDeleter {
  void operator()(git_repository* repository) const { git2().repository_free(repository); }
};
using ConfigPtr = std::unique_ptr<git_config, ConfigDeleter>;
using RepositoryPtr = std::unique_ptr<git_repository, RepositoryDeleter>;

// libgit2 lives only as long as load() runs.
class Libgit2Session {
public:
  Libgit2Session() { git2().init(); }
  ~Libgit2Session() { git2().shutdown(); }
  Libgit2Session(const Libgit2Session&) = delete;
  Libgit2Session& operator=(const Libgit2Session&) = delete;
};

std::string last_git_error() {
  const git_error* error = git2().error_last();
  return error != nullptr && error->message != nullptr ? error->message : "unknown error";
}

// Reads one file (and what it includes); a file git would reject is an error naming it.
Result<ConfigPtr> open_file(const std::string& path, git_config_level_t level,
                            const git_repository* repository) {
  git_config* raw = nullptr;
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
Result<ConfigPtr> read_file(std::vector<ConfigEntry>& out, Sections sections,
                            const std::string& path, git_config_level_t level,
                            const git_repository* repository) {
  if (path.empty() || access(path.c_str(), R_OK) != 0) {
    return ConfigPtr();
  }
  Result<ConfigPtr> config = open_file(path, level, repository);
  if (!config) {
    return config;
  }
  // A plain iterator filtered here: libgit2's glob iterator leaks its regex match data.
  git_config_iterator* iterator = nullptr;
  if (git2().config_iterator_new(&iterator, config->get()) < 0) {
    return fail(Errc::config, "bad git configuration file " + path + ": " + last_git_error());
  }
  git_config_entry* entry = nullptr;
  int status = 0;
  while ((status = git2().config_next(&entry, iterator)) == 0) {
    if (!in_sections(entry->name, sections)) {
      continue;
    }
    out.push_back(ConfigEntry{entry->name, entry->value == nullptr
                                               ? std::nullopt
                                               : std::optional<std::string>(entry->value)});
  }
  git2().config_iterator_free(iterator);
  if (status != GIT_ITEROVER) {
    return fail(Errc::config, "bad git configuration file " + path + ": " + last_git_error());
  }
  return config;
}

Result<void> read_file_into(std::vector<ConfigEntry>& out, Sections sections,
                            const std::string& path, git_config_level_t level,
                            const git_repository* repository) {
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
  static const char* extensions[] = {"noop",         "noop-v1",        "preciousobjects",
                                     "partialclone", "worktreeconfig", "objectformat"};
  git2().opts(GIT_OPT_SET_EXTENSIONS, extensions, std::size(extensions));
  unsigned int flags = 0;
  std::string start = ".";
  const char* ceilings = std::getenv("GIT_CEILING_DIRECTORIES");
  if (const char* git_dir = std::getenv("GIT_DIR")) {
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
  git_repository* raw = nullptr;
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
Result<void> read_repository(std::vector<ConfigEntry>& out, Sections sections,
                             const git_repository* repository) {
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
  return read_file_into(out, sections,
                        in_dir(git2().repository_path(repository), "config.worktree"),
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
  const char* home = std::getenv("HOME");
  const char* xdg_home = std::getenv("XDG_CONFIG_HOME");
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
  return text.size() >= prefix.size() && iequals_ascii(text.substr(0, prefix.size()), prefix);
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

bool file_may_hold(const std::string& path, Sections sections) {
  return !path.empty() && may_hold(slurp(path).value_or(""), sections);
}

std::string read_first_line(const std::filesystem::path& path) {
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
  if (const char* git_dir = std::getenv("GIT_DIR")) {
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
  for (const fs::path& git_dir : git_dirs) {
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
  for (const std::filesystem::path& path : repository_candidates()) {
    if (file_may_hold(path.string(), sections)) {
      return true;
    }
  }
  return false;
}

Result<void> read_files(std::vector<ConfigEntry>& entries, Sections sections,
                        const Sources& files) {
  if (Result<const Libgit2*> loaded = libgit2_library(); !loaded) {
    return tl::unexpected(loaded.error());
  }
  Libgit2Session session;
  Result<RepositoryPtr> repository = open_repository();
  if (!repository) {
    return tl::unexpected(repository.error());
  }
  const git_repository* repo = repository->get();
  if (files.system) {
    if (Result<void> read =
            read_file_into(entries, sections, *files.system, GIT_CONFIG_LEVEL_SYSTEM, repo);
        !read) {
      return read;
    }
  }
  if (Result<void> read = read_file_into(entries, sections, files.xdg, GIT_CONFIG_LEVEL_XDG, repo);
      !read) {
    return read;
  }
  if (Result<void> read =
          read_file_into(entries, sections, files.global, GIT_CONFIG_LEVEL_GLOBAL, repo);
      !read) {
    return read;
  }
  if (repo != nullptr) {
    return read_repository(entries, sections, repo);
  }
  return {};
}

// The system, XDG and global files through patrol's own reader (helper/git/config_file.hpp);
// false when one of them needs libgit2 (an [includeIf], or text git would refuse).
bool read_user_files(std::vector<ConfigEntry>& entries, Sections sections, const Sources& files) {
  std::vector<ConfigFileEntry> found;
  for (const std::string* path :
       {files.system ? &*files.system : nullptr, &files.xdg, &files.global}) {
    if (path != nullptr && read_config_file(*path, sections, found) != ConfigFileRead::done) {
      return false;
    }
  }
  for (ConfigFileEntry& entry : found) {
    entries.push_back(ConfigEntry{std::move(entry.name), std::move(entry.value)});
  }
  return true;
}

} // namespace

// Starting libgit2 costs more than everything else here (it loads the TLS trust store):
// the user's files are read by patrol's own reader, and libgit2 is started only for an
// [includeIf], a file git would refuse, or a repository whose config could hold one of
// the sections (libgit2 finds the repository as git does, ownership checks included).
Result<std::vector<ConfigEntry>> read_config_files(Sections sections) {
  Result<Sources> files = sources();
  if (!files) {
    return tl::unexpected(files.error());
  }
  std::vector<ConfigEntry> entries;
  if (!read_user_files(entries, sections, *files) || any_repository_file_may_hold(sections)) {
    entries.clear();
    if (Result<void> read = read_files(entries, sections, *files); !read) {
      return tl::unexpected(read.error());
    }
  }
  return entries;
}

} // namespace patrol::helper
