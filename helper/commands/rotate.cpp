#include "helper/commands/rotate.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/civil_time.hpp"
#include "helper/commands/command_line.hpp"
#include "helper/commands/progress.hpp"
#include "helper/commands/stored_credentials.hpp"
#include "helper/git/config.hpp"
#include "helper/git/protocol.hpp"
#include "helper/lifecycle/lifecycle.hpp"
#include "helper/lifecycle/rotation.hpp"
#include "helper/lifecycle/token_lookup.hpp"
#include "helper/messages.hpp"
#include "helper/operations/store_choice.hpp"

namespace patrol::helper {

int run_rotate(const Parsed& args) {
  std::optional<std::string> expires_at;
  if (const std::optional<std::string_view> given = args.value("--expires-at")) {
    expires_at = std::string(*given);
  }
  if (expires_at) {
    const std::optional<std::int64_t> date = parse_date(*expires_at);
    if (!date) {
      const Error error =
          bad_value(*args.command, "--expires-at", *expires_at, "a date as YYYY-MM-DD");
      return failed(error);
    }
    // Checked before the irreversible call: GitLab revokes the old token as it answers.
    if (const std::string problem = expiry_date_problem(*date, now_seconds()); !problem.empty()) {
      const Error error{Errc::usage, "--expires-at " + problem};
      return failed(error);
    }
  }
  Result<UrlStore> opened = url_store(args);
  if (!opened) {
    return failed(opened.error());
  }
  const Credential& target = opened->target;
  const std::string& url = opened->url;
  const Config& config = opened->config;
  store::Store& store = *opened->store;
  Result<std::optional<store::Record>> found = store.find(
      store::Query{target.protocol, target.host, target.path, target.username, std::nullopt});
  if (!found) {
    return failed(found.error());
  }
  if (!*found) {
    say_error("no token is stored for " + url);
    return 1;
  }
  const std::string expiry = expires_at ? *expires_at : default_rotation_expiry(config, url);
  Result<Rotation> rotation = [&] {
    const Waiting waiting("rotating the token at " + (*found)->host);
    return rotate_record(config, store, **found, expiry, patient_timeouts);
  }();
  if (!rotation) {
    report(rotation.error());
    return 1;
  }
  if (rotation->store_failure) {
    return 1;
  }
  if (!rotation->rotated) {
    say("the token for " + record_url(rotation->record) +
        " was rotated by another process meanwhile; its new token is stored");
    return 0;
  }
  say(rotated_message(*rotation));
  return 0;
}

} // namespace patrol::helper
