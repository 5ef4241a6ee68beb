#include "forge/recognise.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace patrol::forge {
namespace {

constexpr std::array presets{
    // GitLab REST API v4: docs.gitlab.com/api/rest
    ForgePreset{"gitlab.com", ForgeKind::gitlab, "https://gitlab.com/api/v4",
                "GitLab REST API documentation"},
    // GitHub REST API; git over HTTPS on github.com, the API on api.github.com
    ForgePreset{"github.com", ForgeKind::github, "https://api.github.com",
                "GitHub REST API documentation"},
};

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string default_api(ForgeKind kind, std::string_view protocol, std::string_view host) {
  const std::string base = std::string(protocol) + "://" + std::string(host);
  switch (kind) {
  case ForgeKind::gitlab:
    return base + "/api/v4";
  case ForgeKind::github:
    return base + "/api/v3"; // GitHub Enterprise Server
  case ForgeKind::none:
    break;
  }
  return {};
}

bool realm_says_gitlab(std::span<const std::string> wwwauth) {
  return std::any_of(wwwauth.begin(), wwwauth.end(), [](const std::string& header) {
    return lower(header).find("realm=\"gitlab\"") != std::string::npos;
  });
}

} // namespace

std::string_view to_string(ForgeKind kind) {
  switch (kind) {
  case ForgeKind::gitlab:
    return "gitlab";
  case ForgeKind::github:
    return "github";
  case ForgeKind::none:
    break;
  }
  return "none";
}

std::optional<ForgeKind> forge_from_string(std::string_view text) {
  const std::string value = lower(text);
  for (const ForgeKind kind : {ForgeKind::none, ForgeKind::gitlab, ForgeKind::github}) {
    if (value == to_string(kind)) {
      return kind;
    }
  }
  return std::nullopt;
}

std::span<const ForgePreset> forge_presets() { return presets; }

Forge recognise(std::string_view protocol, std::string_view host, std::string_view configured,
                std::string_view configured_api, std::span<const std::string> wwwauth) {
  const std::string name = lower(host);
  const auto* preset = std::find_if(presets.begin(), presets.end(),
                                    [&](const ForgePreset& p) { return p.host == name; });
  ForgeKind kind = ForgeKind::none;
  if (const std::optional<ForgeKind> chosen = forge_from_string(configured)) {
    kind = *chosen;
  } else if (preset != presets.end()) {
    kind = preset->kind;
  } else if (name.starts_with("gitlab.") || realm_says_gitlab(wwwauth)) {
    kind = ForgeKind::gitlab;
  }
  if (kind == ForgeKind::none) {
    return {};
  }
  if (!configured_api.empty()) {
    return Forge{kind, std::string(configured_api)};
  }
  if (preset != presets.end() && preset->kind == kind) {
    return Forge{kind, std::string(preset->api_url)};
  }
  return Forge{kind, default_api(kind, protocol, host)};
}

} // namespace patrol::forge
