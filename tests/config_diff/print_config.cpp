// Answers like `git config --get-urlmatch patrol[.<key>]|http[.<key>] <url>`, from
// Config::load() (http.* through Config::http(), read on demand), so a
// driver can compare the two byte for byte. Exit codes as git's: 0 found, 1 nothing
// found, 128 a URL git refuses; a configuration error exits 3.
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "helper/git/config.hpp"
#include "helper/git/url_match.hpp"

namespace {

int print(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  return text.empty() ? 1 : 0;
}

int failed(const patrol::Error& error) {
  std::fprintf(stderr, "error: %s\n", error.message.c_str());
  return 3;
}

} // namespace

int main(int argc, char** argv) {
  using patrol::helper::Config;
  if (argc != 3) {
    std::fputs("usage: print_config patrol[.<key>]|http[.<key>] <url>\n", stderr);
    return 2;
  }
  const std::string_view name = argv[1];
  const std::string_view url = argv[2];
  if (patrol::Result<patrol::helper::NormalizedUrl> normalized = patrol::helper::normalize_url(url);
      !normalized) {
    std::fprintf(stderr, "fatal: %s\n", normalized.error().message.c_str());
    return 128;
  }
  patrol::Result<Config> config = Config::load();
  if (!config) {
    std::fprintf(stderr, "error: %s\n", config.error().message.c_str());
    return 3;
  }
  if (name == "patrol") {
    return print(config->listing_for(url));
  }
  if (name == "http") {
    patrol::Result<std::string> listing = config->http_listing_for(url);
    return listing ? print(*listing) : failed(listing.error());
  }
  const std::size_t dot = name.find('.');
  const std::string_view section = name.substr(0, dot);
  if (dot == std::string_view::npos || (section != "patrol" && section != "http")) {
    std::fputs("print_config knows only the sections patrol and http\n", stderr);
    return 2;
  }
  const std::string_view key = name.substr(dot + 1);
  if (section == "http") {
    patrol::Result<std::optional<std::string>> value = config->http(key, url);
    if (!value) {
      return failed(value.error());
    }
    return *value ? print(**value + '\n') : 1;
  }
  const std::optional<patrol::helper::Setting> setting = patrol::helper::setting_named(key);
  if (!setting) {
    std::fputs("print_config knows only the settings in patrol's table\n", stderr);
    return 2;
  }
  const std::optional<std::string> value = config->get(*setting, url);
  return value ? print(*value + '\n') : 1;
}
