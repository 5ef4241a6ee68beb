#include "helper/commands/import_store_file.hpp"

namespace patrol::helper {

StoreFile::~StoreFile() {
  for (std::string& line : lines) {
    wipe(line);
  }
}

StoreFile parse_store_file(std::string_view text) {
  StoreFile file;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    file.lines.emplace_back(line);
  }
  for (std::size_t index = 0; index < file.lines.size(); ++index) {
    const std::string& line = file.lines[index];
    if (line.empty() || line.find('\r') != std::string::npos) {
      ++file.ignored;
      continue;
    }
    std::string request = "url=" + line + "\n";
    Result<Credential> parsed = parse(request);
    wipe(request);
    // As git-credential-store: "https://:@host" is an empty username and password, kept.
    if (!parsed || parsed->protocol.empty() || parsed->host.empty() || !parsed->username_given ||
        !parsed->password_given) {
      ++file.ignored;
      continue;
    }
    file.entries.push_back(StoreFileEntry{index, std::move(*parsed)});
  }
  return file;
}

std::string without_lines(const StoreFile& file, const std::set<std::size_t>& removed) {
  std::string text;
  for (std::size_t index = 0; index < file.lines.size(); ++index) {
    if (removed.count(index) == 0) {
      text += file.lines[index];
      text += '\n';
    }
  }
  return text;
}

} // namespace patrol::helper
