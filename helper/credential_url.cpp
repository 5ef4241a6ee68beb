#include "helper/credential_url.hpp"

#include <string_view>

namespace patrol::helper {
namespace {

void append_encoded(std::string& out, std::string_view text, std::string_view keep) {
  constexpr std::string_view hex = "0123456789ABCDEF";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
                            (byte >= '0' && byte <= '9') || c == '-' || c == '.' || c == '_' ||
                            c == '~' || keep.find(c) != std::string_view::npos;
    if (unreserved) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(hex[byte >> 4U]);
      out.push_back(hex[byte & 0xFU]);
    }
  }
}

} // namespace

std::string credential_url(const Credential& credential) {
  std::string url = credential.protocol;
  url += "://";
  if (!credential.username.empty()) {
    append_encoded(url, credential.username, "");
    url += '@';
  }
  url += credential.host;
  url += '/';
  append_encoded(url, credential.path, "/");
  return url;
}

} // namespace patrol::helper
