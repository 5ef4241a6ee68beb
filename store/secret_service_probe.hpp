#pragma once
// Whether a reachable Secret Service can keep credentials: it has a default collection
// (unlocked, or locked and so unlockable by the user). For `auto`, which otherwise picks
// the encrypted file store. Asks the service over D-Bus without libsecret's prompts.
#include <string>

namespace patrol::store {

struct ProbeResult {
  bool usable = false;
  std::string reason; // why not, for a trace or status line; empty when usable
};

ProbeResult probe_secret_service();

} // namespace patrol::store
