#pragma once
// Choosing the values in effect for a URL, as git's urlmatch_config_entry does for
// `git config --get-urlmatch`: of the entries section.<url>.key that match, the most
// specific wins, the later one among equals; an unscoped section.key matches every URL.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "helper/git/config_entry.hpp"
#include "helper/git/url_match.hpp"

namespace patrol::helper {

struct Candidate {
  UrlMatch match;
  std::optional<std::string> value;
  bool names_host = false; // scoped to a URL whose host has no '*' label
};

// Key (lower-case, without "<section>.") -> the most specific value for url; a std::map
// because git lists keys sorted. only_key (lower-case) limits it to one key. A URL git
// cannot parse matches only unscoped entries.
std::map<std::string, Candidate> settings_for(const std::vector<ConfigEntry>& entries,
                                              std::string_view section, std::string_view url,
                                              std::optional<std::string_view> only_key);

// The text `git config --get-urlmatch <section> <url>` prints: "name value" lines, a key
// written without '=' as its name alone.
std::string listing(const std::vector<ConfigEntry>& entries, std::string_view section,
                    std::string_view url);

} // namespace patrol::helper
