#include "helper/commands/token_report.hpp"

#include <algorithm>

#include "common/civil_time.hpp"
#include "common/scope_list.hpp"
#include "common/text.hpp"
#include "helper/lifecycle/lifecycle.hpp"
#include "helper/signin/oauth_fallback.hpp"

namespace patrol::helper {
namespace {

std::string scopes_text(const store::Record& record) {
  return record.scopes.empty() ? "-" : join_scopes(record.scopes, ",");
}

// A token described by its forge without an expiry never expires; one never described
// has an expiry nobody knows.
std::string expiry_text(const store::Record& record) {
  if (record.expires_at) {
    return format_date(*record.expires_at);
  }
  return record.checked_at && record.kind == store::Kind::pat ? "never" : "unknown";
}

std::string days_text(const store::Record& record, std::int64_t now) {
  if (record.state != store::State::active) {
    return std::string(store::to_string(record.state)); // what the forge said
  }
  // Its access token lives for hours by design and get renews it: a count of days
  // (0, or "expired" between two git calls) would only alarm.
  if (refreshes_itself(record)) {
    return "refreshes itself";
  }
  if (!record.expires_at) {
    return "-";
  }
  if (now >= *record.expires_at) {
    return "expired";
  }
  return std::to_string(calendar_days(now, *record.expires_at));
}

} // namespace

TableRow report_header() {
  return {"URL", "USER", "STORE", "TOKEN", "EXPIRES", "DAYS LEFT", "SCOPES", "CHECKED"};
}

std::string expiry_reason(const store::Record& record, forge::ForgeKind kind,
                          std::optional<forge::HostAnswer> answer) {
  // An expired or revoked token needs no reason: what the forge said is shown instead.
  if (record.expires_at || refreshes_itself(record) || record.state != store::State::active) {
    return {};
  }
  if (kind == forge::ForgeKind::none) {
    return answer && answer->what == forge::HostAnswer::silent ? "forge did not answer"
                                                               : "not a known forge";
  }
  if (!record.checked_at) {
    return "forge did not answer";
  }
  if (record.kind != store::Kind::pat) {
    return record.kind == store::Kind::oauth ? "the forge gave none"
                                             : "forge does not know the token";
  }
  const forge::ForgeFacts* row = forge::facts(kind);
  if (row == nullptr) {
    return "forge token has no expiry";
  }
  const bool unscoped = record.scopes.empty() && !row->no_expiry_unscoped.empty();
  return std::string(row->title) + " " +
         std::string(unscoped ? row->no_expiry_unscoped : row->no_expiry);
}

TableRow report_cells(const store::Record& record, std::int64_t now,
                      const std::string& expiry_reason) {
  const std::string expiry = expiry_text(record);
  return {record_url(record),
          record.username,
          record.store,
          record.token_name.empty() ? "-" : record.token_name,
          expiry == "unknown" && !expiry_reason.empty() ? expiry + " (" + expiry_reason + ")"
                                                        : expiry,
          days_text(record, now),
          scopes_text(record),
          record.checked_at ? format_timestamp(*record.checked_at) : "never"};
}

nlohmann::json report_json(const store::Record& record, std::int64_t now,
                           const std::string& expiry_reason) {
  nlohmann::json out = {
      {"url", record_url(record)},
      {"protocol", record.protocol},
      {"host", record.host},
      {"path", record.path},
      {"username", record.username},
      {"store", record.store},
      {"kind", std::string(store::to_string(record.kind))},
      {"token_name", record.token_name},
      {"token_id", record.token_id},
      {"scopes", record.scopes},
  };
  out["expires_at"] = record.expires_at ? nlohmann::json(*record.expires_at) : nlohmann::json();
  out["expires_on"] =
      record.expires_at ? nlohmann::json(format_date(*record.expires_at)) : nlohmann::json();
  const bool renews = refreshes_itself(record);
  out["days_left"] = record.expires_at && !renews
                         ? nlohmann::json(calendar_days(now, *record.expires_at))
                         : nlohmann::json();
  out["expired"] = record.state == store::State::expired ||
                   (!renews && record.expires_at && now >= *record.expires_at);
  out["expiry_reason"] = expiry_reason.empty() ? nlohmann::json() : nlohmann::json(expiry_reason);
  out["state"] = std::string(store::to_string(record.state)); // as the forge last said
  out["refreshes_itself"] = renews;
  // The refresh token's state, for an OAuth token: held (get renews the access token with
  // it) or none (the token dies at its expiry, like a personal access token).
  if (record.kind == store::Kind::oauth) {
    out["refresh_token"] = record.refresh_token.empty() ? "none" : "held";
  }
  out["checked_at"] = record.checked_at ? nlohmann::json(*record.checked_at) : nlohmann::json();
  return out;
}

std::string format_json(const nlohmann::json& document) {
  // ensure_ascii: every character past ASCII, C1 and bidi controls among them, becomes a
  // \uXXXX escape (C0 ones always do), so the exact value reaches a JSON reader and
  // nothing raw reaches a terminal. Bytes that are not UTF-8 cannot be JSON: U+FFFD.
  return document.dump(2, ' ', true, nlohmann::json::error_handler_t::replace) + '\n';
}

std::string format_table(const std::vector<TableRow>& input) {
  std::vector<TableRow> rows = input;
  for (TableRow& row : rows) {
    for (std::string& cell : row) {
      cell = shown(cell); // names and scopes come from the forge
    }
  }
  std::vector<std::size_t> width;
  for (const TableRow& row : rows) {
    width.resize(std::max(width.size(), row.size()));
    for (std::size_t i = 0; i < row.size(); ++i) {
      width[i] = std::max(width[i], row[i].size());
    }
  }
  std::string out;
  for (const TableRow& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) {
        line.append(width[i] - row[i].size() + 2, ' ');
      }
    }
    out += line + '\n';
  }
  return out;
}

} // namespace patrol::helper
