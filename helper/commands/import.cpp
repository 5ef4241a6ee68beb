#include "helper/commands/import.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "common/text.hpp"
#include "helper/commands/command_line.hpp"
#include "helper/commands/import_store_file.hpp"
#include "helper/git/config.hpp"
#include "helper/git/credential_record.hpp"
#include "helper/git/credential_url.hpp"
#include "helper/lifecycle/lifecycle.hpp"
#include "helper/messages.hpp"
#include "helper/operations/store_choice.hpp"
#include "store/file_atomic.hpp"
#include "store/secret_service.hpp"

namespace patrol::helper {
namespace {

enum class Source { store_file, libsecret };

struct Options {
  Source from = Source::store_file;
  bool dry_run = false;
  bool remove_source = false;
  std::string file;
};

struct Candidate {
  store::Record record;
  std::size_t file_index = 0; // which source file (store-file only)
  std::size_t line = 0;
};

struct SourceFile {
  std::string path;
  StoreFile parsed;
  std::set<std::size_t> done;
};

Result<Options> parse_args(const Parsed& args) {
  Options options;
  options.dry_run = args.has("--dry-run");
  options.remove_source = args.has("--remove-source");
  if (const std::optional<std::string_view> from = args.value("--from")) {
    if (*from == "store-file" || *from == "store") {
      options.from = Source::store_file;
    } else if (*from == "libsecret") {
      options.from = Source::libsecret;
    } else {
      return tl::unexpected(bad_value(*args.command, "--from", *from, "store-file or libsecret"));
    }
  }
  if (!args.operands.empty()) {
    options.file = std::string(args.operands[0]);
  }
  if (options.from == Source::libsecret && !options.file.empty()) {
    return tl::unexpected(
        usage_error(*args.command, "--from libsecret reads the Secret Service, not a FILE"));
  }
  return options;
}

std::string env_or(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

// Where git-credential-store looks, in its order.
std::vector<std::string> default_store_files() {
  const std::string home = env_or("HOME", "");
  return {home + "/.git-credentials",
          env_or("XDG_CONFIG_HOME", home + "/.config") + "/git/credentials"};
}

Result<std::optional<std::string>> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) {
      return std::optional<std::string>();
    }
    return fail(Errc::io, "cannot read " + path + ": " + std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::string bytes = text.str();
  std::string result = bytes;
  wipe(bytes);
  return std::optional<std::string>(std::move(result));
}

// One line each, and a crafted username can neither forge a second line nor act on the
// terminal. What a dry run finds is its result, on stdout; what an import did is said to
// the person, on stderr.
void print(const std::string& line, bool result) {
  if (result) {
    std::printf("%s\n", shown(line).c_str());
  } else {
    say(line);
  }
}

// git-credential-store's file is plain text: a copy leaves every token in it readable.
void warn_still_in_clear(const std::vector<SourceFile>& files) {
  for (const SourceFile& file : files) {
    if (!file.done.empty()) {
      say_warning(file.path + " still holds " + std::to_string(file.done.size()) +
                  " token(s) in clear text: run the import again with --remove-source to "
                  "remove what was copied, or delete " +
                  file.path);
    }
  }
}

int rewrite_sources(std::vector<SourceFile>& files) {
  int status = 0;
  for (SourceFile& file : files) {
    if (file.done.empty()) {
      continue;
    }
    std::string rest = without_lines(file.parsed, file.done);
    Result<void> written = rest.empty() ? Result<void>() : store::write_atomically(file.path, rest);
    if (rest.empty() && ::unlink(file.path.c_str()) != 0) {
      written = fail(Errc::io, "cannot remove " + file.path + ": " + std::strerror(errno));
    }
    wipe(rest);
    if (!written) {
      report(written.error());
      status = 1;
    } else {
      print("removed " + std::to_string(file.done.size()) + " imported credential(s) from " +
                file.path,
            false);
    }
  }
  return status;
}

} // namespace

int run_import(const Parsed& args) {
  Result<Options> options = parse_args(args);
  if (!options) {
    return failed(options.error());
  }
  const bool result = options->dry_run;
  Result<Config> config = Config::load();
  if (!config) {
    return failed(config.error());
  }

  std::vector<SourceFile> files;
  std::vector<Candidate> candidates;
  std::unique_ptr<store::Store> keyring;
  std::size_t ignored = 0;
  if (options->from == Source::store_file) {
    std::vector<std::string> paths =
        options->file.empty() ? default_store_files() : std::vector<std::string>{options->file};
    for (const std::string& path : paths) {
      Result<std::optional<std::string>> text = read_file(path);
      if (!text) {
        report(text.error());
        return 1;
      }
      if (!*text) {
        if (!options->file.empty()) {
          say_error("no such file: " + path);
          return 1;
        }
        continue;
      }
      files.push_back(SourceFile{path, parse_store_file(**text), {}});
      wipe(**text);
    }
    for (std::size_t index = 0; index < files.size(); ++index) {
      ignored += files[index].parsed.ignored;
      for (const StoreFileEntry& entry : files[index].parsed.entries) {
        candidates.push_back(Candidate{record_of(entry.credential), index, entry.line});
      }
    }
  } else {
    Result<std::unique_ptr<store::Store>> chosen = open_persistent_store(*config, "");
    if (chosen && (*chosen)->name() == "secretservice") {
      say_error("patrol already uses the Secret Service, where git-credential-libsecret's "
                "credentials are: nothing to import");
      return 1;
    }
    Result<std::unique_ptr<store::Store>> opened = store::open_secret_service();
    if (!opened) {
      report(opened.error());
      return 1;
    }
    keyring = std::move(*opened);
    Result<std::vector<store::Record>> records = keyring->list(store::Query{});
    if (!records) {
      report(records.error());
      return 1;
    }
    for (store::Record& record : *records) {
      candidates.push_back(Candidate{std::move(record), 0, 0});
    }
  }

  std::size_t moved = 0;
  std::size_t present = 0;
  std::size_t failed = 0;
  std::vector<const Candidate*> done;
  for (Candidate& candidate : candidates) {
    const std::string url = record_url(candidate.record);
    Result<std::unique_ptr<store::Store>> destination =
        open_persistent_store(*config, credential_url(credential_of(candidate.record)));
    if (!destination) {
      say_error(url + ": " + destination.error().message);
      ++failed;
      continue;
    }
    const std::string store_name((*destination)->name());
    store::Query exact{candidate.record.protocol, candidate.record.host, candidate.record.path,
                       candidate.record.username, candidate.record.secret};
    Result<std::vector<store::Record>> existing = (*destination)->list(exact);
    if (!existing) {
      say_error(url + ": " + existing.error().message);
      ++failed;
      continue;
    }
    if (!existing->empty()) {
      print("already in " + store_name + ": " + url, result);
      ++present;
      done.push_back(&candidate);
      continue;
    }
    if (options->dry_run) {
      print("would import " + url + " into " + store_name, result);
      ++moved;
      continue;
    }
    candidate.record.kind = store::Kind::password;
    Result<void> saved = (*destination)->save(candidate.record);
    if (!saved) {
      say_error(url + ": " + saved.error().message);
      ++failed;
      continue;
    }
    print("imported " + url + " into " + store_name, result);
    ++moved;
    done.push_back(&candidate);
  }
  print(std::to_string(moved) + (options->dry_run ? " to import, " : " imported, ") +
            std::to_string(present) + " already there, " + std::to_string(failed) + " failed" +
            (ignored != 0 ? ", " + std::to_string(ignored) + " line(s) not credentials" : ""),
        result);

  int status = failed != 0 ? 1 : 0;
  if (options->dry_run) {
    return status;
  }
  if (options->from == Source::store_file) {
    for (const Candidate* each : done) {
      files[each->file_index].done.insert(each->line);
    }
    if (!options->remove_source) {
      warn_still_in_clear(files);
      return status;
    }
    return rewrite_sources(files) != 0 ? 1 : status;
  }
  if (!options->remove_source) {
    return status;
  }
  for (const Candidate* each : done) {
    store::Query exact{each->record.protocol, each->record.host, each->record.path,
                       each->record.username, each->record.secret};
    Result<bool> erased = keyring->erase(exact);
    if (!erased) {
      report(erased.error());
      status = 1;
    }
  }
  if (!done.empty()) {
    print("removed " + std::to_string(done.size()) +
              " imported credential(s) from the Secret "
              "Service",
          false);
  }
  return status;
}

} // namespace patrol::helper
