#include "store/file.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/duration.hpp"
#include "common/git_bool.hpp"
#include "common/test_hooks.hpp"
#include "store/file_atomic.hpp"
#include "store/file_format.hpp"
#include "store/file_lock.hpp"
#include "store/kernel_keyring.hpp"
#include "store/match.hpp"
#include "store/private_dir.hpp"
#include "store/tty_prompt.hpp"

namespace patrol::store {
namespace {

// Long enough for a slow disk under 50 parallel writers, short enough never to look hung.
constexpr std::chrono::milliseconds lock_patience(20000);

constexpr std::string_view how_to_unlock =
    "run `git credential-patrol unlock` in a terminal, or name a passphrase file with "
    "patrol.filePassphraseFile (PATROL_FILE_PASSPHRASE_FILE) or a systemd credential with "
    "patrol.fileCredential";

std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

std::string directory_of(const std::string& path) {
  return std::filesystem::path(path).parent_path().string();
}

std::string utc_stamp() {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32] = {};
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &parts);
  return text;
}

std::string mode_text(mode_t mode) {
  char text[8] = {};
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

// Whether only this user (or root, as for a systemd credential) owns the file and nobody
// else has any permission on it.
bool private_to_user(const struct stat& info) {
  return (info.st_uid == ::getuid() || info.st_uid == 0) && (info.st_mode & 077) == 0;
}

// Reads a passphrase kept in a file: its first line, without the line end.
Result<Secret> read_passphrase_file(const std::string& path, std::string_view what) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return fail(Errc::config, "cannot read the passphrase file " + path + " named by " +
                                  std::string(what) + ": " + std::strerror(errno));
  }
  // As ssh refuses a private key others may read: the passphrase opens every token.
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !private_to_user(info)) {
    ::close(fd);
    return fail(Errc::config, "refusing the passphrase file " + path + " named by " +
                                  std::string(what) + ": other users may read or change it (mode " +
                                  mode_text(info.st_mode) +
                                  ") or it is not yours; run `chmod 600 " + path +
                                  "` and think about whether to change the passphrase");
  }
  std::string text;
  text.reserve(4096);
  char buffer[512];
  ssize_t got = 0;
  while ((got = ::read(fd, buffer, sizeof buffer)) > 0 && text.size() < 65536) {
    text.append(buffer, static_cast<std::size_t>(got));
  }
  wipe(buffer, sizeof buffer);
  ::close(fd);
  const std::size_t end = text.find_first_of("\r\n");
  Secret passphrase(text.substr(0, end));
  wipe(text);
  if (passphrase.empty()) {
    return fail(Errc::config,
                "the passphrase file " + path + " named by " + std::string(what) + " is empty");
  }
  return passphrase;
}

struct Contents {
  file_format::Envelope envelope;
  Secret key;
  std::vector<Record> records;
};

// A file's bytes as read.
struct FileBytes {
  std::unique_ptr<char[]> data;
  std::size_t size = 0;
  [[nodiscard]] std::string_view view() const { return {data.get(), size}; }
};

enum class OnDamaged { move_aside, report };

// The file, its key and its records: what the store and the unlock command share.
class Vault {
public:
  explicit Vault(FileStoreOptions options) : options_(std::move(options)) {
    if (options_.path.empty()) {
      options_.path = default_file_path();
    }
    options_.path = std::filesystem::absolute(options_.path).lexically_normal().string();
    description_ = kernel_keyring::description_for(options_.path);
  }

  [[nodiscard]] const std::string& path() const { return options_.path; }

  // The file's text, or nullopt when there is no file; refuses a file others may read.
  [[nodiscard]] Result<std::optional<FileBytes>> read_text() const {
    // O_NONBLOCK: opening a FIFO put in the file's place would wait for a writer, and git
    // with it, for ever; it is refused below like anything but a regular file.
    const int fd = ::open(path().c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) {
      if (errno == ENOENT) {
        return std::optional<FileBytes>();
      }
      return fail(Errc::io,
                  "cannot read the credential file " + path() + ": " + std::strerror(errno));
    }
    struct stat info {};
    if (::fstat(fd, &info) == 0 && !S_ISREG(info.st_mode)) {
      ::close(fd);
      return fail(Errc::io, "refusing the credential file " + path() +
                                ": it is not a regular file; remove it, or name the file with "
                                "patrol.filePath");
    }
    if (::fstat(fd, &info) != 0 || info.st_uid != ::getuid() || (info.st_mode & 077) != 0) {
      ::close(fd);
      return fail(Errc::store_failed,
                  "refusing the credential file " + path() + ": it is open to other users (mode " +
                      mode_text(info.st_mode) + ") or not yours; run `chmod 600 " + path() +
                      "` if it is yours and nobody else could have read it, else start afresh");
    }
    // Read in place into a buffer of the file's size, left uninitialised: a file of 1,000
    // credentials is 300 kB, and zeroing or growing a string costs a get as much again.
    // Never more than one byte past the largest file, which parse then refuses: a file
    // made a terabyte long must not become a terabyte of memory.
    constexpr std::size_t most = file_format::max_file_bytes + 1;
    FileBytes bytes;
    std::size_t capacity = std::min(static_cast<std::size_t>(info.st_size) + 1, most);
    bytes.data = std::make_unique_for_overwrite<char[]>(capacity);
    ssize_t got = 0;
    while ((got = ::read(fd, bytes.data.get() + bytes.size, capacity - bytes.size)) > 0) {
      bytes.size += static_cast<std::size_t>(got);
      if (bytes.size == most) {
        break;
      }
      if (bytes.size == capacity) { // it grew since fstat
        capacity = std::min(capacity * 2, most);
        auto larger = std::make_unique_for_overwrite<char[]>(capacity);
        std::memcpy(larger.get(), bytes.data.get(), bytes.size);
        bytes.data = std::move(larger);
      }
    }
    const int error = errno;
    ::close(fd);
    if (got < 0) {
      return fail(Errc::io,
                  "cannot read the credential file " + path() + ": " + std::strerror(error));
    }
    return std::optional<FileBytes>(std::move(bytes));
  }

  // Creates the 0700 directory when missing; refuses one that others may write into.
  [[nodiscard]] Result<void> ensure_directory() const {
    return ensure_private_directory(directory_of(path()));
  }

  // Whether a passphrase can be had without asking anyone.
  [[nodiscard]] bool unattended() const {
    return !options_.passphrase_file.empty() ||
           (!options_.credential.empty() && !env_or_empty("CREDENTIALS_DIRECTORY").empty());
  }

  // Whether creating the file could get a passphrase now.
  [[nodiscard]] bool can_create() const {
    return unattended() || (options_.interactive && terminal_available());
  }

  // The line for a store that is not set up and cannot be set up by this process.
  [[nodiscard]] Error not_set_up() const {
    std::string because = options_.chosen_because;
    if (!because.empty()) {
      because += " and ";
    }
    return Error{Errc::store_unavailable,
                 because + "the encrypted file store (patrol.store=file) is not set up yet: " +
                     "run `git credential-patrol unlock` in a terminal to create " + path() +
                     ", or name a passphrase file with patrol.filePassphraseFile"};
  }

  // The passphrase from the passphrase file, the systemd credential or the terminal, in
  // that order; nullopt when none of them can give one.
  [[nodiscard]] Result<std::optional<Secret>> passphrase(bool creating) const {
    std::string file = options_.passphrase_file;
    std::string what = "patrol.filePassphraseFile";
    if (file.empty() && !options_.credential.empty()) {
      const std::string directory = env_or_empty("CREDENTIALS_DIRECTORY");
      if (!directory.empty()) {
        file = directory + "/" + options_.credential;
        what = "patrol.fileCredential";
      }
    }
    if (!file.empty()) {
      Result<Secret> read = read_passphrase_file(file, what);
      if (!read) {
        return tl::unexpected(read.error());
      }
      return std::optional<Secret>(std::move(*read));
    }
    if (!options_.interactive) {
      return std::optional<Secret>();
    }
    if (!creating) {
      return ask_hidden("Passphrase for the credential file " + path() + ": ");
    }
    Result<std::optional<Secret>> first =
        ask_hidden("New passphrase for the credential file " + path() + ": ");
    if (!first || !*first) {
      return first;
    }
    if ((*first)->empty()) {
      return fail(Errc::invalid_input, "an empty passphrase protects nothing; nothing was created");
    }
    Result<std::optional<Secret>> again = ask_hidden("The same passphrase again: ");
    if (!again || !*again) {
      return again;
    }
    if (!(**again == **first)) {
      return fail(Errc::invalid_input, "the two passphrases differ; nothing was created");
    }
    return first;
  }

  // The data key: from the session cache when it belongs to this file, else unwrapped
  // with the passphrase and cached.
  Result<Secret> key_for(const file_format::Envelope& envelope) {
    if (!keeps_key()) {
      kernel_keyring::remove(description_); // kept before the timeout was set to 0
    } else if (std::optional<Secret> cached = kernel_keyring::read(description_)) {
      const std::string_view bytes = cached->view();
      if (bytes.size() == envelope.key_id.size() + file_crypto::key_bytes &&
          bytes.substr(0, envelope.key_id.size()) == envelope.key_id) {
        return Secret(std::string(bytes.substr(envelope.key_id.size())));
      }
      kernel_keyring::remove(description_); // a key for an earlier file at this path
    }
    Result<std::optional<Secret>> passphrase_read = passphrase(false);
    if (!passphrase_read) {
      return tl::unexpected(passphrase_read.error());
    }
    if (!*passphrase_read) {
      return fail(Errc::store_locked,
                  "the credential file " + path() + " is locked; " + std::string(how_to_unlock));
    }
    Result<Secret> key = file_format::unwrap_key(envelope, **passphrase_read);
    if (!key) {
      if (key.error().code == Errc::store_locked) {
        return fail(Errc::store_locked,
                    "wrong passphrase for the credential file " + path() + "; nothing was changed");
      }
      return key;
    }
    cache(envelope, *key);
    return key;
  }

  // patrol.fileUnlockTimeout=0 means the key is not kept at all, as a person reads it.
  [[nodiscard]] bool keeps_key() const { return options_.unlock_timeout.count() > 0; }

  void cache(const file_format::Envelope& envelope, const Secret& key) {
    if (!keeps_key()) {
      return;
    }
    last_cached_ =
        kernel_keyring::write(description_, Secret(envelope.key_id + std::string(key.view())),
                              options_.unlock_timeout)
            .has_value();
  }

  // The decrypted contents, every record or, given an origin (origin_key), only those filed
  // under it (a get opens no other); nullopt when there is no file.
  Result<std::optional<Contents>> load(const std::optional<std::string>& origin = std::nullopt) {
    Result<std::optional<FileBytes>> text = read_text();
    if (!text) {
      return tl::unexpected(text.error());
    }
    if (!*text) {
      return std::optional<Contents>();
    }
    Result<file_format::Envelope> envelope = file_format::parse((*text)->view());
    if (!envelope) {
      return damaged(envelope.error());
    }
    Result<Secret> key = key_for(*envelope);
    if (!key) {
      return tl::unexpected(key.error());
    }
    Result<std::vector<Record>> records =
        origin ? file_format::open_filed_under(*envelope, *key, *origin)
                     .map([](file_format::Filed&& filed) { return std::move(filed.records); })
               : file_format::open_payload(*envelope, *key);
    if (!records) {
      return damaged(records.error());
    }
    return std::optional<Contents>(
        Contents{std::move(*envelope), std::move(*key), std::move(*records)});
  }

  // A new, empty file's contents, with a passphrase asked for as options allow.
  Result<Contents> create() {
    Result<std::optional<Secret>> passphrase_read = passphrase(true);
    if (!passphrase_read) {
      return tl::unexpected(passphrase_read.error());
    }
    if (!*passphrase_read) {
      return fail(Errc::store_locked, "no passphrase to create the credential file " + path() +
                                          "; " + std::string(how_to_unlock));
    }
    Contents contents;
    Result<file_format::Envelope> envelope = file_format::create(**passphrase_read, contents.key);
    if (!envelope) {
      return tl::unexpected(envelope.error());
    }
    contents.envelope = std::move(*envelope);
    cache(contents.envelope, contents.key);
    return contents;
  }

  // Read-modify-write under the lock. `change` returns whether it changed the records;
  // `creates` says whether an absent file should be created for it. A damaged file is
  // moved aside unless `damaged` says only to report it. A file in an older format
  // version is rewritten even when nothing changed.
  Result<bool> modify(const std::function<bool(std::vector<Record>&)>& change, bool creates,
                      OnDamaged damaged = OnDamaged::move_aside) {
    struct stat info {};
    const bool absent = ::lstat(path().c_str(), &info) != 0 && errno == ENOENT;
    if (absent && !creates) {
      return false;
    }
    if (absent && !can_create()) {
      return tl::unexpected(not_set_up()); // before anything is written to disk
    }
    Result<void> directory = ensure_directory();
    if (!directory) {
      return tl::unexpected(directory.error());
    }
    Result<FileLock> lock = FileLock::acquire(path() + ".lock", test_lock_patience(lock_patience));
    if (!lock) {
      return tl::unexpected(lock.error());
    }
    Result<std::optional<Contents>> loaded = load();
    if (!loaded) {
      if (damaged_ && damaged == OnDamaged::move_aside) {
        return move_aside(loaded.error());
      }
      return tl::unexpected(loaded.error());
    }
    if (!*loaded && !creates) {
      return false;
    }
    Contents contents;
    if (*loaded) {
      contents = std::move(**loaded);
    } else {
      Result<Contents> created = create();
      if (!created) {
        return tl::unexpected(created.error());
      }
      contents = std::move(*created);
    }
    const bool changed = change(contents.records);
    const bool upgrade = *loaded && contents.envelope.version < file_format::format_version;
    if (!changed && *loaded && !upgrade) {
      return false;
    }
    Result<void> sealed =
        file_format::seal_payload(contents.envelope, contents.key, contents.records);
    if (!sealed) {
      return tl::unexpected(sealed.error());
    }
    const std::string text = file_format::to_text(contents.envelope);
    if (text.size() > file_format::max_file_bytes) { // it would be refused as damaged when read
      return fail(Errc::store_failed, "the credential file " + path() + " would grow past " +
                                          std::to_string(file_format::max_file_bytes >> 20) +
                                          " MiB; nothing was stored: erase credentials no "
                                          "longer needed with `git credential-patrol logout`");
    }
    Result<void> written = write_atomically(path(), text);
    if (!written) {
      return tl::unexpected(written.error());
    }
    return changed;
  }

  [[nodiscard]] bool last_cached() const { return last_cached_; }

  bool forget() { return kernel_keyring::remove(description_); }

private:
  tl::unexpected<Error> damaged(const Error& error) {
    damaged_ = error.code == Errc::store_failed;
    if (!damaged_) {
      return tl::unexpected(error);
    }
    return fail(Errc::store_failed,
                error.message + " (" + path() +
                    "); it is kept as it is: the next store moves it aside and starts a new file");
  }

  // A damaged file is never overwritten: it is renamed, and this write reports that. Nor
  // is an earlier backup: one moved aside within the same second gets a number, and the
  // lock keeps any other writer from taking the name between the look and the rename.
  tl::unexpected<Error> move_aside(const Error& error) {
    const std::string stamped = path() + ".corrupt-" + utc_stamp();
    std::string backup = stamped;
    struct stat info {};
    for (int number = 2; ::lstat(backup.c_str(), &info) == 0; ++number) {
      backup = stamped + "-" + std::to_string(number);
    }
    if (::rename(path().c_str(), backup.c_str()) != 0) {
      return fail(Errc::io, error.message + "; moving it to " + backup +
                                " failed too: " + std::strerror(errno));
    }
    forget();
    std::string cause = error.message.substr(0, error.message.find(" ("));
    return fail(Errc::store_failed, cause + ": it was moved to " + backup +
                                        " and nothing was stored; the next store starts a new "
                                        "file at " +
                                        path());
  }

  FileStoreOptions options_;
  std::string description_;
  bool damaged_ = false;
  bool last_cached_ = false;
};

class FileStore final : public Store {
public:
  explicit FileStore(FileStoreOptions options) : vault_(std::move(options)) {}

  [[nodiscard]] std::string_view name() const override { return "file"; }

  Result<std::vector<Record>> list(const Query& query) override {
    Result<std::optional<Contents>> loaded = vault_.load(origin_key(query));
    if (!loaded) {
      return tl::unexpected(loaded.error());
    }
    if (!*loaded && !query.empty() && !vault_.can_create()) {
      return tl::unexpected(vault_.not_set_up()); // say how, or git prompts every time
    }
    std::vector<Record> found;
    if (*loaded) {
      for (Record& record : (*loaded)->records) {
        if (matches(query, record)) {
          record.store = std::string(name());
          found.push_back(std::move(record));
        }
      }
    }
    return found;
  }

  Result<void> save(const Record& record) override {
    // An empty password is a credential too (Kerberos, http.emptyAuth), as in git's helpers.
    if (record.protocol.empty() || record.host.empty()) {
      return fail(Errc::invalid_input, "a credential needs a protocol and a host to be stored");
    }
    Result<bool> saved = vault_.modify(
        [&](std::vector<Record>& records) {
          Record kept = record;
          kept.store.clear();
          auto first = std::find_if(records.begin(), records.end(), [&](const Record& existing) {
            return same_credential(existing, kept);
          });
          if (first == records.end()) {
            records.push_back(std::move(kept));
            return true;
          }
          *first = std::move(kept);
          // Kept before hosts were canonical, one credential may be here under two spellings
          // ("d.example:443" and "d.example:0443"): the one left behind would be served.
          records.erase(
              std::remove_if(std::next(first), records.end(),
                             [&](const Record& other) { return same_credential(other, *first); }),
              records.end());
          return true;
        },
        true);
    if (!saved) {
      return tl::unexpected(saved.error());
    }
    return {};
  }

  Result<bool> replace(const Record& expected, const Record& next) override {
    if (!same_credential(expected, next) || next.secret.empty()) {
      return fail(Errc::invalid_input,
                  "a replacement must be the same credential, with a password");
    }
    // Under the file's lock: the records are read, compared and written in one step.
    return vault_.modify(
        [&](std::vector<Record>& records) {
          for (Record& existing : records) {
            if (same_credential(existing, expected)) {
              if (!(existing.secret == expected.secret)) {
                return false;
              }
              existing = next;
              existing.store.clear();
              return true;
            }
          }
          return false;
        },
        false);
  }

  Result<bool> erase_matching(const Query& query) override {
    return vault_.modify(
        [&](std::vector<Record>& records) {
          return std::erase_if(records, [&](const Record& r) { return matches(query, r); }) > 0;
        },
        false);
  }

private:
  Vault vault_;
};

} // namespace

std::string default_file_path() {
  std::string data = env_or_empty("XDG_DATA_HOME");
  if (data.empty() || data.front() != '/') {
    data = env_or_empty("HOME") + "/.local/share";
  }
  return data + "/git-credential-patrol/credentials.enc";
}

Result<FileStoreOptions> file_options(const Settings& settings) {
  FileStoreOptions options;
  const auto get = [&](StoreSetting key) {
    std::optional<std::string> value = settings ? settings(key) : std::nullopt;
    return value.value_or("");
  };
  options.path = get(StoreSetting::filePath);
  options.passphrase_file = get(StoreSetting::filePassphraseFile);
  options.credential = get(StoreSetting::fileCredential);
  const std::string timeout = get(StoreSetting::fileUnlockTimeout);
  if (!timeout.empty()) {
    // The kernel keyring takes an unsigned int of seconds; a year is plenty.
    const std::optional<std::chrono::seconds> parsed =
        parse_duration(timeout, std::chrono::seconds(366 * 86400));
    if (!parsed) {
      return fail(Errc::config, "patrol.fileUnlockTimeout must be seconds or a number with s, "
                                "m, h or d (like 8h), not '" +
                                    timeout + "'");
    }
    options.unlock_timeout = *parsed;
  }
  // git's booleans (GIT_TERMINAL_PROMPT=false too), and credential.interactive as git
  // reads it, which the helper passes as the setting "interactive".
  options.interactive = git_terminal_prompt_allowed() && get(StoreSetting::interactive) != "false";
  return options;
}

Result<std::unique_ptr<Store>> open_file_store(FileStoreOptions options) {
  return std::unique_ptr<Store>(std::make_unique<FileStore>(std::move(options)));
}

Result<UnlockOutcome> unlock_file_store(const FileStoreOptions& options) {
  Vault vault(options);
  UnlockOutcome outcome;
  Result<std::optional<FileBytes>> text = vault.read_text();
  if (!text) {
    return tl::unexpected(text.error());
  }
  if (*text) {
    // Through the writer, so an older format version is rewritten as the current one.
    Result<bool> loaded =
        vault.modify([](std::vector<Record>&) { return false; }, false, OnDamaged::report);
    if (!loaded) {
      return tl::unexpected(loaded.error());
    }
    outcome.cached =
        vault.last_cached() ||
        kernel_keyring::read(kernel_keyring::description_for(vault.path())) != std::nullopt;
    return outcome;
  }
  Result<bool> created = vault.modify([](std::vector<Record>&) { return false; }, true);
  if (!created) {
    return tl::unexpected(created.error());
  }
  outcome.created = true;
  outcome.cached = vault.last_cached();
  return outcome;
}

bool lock_file_store(const FileStoreOptions& options) { return Vault(options).forget(); }

} // namespace patrol::store
