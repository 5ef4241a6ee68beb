#include "helper/commands/logout.hpp"

#include <memory>
#include <string>
#include <vector>

#include "helper/commands/command_line.hpp"
#include "helper/git/config.hpp"
#include "helper/git/credential_url.hpp"
#include "helper/git/protocol.hpp"
#include "helper/lifecycle/lifecycle.hpp"
#include "helper/messages.hpp"
#include "helper/operations/store_choice.hpp"
#include "helper/signin/oauth_fallback.hpp"

namespace patrol::helper {
namespace {

// Whether the record is the one a logout of `target` (and perhaps one username) means:
// same protocol and host, the URL's path when it names one, else any.
bool logout_covers(const store::Record& record, const Credential& target,
                   const std::optional<std::string>& username) {
  return record.protocol == target.protocol && record.host == target.host &&
         (target.path.empty() || record.path == target.path) &&
         (!username || record.username == *username);
}

} // namespace

Result<LogoutArgs> parse_logout_args(const Parsed& args) {
  LogoutArgs out;
  out.url = std::string(args.operands.at(0));
  if (const std::optional<std::string_view> name = args.value("--username")) {
    out.username = std::string(*name);
  }
  return out;
}

int run_logout(const Parsed& args) {
  Result<LogoutArgs> parsed = parse_logout_args(args);
  if (!parsed) {
    return failed(parsed.error());
  }
  Result<Credential> target = url_argument(*args.command, parsed->url);
  if (!target) {
    return failed(target.error());
  }
  std::optional<std::string> username = parsed->username;
  if (!username && !target->username.empty()) {
    username = target->username;
  }
  Result<Config> config = Config::load();
  if (!config) {
    return failed(config.error());
  }
  Result<std::unique_ptr<store::Store>> store =
      open_persistent_store(*config, credential_url(*target));
  if (!store) {
    return failed(store.error());
  }
  Result<std::vector<store::Record>> records = (*store)->list(store::Query{});
  if (!records) {
    return failed(records.error());
  }
  std::size_t removed = 0;
  for (const store::Record& record : *records) {
    if (!logout_covers(record, *target, username)) {
      continue;
    }
    if (Result<bool> revoked = revoke_if_possible(*config, record); !revoked) {
      say_warning("could not revoke the OAuth token of " + record_url(record) + ": " +
                  revoked.error().message);
    } else if (*revoked) {
      say("revoked the OAuth token of " + record_url(record));
    }
    Result<bool> erased = (*store)->erase(store::query_for(record));
    if (!erased) {
      return failed(erased.error());
    }
    if (*erased) {
      ++removed;
      say("removed " + record_url(record) + " from " + std::string((*store)->name()));
    }
  }
  if (removed == 0) {
    say("nothing stored for " + url_with_scheme(parsed->url) + " in " +
        std::string((*store)->name()));
  }
  return 0;
}

} // namespace patrol::helper
