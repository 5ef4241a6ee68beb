#include "helper/commands/check.hpp"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h>

#include "common/civil_time.hpp"
#include "common/text.hpp"
#include "helper/commands/command_line.hpp"
#include "helper/commands/progress.hpp"
#include "helper/commands/stored_credentials.hpp"
#include "helper/commands/token_report.hpp"
#include "helper/lifecycle/lifecycle.hpp"
#include "helper/lifecycle/lifecycle_settings.hpp"
#include "helper/lifecycle/token_lookup.hpp"
#include "helper/messages.hpp"
#include "helper/operations/store_choice.hpp"
#include "helper/signin/oauth_fallback.hpp"

namespace patrol::helper {
namespace {

struct Options {
  std::optional<std::int64_t> days;
  bool json = false;
  bool offline = false;
};

Result<Options> parse_options(const Parsed& args) {
  Options out;
  out.json = args.has("--json");
  out.offline = args.has("--offline");
  if (const std::optional<std::string_view> days = args.value("--days")) {
    Result<std::int64_t> parsed = parse_warn_days(*days);
    if (!parsed) {
      return tl::unexpected(bad_value(*args.command, "--days", *days, "a number of days"));
    }
    out.days = *parsed;
  }
  return out;
}

// What the forge said of a token this run, or why nothing was asked or answered.
struct Answer {
  std::optional<forge::TokenState> state; // nullopt: no answer
  std::string why_not;                    // without an answer: why, for the line
};

// The states, worst first for the exit code: 2 expired, revoked or unknown to its forge;
// 1 expiring within the window; 3 unchecked (no answer, and nothing known is wrong);
// 0 ok. A certain fault outranks an uncertainty, and something to do soon outranks
// something that could not be looked at: a cron job acts on the most urgent.
struct Verdict {
  int code = 0;       // 0 ok, 1 expiring, 2 dead, 3 unchecked
  std::string state;  // ok, expiring, expired, revoked, unknown, unchecked
  std::string detail; // for the text output and the JSON's "detail"
};

int severity(int code) {
  switch (code) {
  case 2:
    return 3;
  case 1:
    return 2;
  case 3:
    return 1;
  default:
    return 0;
  }
}

Verdict judge(const store::Record& record, const Answer& answer, std::int64_t days,
              std::int64_t now) {
  // An OAuth token with a refresh token lives for hours by design: get renews it.
  if (refreshes_itself(record)) {
    return {0, "ok", ""};
  }
  if (answer.state == forge::TokenState::unknown) {
    return {2, "unknown", "unknown to " + record.host};
  }
  // The forge's answer is in the record by now (learn), or was kept by an earlier lookup:
  // what is known to be wrong is said even when the forge did not answer this time.
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
  if (!answer.state) {
    return {3, "unchecked", "could not be checked: " + answer.why_not};
  }
  return {0, "ok", ""};
}

// Asks the forge and keeps what it says.
Answer ask(const Config& config, store::Store& store, store::Record& record) {
  const std::string url = record_url(record);
  const forge::Forge forge = forge_for(config, url, record.protocol, record.host);
  if (forge.kind == forge::ForgeKind::none) {
    return {std::nullopt, record.host + " is not known as GitLab or GitHub (set patrol." +
                              record.protocol + "://" + record.host + ".forge if it is one)"};
  }
  if (record.kind == store::Kind::oauth) {
    return {std::nullopt, "an OAuth token without a refresh token cannot be looked up"};
  }
  Result<forge::TokenInfo> info = [&] {
    const Waiting waiting("checking the token at " + record.host);
    return look_up(forge, record.secret, http_settings(config, url, patient_timeouts));
  }();
  if (!info) {
    trace("check: no answer about " + url + ": " + info.error().message);
    return {std::nullopt, "no answer from " + record.host + ": " + info.error().message};
  }
  if (info->state == forge::TokenState::not_a_pat) {
    return {std::nullopt, record.host + " does not describe this kind of token"};
  }
  learn(record, *info, now_seconds());
  if (Result<void> saved = store.save(record); !saved) {
    trace("check: what was learnt about " + url + " is not kept: " + saved.error().message);
  }
  return {info->state, ""};
}

// --offline: what the store remembers of the forge's last answer stands for one.
Answer remembered(const store::Record& record) {
  if (record.checked_at && record.kind == store::Kind::pat) {
    return {forge::TokenState::active, ""};
  }
  return {std::nullopt, "never looked up at its forge (--offline)"};
}

} // namespace

int run_check(const Parsed& args) {
  const Result<Options> options = parse_options(args);
  if (!options) {
    return failed(options.error());
  }
  Result<StoredCredentials> stored = stored_credentials();
  if (!stored) {
    return failed(stored.error());
  }
  const Config& config = stored->config;
  store::Store& store = *stored->store;
  std::vector<store::Record>& records = stored->records;
  int worst = 0;
  nlohmann::json all = nlohmann::json::array();
  std::string lines;
  for (store::Record& record : records) {
    const Answer answer = options->offline ? remembered(record) : ask(config, store, record);
    const std::int64_t days =
        options->days.value_or(lifecycle_settings(config, record_url(record)).warn_days);
    const std::int64_t now = now_seconds();
    const Verdict verdict = judge(record, answer, days, now);
    if (severity(verdict.code) > severity(worst)) {
      worst = verdict.code;
    }
    nlohmann::json entry = report_json(record, now);
    entry["state"] = verdict.state;
    entry["detail"] = verdict.detail;
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
  // Quiet when all is fine, as cron wants; a person at a terminal is told so instead of
  // being left with nothing.
  if (!options->json && lines.empty() && isatty(STDERR_FILENO) == 1) {
    say(records.empty() ? "no credentials stored in " + std::string(store.name())
                        : std::to_string(records.size()) + " credential(s) checked: all fine");
  }
  return worst;
}

} // namespace patrol::helper
