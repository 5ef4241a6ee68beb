#include "helper/git/config_urlmatch.hpp"
#include "common/ascii.hpp"

#include <utility>

namespace patrol::helper {
namespace {

bool names_host(const NormalizedUrl& pattern) {
  return pattern.host_off != 0 && pattern.host_len != 0 &&
         std::string_view(pattern.text).substr(pattern.host_off, pattern.host_len).find('*') ==
             std::string_view::npos;
}

} // namespace

std::map<std::string, Candidate> settings_for(const std::vector<ConfigEntry>& entries,
                                              std::string_view section, std::string_view url,
                                              std::optional<std::string_view> only_key) {
  const Result<NormalizedUrl> target = normalize_url(url);
  std::map<std::string, Candidate> chosen;
  for (const ConfigEntry& entry : entries) {
    const std::string_view name = entry.name;
    if (name.size() <= section.size() + 1 || name[section.size()] != '.' ||
        !iequals_ascii(name.substr(0, section.size()), section)) {
      continue;
    }
    std::string_view key = name.substr(section.size() + 1);
    UrlMatch match;
    bool scoped_to_host = false;
    const std::size_t dot = key.rfind('.');
    if (dot != std::string_view::npos) {
      if (!target) {
        continue;
      }
      const Result<NormalizedUrl> pattern = normalize_url_pattern(key.substr(0, dot));
      if (!pattern) {
        continue;
      }
      const std::optional<UrlMatch> found = match_url(*target, *pattern);
      if (!found) {
        continue;
      }
      match = *found;
      scoped_to_host = names_host(*pattern);
      key = key.substr(dot + 1);
    }
    std::string lower_key = to_ascii_lower(key);
    if (only_key && lower_key != *only_key) {
      continue;
    }
    Candidate candidate{match, entry.value, scoped_to_host};
    auto [it, inserted] = chosen.try_emplace(std::move(lower_key), candidate);
    // Equally specific: the later entry wins, as in git.
    if (!inserted && compare_specificity(match, it->second.match) >= 0) {
      it->second = std::move(candidate);
    }
  }
  return chosen;
}

std::string listing(const std::vector<ConfigEntry>& entries, std::string_view section,
                    std::string_view url) {
  std::string out;
  for (auto& [key, candidate] : settings_for(entries, section, url, std::nullopt)) {
    out += std::string(section) + "." + key;
    if (candidate.value) {
      out += ' ' + *candidate.value;
    }
    out += '\n';
  }
  return out;
}

} // namespace patrol::helper
