#include "helper/commands/status.hpp"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "helper/commands/stored_credentials.hpp"
#include "helper/commands/token_report.hpp"
#include "helper/git/config.hpp"
#include "helper/lifecycle/lifecycle.hpp"
#include "helper/lifecycle/token_lookup.hpp"
#include "helper/lifecycle/token_memory.hpp"
#include "helper/messages.hpp"
#include "helper/operations/store_choice.hpp"

namespace patrol::helper {

int run_status(const Parsed& args) {
  const bool json = args.has("--json");
  Result<StoredCredentials> stored = stored_credentials();
  if (!stored) {
    return failed(stored.error());
  }
  const Config& config = stored->config;
  std::vector<store::Record>& records = stored->records;
  if (records.empty() && !json) {
    say("no credentials stored in " + std::string(stored->store->name()));
    return 0;
  }
  std::sort(records.begin(), records.end(), [](const store::Record& a, const store::Record& b) {
    return std::tie(a.host, a.protocol, a.path, a.username) <
           std::tie(b.host, b.protocol, b.path, b.username);
  });
  const std::int64_t now = now_seconds();
  // Why a token shows no expiry: its forge, and what its host answered when asked.
  const auto reason = [&](const store::Record& record) {
    const forge::Forge forge = forge_for(config, record_url(record), record.protocol, record.host);
    return expiry_reason(record, forge.kind, recall_host(record.protocol, record.host));
  };
  std::string out;
  if (json) {
    nlohmann::json all = nlohmann::json::array();
    for (const store::Record& record : records) {
      all.push_back(report_json(record, now, reason(record)));
    }
    out = format_json(all);
  } else {
    std::vector<TableRow> rows{report_header()};
    for (const store::Record& record : records) {
      rows.push_back(report_cells(record, now, reason(record)));
    }
    out = format_table(rows);
  }
  std::fputs(out.c_str(), stdout);
  return 0;
}

} // namespace patrol::helper
