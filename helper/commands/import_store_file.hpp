#pragma once
// git-credential-store's plain file (~/.git-credentials): one URL per line,
// "https://user:password@host[:port][/path]" percent-encoded, read as git reads it
// (credential_from_url; lines without a username and a password are ignored). Pure.
#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "helper/git/protocol.hpp"

namespace patrol::helper {

struct StoreFileEntry {
  std::size_t line = 0; // 0-based index into StoreFile::lines
  Credential credential;
};

struct StoreFile {
  std::vector<std::string> lines; // without line ends; hold secrets, wiped on destruction
  std::vector<StoreFileEntry> entries;
  std::size_t ignored = 0; // lines git-credential-store would not use either

  StoreFile() = default;
  StoreFile(const StoreFile&) = delete;
  StoreFile& operator=(const StoreFile&) = delete;
  StoreFile(StoreFile&&) = default;
  StoreFile& operator=(StoreFile&&) = default;
  ~StoreFile();
};

StoreFile parse_store_file(std::string_view text);

// The file's text without the given lines (for --remove-source).
std::string without_lines(const StoreFile& file, const std::set<std::size_t>& removed);

} // namespace patrol::helper
