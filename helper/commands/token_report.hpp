#pragma once
// How `status` and `check` describe a stored token, as table cells and as JSON: host,
// user, token name, expiry, days left (or "refreshes itself" for an OAuth token holding a
// refresh token), scopes, last checked; never the secret.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "forge/recognise.hpp"
#include "helper/lifecycle/token_memory.hpp"
#include "store/record.hpp"

namespace patrol::helper {

using TableRow = std::vector<std::string>;

TableRow report_header();
// expiry_reason: why no expiry is shown (see expiry_reason()), put beside "unknown".
TableRow report_cells(const store::Record& record, std::int64_t now,
                      const std::string& expiry_reason = {});
nlohmann::json report_json(const store::Record& record, std::int64_t now,
                           const std::string& expiry_reason = {});

// Why a record shows no expiry date, in a few words ("not a known forge", "forge did not
// answer", "GitHub classic token has no expiry"); empty when it has one or refreshes
// itself. kind is the host's forge; answer what the host said when it was asked, if it was.
std::string expiry_reason(const store::Record& record, forge::ForgeKind kind,
                          std::optional<forge::HostAnswer> answer);

// Columns padded to their widest cell, two spaces apart, one line per row; every cell
// through shown() (common/text.hpp).
std::string format_table(const std::vector<TableRow>& rows);

// The JSON `status --json` and `check --json` print: indented, ASCII only (control and
// bidi characters as \u escapes, so the output is safe to cat), one newline at the end.
std::string format_json(const nlohmann::json& document);

} // namespace patrol::helper
