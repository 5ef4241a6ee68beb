#include "helper/git/credential_url.hpp"

#include "common/percent.hpp"

namespace patrol::helper {

std::string credential_url(const Credential& credential) {
  std::string url = credential.protocol;
  url += "://";
  if (!credential.username.empty()) {
    percent_encode(url, credential.username);
    url += '@';
  }
  url += credential.host;
  url += '/';
  percent_encode(url, credential.path, "/");
  return url;
}

std::string credential_origin(const Credential& credential) {
  return credential.protocol + "://" + credential.host;
}

} // namespace patrol::helper
