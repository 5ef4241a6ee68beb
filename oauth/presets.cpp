#include "oauth/presets.hpp"

namespace patrol::oauth {

const OAuthPreset* oauth_preset(std::string_view forge) {
  const forge::ForgeFacts* row = forge::facts(forge);
  return row == nullptr ? nullptr : &row->oauth;
}

std::string endpoint_on(std::string_view protocol, std::string_view host, std::string_view path) {
  std::string url(protocol);
  url += "://";
  url += host;
  url += path;
  return url;
}

} // namespace patrol::oauth
