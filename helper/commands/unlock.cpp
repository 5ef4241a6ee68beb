#include "helper/commands/unlock.hpp"

#include <string>

#include "helper/git/config.hpp"
#include "helper/messages.hpp"
#include "helper/operations/store_choice.hpp"
#include "store/file.hpp"
#include "store/kernel_keyring.hpp"

namespace patrol::helper {
namespace {

Result<store::FileStoreOptions> file_options() {
  Result<Config> config = Config::load();
  if (!config) {
    return tl::unexpected(config.error());
  }
  Result<store::FileStoreOptions> options = store::file_options(store_settings(*config, ""));
  if (options && options->path.empty()) {
    options->path = store::default_file_path();
  }
  return options;
}

std::string hours(std::chrono::seconds timeout) {
  const long long seconds = timeout.count();
  if (seconds % 3600 == 0) {
    return std::to_string(seconds / 3600) + "h";
  }
  if (seconds % 60 == 0) {
    return std::to_string(seconds / 60) + "m";
  }
  return std::to_string(seconds) + "s";
}

} // namespace

int run_unlock(const Parsed& /*args*/) {
  Result<store::FileStoreOptions> options = file_options();
  if (!options) {
    return failed(options.error());
  }
  options->interactive = true; // a person asked for it
  Result<store::UnlockOutcome> unlocked = store::unlock_file_store(*options);
  if (!unlocked) {
    return failed(unlocked.error());
  }
  const std::string what = (unlocked->created ? "created " : "") + options->path;
  if (options->unlock_timeout.count() == 0) {
    say(what + " opens with this passphrase; patrol.fileUnlockTimeout is 0, so the key is not "
               "kept and each git call needs the passphrase again");
  } else if (unlocked->cached) {
    const std::optional<store::kernel_keyring::Kept> kept =
        store::kernel_keyring::locate(store::kernel_keyring::description_for(options->path));
    if (kept && kept->holder == store::kernel_keyring::Holder::user) {
      say(what + " is unlocked for this user's processes for " + hours(options->unlock_timeout) +
          " (patrol.fileUnlockTimeout): this login has no session keyring of its own, so the "
          "key is kept in the user keyring");
    } else {
      say(what + " is unlocked for this login session for " + hours(options->unlock_timeout) +
          " (patrol.fileUnlockTimeout)");
    }
  } else {
    say_warning(what + " opens with this passphrase, but the kernel keyring is not available "
                       "here, so each git call needs the passphrase again: set "
                       "patrol.filePassphraseFile");
  }
  return 0;
}

int run_lock(const Parsed& /*args*/) {
  Result<store::FileStoreOptions> options = file_options();
  if (!options) {
    return failed(options.error());
  }
  if (store::lock_file_store(*options)) {
    say(options->path + " is locked");
  } else {
    say(options->path + " was not unlocked in this session");
  }
  return 0;
}

} // namespace patrol::helper
