#pragma once
// The `file` backend: credentials in one file encrypted with AES-256-GCM, for machines with
// no Secret Service (SSH sessions, WSL, containers). See file_format.hpp for what the file
// holds. The data key is unlocked once per login session and kept in the kernel keyring
// (kernel_keyring.hpp) until unlock_timeout; the passphrase comes from a passphrase file,
// a systemd credential, or the terminal, never from argv. A passphrase file that group or
// others may read or change is refused, as ssh refuses such a private key.
//
// Durability: every change is a read-modify-write under an exclusive lock on
// "<file>.lock", written atomically (file_atomic.hpp). The file is 0600 in a 0700
// directory; a file others may read, or a directory others may write, is refused.
// A damaged file is never overwritten: reads report it, and the first write moves it to
// "<file>.corrupt-<UTC time>" (reported as an error, nothing stored) so the next write
// starts a new file.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "store/registry.hpp"
#include "store/store.hpp"

namespace patrol::store {

struct FileStoreOptions {
  std::string path;            // the credential file; default_file_path() when empty
  std::string passphrase_file; // a file holding the passphrase (its first line)
  std::string credential;      // a systemd credential name: $CREDENTIALS_DIRECTORY/<name>
  std::chrono::seconds unlock_timeout{8 * 3600}; // 0: the key is not kept at all
  bool interactive = true;    // may ask on the terminal when nothing else gives a passphrase
  std::string chosen_because; // why `auto` chose this store, for the line a person sees
};

// $XDG_DATA_HOME/git-credential-patrol/credentials.enc, else ~/.local/share/... .
std::string default_file_path();

Result<std::unique_ptr<Store>> open_file_store(FileStoreOptions options);

// Options from the settings filePath, filePassphraseFile, fileCredential and
// fileUnlockTimeout (a duration as common/duration.hpp reads it, at most a year);
// interactive unless git's GIT_TERMINAL_PROMPT is a false boolean or
// StoreSetting::interactive is "false" (the helper's credential.interactive). A bad
// timeout is an Errc::config error.
Result<FileStoreOptions> file_options(const Settings& settings);

struct UnlockOutcome {
  bool created = false; // the file did not exist and was created
  bool cached = false;  // the key is kept in the kernel keyring for the session
};

// Unlocks the file for the session (creating it on first use), asking for the passphrase
// as options allow; Errc::store_locked when no passphrase could be had.
Result<UnlockOutcome> unlock_file_store(const FileStoreOptions& options);

// Forgets the session's unlocked key; true when there was one.
bool lock_file_store(const FileStoreOptions& options);

} // namespace patrol::store
