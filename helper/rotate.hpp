#pragma once
// GitLab token rotation: `git credential-patrol rotate URL [--expires-at YYYY-MM-DD]`, and
// the same step for patrol.autoRotate. GitLab revokes the old token the moment it answers,
// so the new one is never lost: if it cannot be stored it is shown once on the terminal.
#include <optional>
#include <string>

#include "common/result.hpp"
#include "helper/commands.hpp"
#include "helper/config.hpp"
#include "helper/token_lookup.hpp"
#include "store/record.hpp"
#include "store/store.hpp"

namespace patrol::helper {

struct Rotation {
  store::Record record;               // the new token and what GitLab says of it
  std::optional<Error> store_failure; // set when it could not be stored (it was shown)
};

// Rotates old's token at its GitLab and saves the new one in store. An error means
// nothing was rotated (the old token still stands, or GitLab said why it does not).
Result<Rotation> rotate_record(const Config& config, store::Store& store,
                               const store::Record& old, std::optional<std::string> expires_at,
                               Timeouts timeouts);

// "rotated token 'NAME' for USER@HOST: the new token expires on DATE".
std::string rotated_message(const store::Record& record);

int run_rotate(Args args);

} // namespace patrol::helper
