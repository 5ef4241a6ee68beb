#include "helper/refresh.hpp"

#include <memory>
#include <optional>
#include <string>

#include "helper/lifecycle.hpp"
#include "helper/messages.hpp"
#include "helper/protocol.hpp"
#include "helper/store_choice.hpp"
#include "helper/token_lookup.hpp"
#include "helper/token_watch.hpp"

namespace patrol::helper {

int run_refresh(Args args) {
  if (args.size() != 1) {
    say_error("usage: git-credential-patrol refresh URL");
    return 2;
  }
  const std::string url(args[0]);
  Result<Credential> target = parse("url=" + url + "\n");
  if (!target || target->host.empty()) {
    say_error("not a URL: '" + url + "'");
    return 2;
  }
  Result<Config> config = Config::load();
  if (!config) {
    report(config.error());
    return 1;
  }
  Result<std::unique_ptr<store::Store>> store = open_store(*config, url);
  if (!store) {
    report(store.error());
    return 1;
  }
  const store::Query query{target->protocol, target->host, target->path, target->username,
                           std::nullopt};
  Result<std::optional<store::Record>> found = (*store)->find(query);
  if (!found || !*found) {
    trace("nothing to refresh for " + url);
    return 0;
  }
  store::Record record = **found;
  const Forge forge = forge_for(*config, url, record.protocol, record.host);
  const LifecycleSettings settings = lifecycle_settings(*config, url);
  // Parallel gets may each have started a refresh: the first one to finish is enough.
  if (forge.kind == ForgeKind::none ||
      !assess(record, now_seconds(), 0, settings.recheck_seconds).stale) {
    return 0;
  }
  Result<oauth::TokenInfo> info =
      look_up(forge, record.secret, http_settings(*config, url, patient_timeouts));
  if (info) {
    learn(record, *info, now_seconds());
  } else {
    // Tried: the next try waits a full interval rather than one per git call.
    trace("refresh of " + url + " failed: " + info.error().message);
    record.checked_at = now_seconds();
  }
  // The secret may have changed while the forge was asked: never write an old one back.
  Result<std::optional<store::Record>> current = (*store)->find(query);
  if (!current || !*current || !((*current)->secret == record.secret)) {
    return 0;
  }
  if (Result<void> saved = (*store)->save(record); !saved) {
    trace("refresh of " + url + " not kept: " + saved.error().message);
    return 1;
  }
  return 0;
}

} // namespace patrol::helper
