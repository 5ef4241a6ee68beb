#include "helper/git/config_file.hpp"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <pwd.h>
#include <unistd.h>

#include "common/ascii.hpp"

namespace patrol::helper {
namespace {

constexpr int max_include_depth = 10;

bool is_space(int c) { return std::isspace(c) != 0; }
bool is_alpha(int c) { return std::isalpha(c) != 0; }
bool is_key_char(int c) { return std::isalnum(c) != 0 || c == '-'; }

// The file's bytes, or nullopt when it cannot be opened (git skips such files).

// git's expand_user_path for "~/" and "~user/"; nullopt when it cannot be expanded.
std::optional<std::string> expand_user(const std::string& path) {
  if (!path.starts_with('~')) {
    return path;
  }
  const std::size_t slash = std::min(path.find('/'), path.size());
  const std::string user = path.substr(1, slash - 1);
  std::string home;
  if (user.empty()) {
    const char* env = std::getenv("HOME");
    if (env == nullptr) {
      return std::nullopt;
    }
    home = env;
  } else {
    const passwd* entry = getpwnam(user.c_str());
    if (entry == nullptr || entry->pw_dir == nullptr) {
      return std::nullopt;
    }
    home = entry->pw_dir;
  }
  return home + path.substr(slash);
}

// git's get_next_char over a text: "\r\n" reads as "\n", and the end as a last "\n".
class Source {
public:
  explicit Source(std::string_view text) : text_(text) {
    if (text_.starts_with("\xef\xbb\xbf")) {
      text_.remove_prefix(3); // a UTF-8 byte order mark, as git skips it
    }
  }
  int next() {
    if (at_ >= text_.size()) {
      eof_ = true;
      return '\n';
    }
    int c = static_cast<unsigned char>(text_[at_++]);
    if (c == '\r' && at_ < text_.size() && text_[at_] == '\n') {
      c = '\n';
      ++at_;
    }
    return c;
  }
  [[nodiscard]] bool eof() const { return eof_; }

private:
  std::string_view text_;
  std::size_t at_ = 0;
  bool eof_ = false;
};

class Parser {
public:
  Parser(const std::string& path, std::span<const std::string_view> sections,
         std::vector<ConfigFileEntry>& out, int depth)
      : path_(path), sections_(sections), out_(out), depth_(depth) {}

  ConfigFileRead parse(std::string_view text) {
    Source source(text);
    std::string section; // "name." or "name.subsection."
    bool comment = false;
    bool have_section = false;
    for (;;) {
      int c = source.next();
      if (c == '\n') {
        if (source.eof()) {
          return ConfigFileRead::done;
        }
        comment = false;
        continue;
      }
      if (comment || is_space(c)) {
        continue;
      }
      if (c == '#' || c == ';') {
        comment = true;
        continue;
      }
      if (c == '[') {
        section.clear();
        if (!base_var(source, section) || section.empty()) {
          return ConfigFileRead::ask_git;
        }
        section += '.';
        have_section = true;
        continue;
      }
      if (!is_alpha(c) || !have_section) {
        return ConfigFileRead::ask_git;
      }
      std::string name = section;
      name += ascii_lower(static_cast<char>(c));
      if (const ConfigFileRead read = entry(source, name); read != ConfigFileRead::done) {
        return read;
      }
    }
  }

private:
  // git's get_base_var and get_extended_base_var.
  static bool base_var(Source& source, std::string& name) {
    for (;;) {
      int c = source.next();
      if (source.eof()) {
        return false;
      }
      if (c == ']') {
        return true;
      }
      if (is_space(c)) {
        return extended_base_var(source, name, c);
      }
      if (!is_key_char(c) && c != '.') {
        return false;
      }
      name += ascii_lower(static_cast<char>(c));
    }
  }

  static bool extended_base_var(Source& source, std::string& name, int c) {
    do {
      if (c == '\n') {
        return false;
      }
      c = source.next();
    } while (is_space(c));
    if (c != '"') {
      return false;
    }
    name += '.';
    for (;;) {
      c = source.next();
      if (c == '\n') {
        return false;
      }
      if (c == '"') {
        break;
      }
      if (c == '\\') {
        c = source.next();
        if (c == '\n') {
          return false;
        }
      }
      name += static_cast<char>(c);
    }
    return source.next() == ']';
  }

  // git's get_value: the rest of the key, then nothing or "= value".
  ConfigFileRead entry(Source& source, std::string& name) {
    int c = 0;
    for (;;) {
      c = source.next();
      if (source.eof() || !is_key_char(c)) {
        break;
      }
      name += ascii_lower(static_cast<char>(c));
    }
    while (c == ' ' || c == '\t') {
      c = source.next();
    }
    std::optional<std::string> value;
    if (c != '\n') {
      if (c != '=') {
        return ConfigFileRead::ask_git;
      }
      value = parse_value(source);
      if (!value) {
        return ConfigFileRead::ask_git;
      }
    }
    return take(std::move(name), std::move(value));
  }

  // git's parse_value.
  static std::optional<std::string> parse_value(Source& source) {
    std::string value;
    bool quote = false;
    bool comment = false;
    std::size_t trim = 0;
    for (;;) {
      int c = source.next();
      if (c == '\n') {
        if (quote) {
          return std::nullopt;
        }
        if (trim != 0) {
          value.resize(trim);
        }
        return value;
      }
      if (comment) {
        continue;
      }
      if (is_space(c) && !quote) {
        if (trim == 0) {
          trim = value.size();
        }
        if (!value.empty()) {
          value += static_cast<char>(c);
        }
        continue;
      }
      if (!quote && (c == ';' || c == '#')) {
        comment = true;
        continue;
      }
      trim = 0;
      if (c == '\\') {
        c = source.next();
        switch (c) {
        case '\n':
          continue;
        case 't':
          c = '\t';
          break;
        case 'b':
          c = '\b';
          break;
        case 'n':
          c = '\n';
          break;
        case '\\':
        case '"':
          break;
        default:
          return std::nullopt;
        }
        value += static_cast<char>(c);
        continue;
      }
      if (c == '"') {
        quote = !quote;
        continue;
      }
      value += static_cast<char>(c);
    }
  }

  bool wanted(std::string_view name) const {
    for (std::string_view section : sections_) {
      if (name.size() > section.size() && name.starts_with(section) &&
          name[section.size()] == '.') {
        return true;
      }
    }
    return false;
  }

  ConfigFileRead take(std::string name, std::optional<std::string> value) {
    if (name.starts_with("includeif.")) {
      return ConfigFileRead::ask_git;
    }
    if (name == "include.path") {
      if (!value) {
        return ConfigFileRead::ask_git; // git: "missing value for 'include.path'"
      }
      return include(*value);
    }
    if (wanted(name)) {
      out_.push_back(ConfigFileEntry{std::move(name), std::move(value)});
    }
    return ConfigFileRead::done;
  }

  // git's handle_path_include.
  ConfigFileRead include(const std::string& value) {
    if (value.empty()) {
      return ConfigFileRead::done;
    }
    std::optional<std::string> path = expand_user(value);
    if (!path) {
      return ConfigFileRead::ask_git;
    }
    if (!path->starts_with('/')) {
      const std::size_t slash = path_.rfind('/');
      if (slash == std::string::npos) {
        return ConfigFileRead::ask_git;
      }
      *path = path_.substr(0, slash + 1) + *path;
    }
    if (access(path->c_str(), R_OK) != 0) {
      return ConfigFileRead::done; // a missing include is skipped, as in git
    }
    if (depth_ + 1 > max_include_depth) {
      return ConfigFileRead::ask_git;
    }
    const std::optional<std::string> text = slurp(*path);
    if (!text) {
      return ConfigFileRead::ask_git;
    }
    return Parser(*path, sections_, out_, depth_ + 1).parse(*text);
  }

  const std::string& path_;
  std::span<const std::string_view> sections_;
  std::vector<ConfigFileEntry>& out_;
  int depth_;
};

} // namespace

std::optional<std::string> slurp(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return std::nullopt;
  }
  std::string text;
  char buffer[8192];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, file)) > 0) {
    text.append(buffer, got);
  }
  std::fclose(file);
  return text;
}

ConfigFileRead parse_config_text(std::string_view text, const std::string& path,
                                 std::span<const std::string_view> sections,
                                 std::vector<ConfigFileEntry>& out) {
  return Parser(path, sections, out, 0).parse(text);
}

ConfigFileRead read_config_file(const std::string& path, std::span<const std::string_view> sections,
                                std::vector<ConfigFileEntry>& out) {
  if (path.empty() || access(path.c_str(), R_OK) != 0) {
    return ConfigFileRead::done;
  }
  const std::optional<std::string> text = slurp(path);
  if (!text) {
    return ConfigFileRead::done;
  }
  return parse_config_text(*text, path, sections, out);
}

} // namespace patrol::helper
