#include "helper/git/config_parameters.hpp"
#include "common/ascii.hpp"

#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

namespace patrol::helper {
namespace {

// ---- git's config.c, git_config_from_parameters ----

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

bool is_key_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-'; }

// git_config_parse_key: section and name lower-cased and checked, subsection kept.
Result<std::string> canonical_key(std::string_view key) {
  if (key.empty()) {
    return fail(Errc::config, "empty config key in the command-line configuration");
  }
  const std::size_t last_dot = key.rfind('.');
  if (last_dot == std::string_view::npos || last_dot == 0) {
    return fail(Errc::config, "key does not contain a section: " + std::string(key));
  }
  if (last_dot + 1 == key.size()) {
    return fail(Errc::config, "key does not contain variable name: " + std::string(key));
  }
  std::string out(key);
  bool seen_dot = false;
  for (std::size_t i = 0; i < out.size(); ++i) {
    seen_dot = seen_dot || out[i] == '.';
    if (!seen_dot || i > last_dot) {
      if (!is_key_char(out[i]) ||
          (i == last_dot + 1 && std::isalpha(static_cast<unsigned char>(out[i])) == 0)) {
        return fail(Errc::config, "invalid key: " + std::string(key));
      }
      out[i] = ascii_lower(out[i]);
    } else if (out[i] == '\n') {
      return fail(Errc::config, "invalid key (newline): " + std::string(key));
    }
  }
  return out;
}

Result<void> add_pair(std::vector<ConfigEntry>& out, std::string_view key,
                      std::optional<std::string> value) {
  Result<std::string> name = canonical_key(key);
  if (!name) {
    return tl::unexpected(name.error());
  }
  out.push_back(ConfigEntry{std::move(*name), std::move(value)});
  return {};
}

// One shell single-quoted word at text[pos] ('a'\''b' style); pos ends after it.
std::optional<std::string> sq_dequote_step(std::string_view text, std::size_t& pos) {
  if (pos >= text.size() || text[pos] != '\'') {
    return std::nullopt;
  }
  std::string out;
  ++pos;
  for (;;) {
    if (pos >= text.size()) {
      return std::nullopt;
    }
    const char c = text[pos++];
    if (c != '\'') {
      out += c;
      continue;
    }
    // Out of the quotes: \' or \! resumes them, anything else ends the word.
    if (pos + 2 < text.size() && text[pos] == '\\' &&
        (text[pos + 1] == '\'' || text[pos + 1] == '!') && text[pos + 2] == '\'') {
      out += text[pos + 1];
      pos += 3;
      continue;
    }
    return out;
  }
}

tl::unexpected<Error> bogus_parameters() {
  return fail(Errc::config, "bogus format in GIT_CONFIG_PARAMETERS");
}

// An old-style 'key=value' word: split at the first '=', the key trimmed.
Result<void> add_old_style(std::vector<ConfigEntry>& out, std::string_view text) {
  std::optional<std::string> value;
  std::string_view key = text;
  const std::size_t eq = text.find('=');
  if (eq != std::string_view::npos) {
    key = text.substr(0, eq);
    value = std::string(text.substr(eq + 1));
  }
  while (!key.empty() && is_space(key.front())) {
    key.remove_prefix(1);
  }
  while (!key.empty() && is_space(key.back())) {
    key.remove_suffix(1);
  }
  if (key.empty()) {
    return fail(Errc::config, "bogus config parameter in GIT_CONFIG_PARAMETERS");
  }
  return add_pair(out, key, std::move(value));
}

Result<void> parse_parameters(std::vector<ConfigEntry>& out, std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::optional<std::string> key = sq_dequote_step(text, pos);
    if (!key) {
      return bogus_parameters();
    }
    if (pos == text.size() || is_space(text[pos])) {
      if (Result<void> added = add_old_style(out, *key); !added) {
        return added;
      }
    } else if (text[pos] == '=') {
      ++pos;
      std::optional<std::string> value;
      if (pos < text.size() && text[pos] == '\'') {
        value = sq_dequote_step(text, pos);
        if (!value || (pos < text.size() && !is_space(text[pos]))) {
          return bogus_parameters();
        }
      } else if (pos < text.size() && !is_space(text[pos])) {
        return bogus_parameters();
      }
      if (Result<void> added = add_pair(out, *key, std::move(value)); !added) {
        return added;
      }
    } else {
      return bogus_parameters();
    }
    while (pos < text.size() && is_space(text[pos])) {
      ++pos;
    }
  }
  return {};
}

} // namespace

Result<void> read_command_line(std::vector<ConfigEntry>& out) {
  if (const char* count_text = std::getenv("GIT_CONFIG_COUNT")) {
    char* end = nullptr;
    errno = 0;
    const unsigned long count = std::strtoul(count_text, &end, 10);
    if (*end != '\0') {
      return fail(Errc::config, "bogus count in GIT_CONFIG_COUNT");
    }
    if (count > INT_MAX || errno == ERANGE) {
      return fail(Errc::config, "too many entries in GIT_CONFIG_COUNT");
    }
    for (unsigned long i = 0; i < count; ++i) {
      const std::string key_var = "GIT_CONFIG_KEY_" + std::to_string(i);
      const std::string value_var = "GIT_CONFIG_VALUE_" + std::to_string(i);
      const char* key = std::getenv(key_var.c_str());
      if (key == nullptr) {
        return fail(Errc::config, "missing config key " + key_var);
      }
      const char* value = std::getenv(value_var.c_str());
      if (value == nullptr) {
        return fail(Errc::config, "missing config value " + value_var);
      }
      if (Result<void> added = add_pair(out, key, std::string(value)); !added) {
        return added;
      }
    }
  }
  if (const char* parameters = std::getenv("GIT_CONFIG_PARAMETERS")) {
    return parse_parameters(out, parameters);
  }
  return {};
}

} // namespace patrol::helper
