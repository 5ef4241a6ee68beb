#pragma once
// `git credential-patrol unlock` and `lock`: the encrypted file store's session key.
// unlock asks for the passphrase (the passphrase file or systemd credential when
// configured, else the terminal), creates the file on first use, and keeps the unlocked
// key in the kernel keyring for patrol.fileUnlockTimeout; lock forgets it.
#include "helper/commands/commands.hpp"

namespace patrol::helper {

int run_unlock(const Parsed& args);
int run_lock(const Parsed& args);

} // namespace patrol::helper
