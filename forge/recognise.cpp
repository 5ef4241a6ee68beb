#include "forge/recognise.hpp"

#include <algorithm>

#include "common/ascii.hpp"

namespace patrol::forge {
namespace {

// The row whose host name prefix or realm claims the host, or nullptr.
const ForgeFacts* claimed(std::string_view name, std::span<const std::string> wwwauth) {
  for (const ForgeFacts& row : forges()) {
    if (!row.host_prefix.empty() && name.starts_with(row.host_prefix)) {
      return &row;
    }
    if (!row.realm.empty() &&
        std::any_of(wwwauth.begin(), wwwauth.end(), [&](const std::string& header) {
          return to_ascii_lower(header).find(row.realm) != std::string::npos;
        })) {
      return &row;
    }
  }
  return nullptr;
}

} // namespace

std::optional<ForgeKind> forge_from_string(std::string_view text) {
  const std::string value = to_ascii_lower(text);
  if (value == "none") {
    return ForgeKind::none;
  }
  const ForgeFacts* row = facts(std::string_view(value));
  return row == nullptr ? std::nullopt : std::optional<ForgeKind>(row->kind);
}

HostMatch known_host(std::string_view host) {
  const std::string name = to_ascii_lower(host);
  for (const ForgeFacts& row : forges()) {
    for (const KnownHost& known : row.known_hosts) {
      if (known.host == name) {
        return {&row, &known};
      }
    }
  }
  return {};
}

Forge recognise(std::string_view protocol, std::string_view host, std::string_view configured,
                std::string_view configured_api, std::span<const std::string> wwwauth) {
  const HostMatch known = known_host(host);
  ForgeKind kind = ForgeKind::none;
  if (const std::optional<ForgeKind> chosen = forge_from_string(configured)) {
    kind = *chosen;
  } else if (known.row != nullptr) {
    kind = known.row->kind;
  } else if (const ForgeFacts* row = claimed(to_ascii_lower(host), wwwauth)) {
    kind = row->kind;
  }
  const ForgeFacts* row = facts(kind);
  if (row == nullptr) {
    return {};
  }
  if (!configured_api.empty()) {
    return Forge{kind, std::string(configured_api)};
  }
  if (known.row == row) {
    return Forge{kind, std::string(known.host->api_url)};
  }
  return Forge{kind,
               std::string(protocol) + "://" + std::string(host) + std::string(row->api_path)};
}

} // namespace patrol::forge
