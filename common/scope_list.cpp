#include "common/scope_list.hpp"

namespace patrol {

std::vector<std::string> split_scopes(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const std::size_t end = text.find_first_of(" ,");
    if (const std::string_view scope = text.substr(0, end); !scope.empty()) {
      out.emplace_back(scope);
    }
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  }
  return out;
}

std::string join_scopes(std::span<const std::string> scopes, std::string_view separator) {
  std::string out;
  for (const std::string& scope : scopes) {
    if (!out.empty()) {
      out += separator;
    }
    out += scope;
  }
  return out;
}

} // namespace patrol
