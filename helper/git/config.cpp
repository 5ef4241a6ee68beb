#include "helper/git/config.hpp"

#include <cstdlib>
#include <map>
#include <set>
#include <span>

#include "common/ascii.hpp"
#include "common/git_bool.hpp"
#include "helper/git/config_parameters.hpp"
#include "helper/git/config_sources.hpp"
#include "helper/git/config_urlmatch.hpp"
#include "helper/git/url_match.hpp"
#include "helper/messages.hpp"

namespace patrol::helper {
namespace {

constexpr std::string_view patrol_section = "patrol";
constexpr std::string_view http_section = "http";
// What get needs: patrol's settings and git's credential.interactive.
constexpr std::string_view load_sections[] = {"patrol", "credential"};
constexpr std::string_view http_sections[] = {"http"};

// The entries of the sections from the files, then every command-line entry (settings_for
// picks the section's).
Result<std::vector<ConfigEntry>> read_all(Sections sections) {
  Result<std::vector<ConfigEntry>> entries = read_config_files(sections);
  if (!entries) {
    return entries;
  }
  if (Result<void> read = read_command_line(*entries); !read) {
    return tl::unexpected(Error{Errc::config, "cannot parse the command-line configuration: " +
                                                  read.error().message});
  }
  return entries;
}

} // namespace

std::optional<Setting> setting_named(std::string_view name) {
  for (const ConfigKey& key : config_keys()) {
    if (iequals_ascii(key.name, name)) {
      return key.setting;
    }
  }
  return std::nullopt;
}

Result<Config> Config::load() {
  Result<std::vector<Entry>> entries = read_all(load_sections);
  if (!entries) {
    return tl::unexpected(entries.error());
  }
  Result<Config> config(Config(std::move(*entries)));
  config->http_read_ = false; // read by the first http() question
  return config;
}

Config Config::from_entries(std::vector<std::pair<std::string, std::string>> entries) {
  std::vector<Entry> out;
  out.reserve(entries.size());
  for (auto& [name, value] : entries) {
    out.push_back(Entry{std::move(name), std::move(value)});
  }
  Config config(std::move(out));
  config.http_entries_ = config.entries_;
  return config;
}

namespace {

const char* set_env(std::string_view name) {
  const char* value = name.empty() ? nullptr : std::getenv(std::string(name).c_str());
  return value != nullptr && *value != '\0' ? value : nullptr;
}

// A refused setting is said once per process, however often it is asked for.
void warn_once(const std::string& message) {
  static std::set<std::string> said;
  if (said.insert(message).second) {
    say_warning(message);
  }
}

// "patrol.https://HOST.apiUrl" spelled for url's own origin, as advice.
std::string scoped_name(std::string_view key, std::string_view url) {
  std::string origin = "https://HOST";
  if (const Result<NormalizedUrl> parsed = normalize_url(url); parsed && parsed->host_off != 0) {
    origin = parsed->text.substr(0, parsed->path_off);
  }
  return "patrol." + origin + "." + std::string(key);
}

} // namespace

std::optional<std::string> Config::refusal(Setting setting, std::string_view url) const {
  const ConfigKey& key = config_key(setting);
  if (key.scope != Scope::host) {
    return std::nullopt;
  }
  const std::string advice = " could send one host's token to another; scope it instead: "
                             "git config --global " +
                             scoped_name(key.name, url) + " VALUE";
  if (set_env(key.env) != nullptr) {
    return std::string(key.env) + " is ignored: applying to every host, it" + advice;
  }
  const std::string name = to_ascii_lower(key.name);
  const auto chosen = settings_for(entries_, patrol_section, url, name);
  const auto it = chosen.find(name);
  if (it != chosen.end() && !it->second.names_host) {
    return "patrol." + std::string(key.name) + " is ignored: not scoped to one host, it" + advice;
  }
  return std::nullopt;
}

std::optional<std::string> Config::get(Setting setting, std::string_view url) const {
  const ConfigKey& key = config_key(setting);
  const std::string name = to_ascii_lower(key.name);
  if (key.scope == Scope::any) {
    if (const char* override_value = set_env(key.env)) {
      return std::string(override_value);
    }
  }
  std::map<std::string, Candidate> chosen = settings_for(entries_, patrol_section, url, name);
  const auto it = chosen.find(name);
  if (key.scope == Scope::host) {
    if (const std::optional<std::string> refused = refusal(setting, url)) {
      warn_once(*refused);
    }
    if (it == chosen.end() || !it->second.names_host) {
      return std::nullopt;
    }
  }
  if (it == chosen.end()) {
    return std::nullopt;
  }
  return it->second.value.value_or("true");
}

std::string Config::value(Setting setting, std::string_view url) const {
  const ConfigKey& key = config_key(setting);
  if (std::optional<std::string> found = get(setting, url)) {
    if (tracing()) {
      trace("setting patrol." + std::string(key.name) + "=" +
            (key.secret ? traced_secret(*found) : *found) + " for " + std::string(url));
    }
    return *found;
  }
  return std::string(key.default_value);
}

std::vector<std::pair<std::string, std::string>> Config::all_for(std::string_view url) const {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& [key, candidate] : settings_for(entries_, patrol_section, url, std::nullopt)) {
    out.emplace_back(std::string(patrol_section) + "." + key, candidate.value.value_or(""));
  }
  return out;
}

bool Config::interactive() const {
  std::optional<std::string> last;
  for (const Entry& entry : entries_) {
    if (iequals_ascii(entry.name, "credential.interactive")) {
      last = entry.value.value_or("true");
    }
  }
  if (!last) {
    return true;
  }
  return to_ascii_lower(*last) != "never" && parse_git_bool(*last).value_or(true);
}

std::string Config::listing_for(std::string_view url) const {
  return listing(entries_, patrol_section, url);
}

const Result<std::vector<Config::Entry>>& Config::http_entries() const {
  if (!http_read_) {
    http_entries_ = read_all(http_sections);
    http_read_ = true;
  }
  return http_entries_;
}

Result<std::optional<std::string>> Config::http(std::string_view key, std::string_view url) const {
  const Result<std::vector<Entry>>& entries = http_entries();
  if (!entries) {
    return tl::unexpected(entries.error());
  }
  const std::string name = to_ascii_lower(key);
  std::map<std::string, Candidate> chosen = settings_for(*entries, http_section, url, name);
  const auto it = chosen.find(name);
  if (it == chosen.end()) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(it->second.value.value_or("true"));
}

Result<std::string> Config::http_listing_for(std::string_view url) const {
  const Result<std::vector<Entry>>& entries = http_entries();
  if (!entries) {
    return tl::unexpected(entries.error());
  }
  return listing(*entries, http_section, url);
}

} // namespace patrol::helper
