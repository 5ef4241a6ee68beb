#pragma once
// A token's scopes as text: OAuth writes them space-separated (RFC 6749), GitHub's
// X-OAuth-Scopes header and token responses comma-separated ("repo, workflow").
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace patrol {

// The scopes in text, split at spaces and commas, empty ones dropped.
[[nodiscard]] std::vector<std::string> split_scopes(std::string_view text);

// The scopes with separator between them ("" for none).
[[nodiscard]] std::string join_scopes(std::span<const std::string> scopes,
                                      std::string_view separator);

} // namespace patrol
