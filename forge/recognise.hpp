#pragma once
// Which forge a host is, and where its API lives. One table of presets; configuration
// first, then the host, then git's wwwauth[] realm.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace patrol::forge {

enum class ForgeKind { none, gitlab, github };

std::string_view to_string(ForgeKind kind);
std::optional<ForgeKind> forge_from_string(std::string_view text);

struct ForgePreset {
  std::string_view host;    // exact host this preset claims
  ForgeKind kind;
  std::string_view api_url; // REST API base for that host
  std::string_view source;  // where the facts come from
};

std::span<const ForgePreset> forge_presets();

struct Forge {
  ForgeKind kind = ForgeKind::none;
  std::string api_url; // empty when kind is none
};

// Decides the forge of `protocol://host`. `configured` is patrol.<url>.forge,
// `configured_api` patrol.<url>.apiUrl (both may be empty); `wwwauth` are git's
// wwwauth[] values from the server's 401, when git sends them.
Forge recognise(std::string_view protocol, std::string_view host, std::string_view configured,
                std::string_view configured_api, std::span<const std::string> wwwauth);

} // namespace patrol::forge
