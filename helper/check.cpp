#include "helper/check.hpp"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/civil_time.hpp"
#include "common/text.hpp"
#include "helper/lifecycle.hpp"
#include "helper/messages.hpp"
#include "helper/progress.hpp"
#include "helper/oauth_fallback.hpp"
#include "helper/store_choice.hpp"
#include "helper/token_lookup.hpp"
#include "helper/token_report.hpp"
#include "helper/token_watch.hpp"

namespace patrol::helper {
namespace {

struct Options {
  std::optional<std::int64_t> days;
  bool json = false;
  bool offline = false;
};

constexpr std::string_view usage = "usage: git credential-patrol check [--days N] [--json] [--offline]";

std::optional<Options> parse_options(Args args) {
  Options out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    std::optional<std::string_view> days;
    if (arg == "--json") {
      out.json = true;
    } else if (arg == "--offline") {
      out.offline = true;
    } else if (arg == "--days" && i + 1 < args.size()) {
      days = args[++i];
    } else if (arg.starts_with("--days=")) {
      days = arg.substr(7);
    } else {
      return std::nullopt;
    }
    if (days) {
      Result<std::int64_t> parsed = parse_warn_days(*days);
      if (!parsed) {
        return std::nullopt;
      }
      out.days = *parsed;
    }
  }
  return out;
}

struct Verdict {
  int code = 0;       // 0 fine, 1 expiring, 2 dead
  std::string state;  // ok, expiring, expired, revoked, unknown
  std::string detail; // for the text output
};

Verdict judge(const store::Record& record, std::optional<forge::TokenState> answer,
              std::int64_t days, std::int64_t now) {
  // An OAuth token with a refresh token lives for hours by design: get renews it.
  if (refreshes_itself(record)) {
    return {0, "ok", ""};
  }
  if (answer == forge::TokenState::unknown) {
    return {2, "unknown", "unknown to " + record.host};
  }
  // The forge's answer is in the record by now (learn), or was kept by an earlier lookup.
  const Assessment assessment = assess(record, now, days, std::nullopt);
  if (assessment.standing == Standing::revoked) {
    return {2, "revoked", "revoked"};
  }
  if (assessment.standing == Standing::expired) {
    return {2, "expired",
            record.expires_at ? "expired on " + format_date(*record.expires_at) : "expired"};
  }
  if (record.expires_at && days > 0 && assessment.days_left && *assessment.days_left <= days) {
    return {1, "expiring",
            "expires on " + format_date(*record.expires_at) + " (in " +
                std::to_string(*assessment.days_left) + " days)"};
  }
  return {0, "ok", ""};
}

// Asks the forge and keeps what it says; nullopt when there was no answer.
std::optional<forge::TokenState> ask(const Config& config, store::Store& store,
                                     store::Record& record) {
  const std::string url = record_url(record);
  const forge::Forge forge = forge_for(config, url, record.protocol, record.host);
  if (forge.kind == forge::ForgeKind::none || record.kind == store::Kind::oauth) {
    return std::nullopt;
  }
  Result<forge::TokenInfo> info = [&] {
    const Waiting waiting("checking the token at " + record.host);
    return look_up(forge, record.secret, http_settings(config, url, patient_timeouts));
  }();
  if (!info) {
    trace("check: no answer about " + url + ": " + info.error().message);
    return std::nullopt;
  }
  if (info->state == forge::TokenState::not_a_pat) {
    return std::nullopt;
  }
  learn(record, *info, now_seconds());
  if (Result<void> saved = store.save(record); !saved) {
    trace("check: what was learnt about " + url + " is not kept: " + saved.error().message);
  }
  return info->state;
}

} // namespace

int run_check(Args args) {
  const std::optional<Options> options = parse_options(args);
  if (!options) {
    say_error(std::string(usage));
    return 2;
  }
  Result<Config> config = Config::load();
  if (!config) {
    report(config.error());
    return 2;
  }
  Result<std::unique_ptr<store::Store>> store = open_store(*config, "");
  if (!store) {
    report(store.error());
    return 2;
  }
  Result<std::vector<store::Record>> records = (*store)->list(store::Query{});
  if (!records) {
    report(records.error());
    return 2;
  }
  int worst = 0;
  nlohmann::json all = nlohmann::json::array();
  std::string lines;
  for (store::Record& record : *records) {
    const std::optional<forge::TokenState> answer =
        options->offline ? std::nullopt : ask(*config, **store, record);
    const std::int64_t days =
        options->days.value_or(lifecycle_settings(*config, record_url(record)).warn_days);
    const std::int64_t now = now_seconds();
    const Verdict verdict = judge(record, answer, days, now);
    worst = std::max(worst, verdict.code);
    nlohmann::json entry = report_json(record, now);
    entry["state"] = verdict.state;
    all.push_back(std::move(entry));
    if (verdict.code != 0) {
      lines += shown(record_url(record) + "  " +
                     (record.token_name.empty() ? "" : "token '" + record.token_name + "' ") +
                     verdict.detail) +
               '\n';
    }
  }
  const std::string out = options->json ? format_json(all) : lines;
  std::fputs(out.c_str(), stdout);
  return worst;
}

} // namespace patrol::helper
