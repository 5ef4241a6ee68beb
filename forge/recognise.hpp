#pragma once
// Which forge a host is, and where its API lives, from the forge table (forges.hpp):
// configuration first, then the host, then git's wwwauth[] realm.
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "forge/forges.hpp"

namespace patrol::forge {

struct Forge {
  ForgeKind kind = ForgeKind::none;
  std::string api_url; // empty when kind is none
};

// A host some row knows by name (case-insensitive); both null when none does.
struct HostMatch {
  const ForgeFacts* row = nullptr;
  const KnownHost* host = nullptr;
};
HostMatch known_host(std::string_view host);

// Decides the forge of `protocol://host`. `configured` is patrol.<url>.forge,
// `configured_api` patrol.<url>.apiUrl (both may be empty); `wwwauth` are git's
// wwwauth[] values from the server's 401, when git sends them.
Forge recognise(std::string_view protocol, std::string_view host, std::string_view configured,
                std::string_view configured_api, std::span<const std::string> wwwauth);

} // namespace patrol::forge
