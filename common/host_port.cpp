#include "common/host_port.hpp"

namespace patrol {

std::size_t port_colon(std::string_view host) {
  for (std::size_t at = host.size(); at > 0;) {
    --at;
    if (host[at] == ':') {
      return at;
    }
    if (host[at] == ']') {
      break;
    }
  }
  return std::string_view::npos;
}

std::optional<std::string> canonical_port(std::string_view scheme, std::string_view port) {
  if (port.empty()) {
    return std::string(); // "name:" is the default port, as for git and curl
  }
  if (port.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  const std::size_t first = port.find_first_not_of('0');
  if (first == std::string_view::npos) {
    return std::nullopt; // all zeros: port 0
  }
  port.remove_prefix(first);
  if (port.size() > 5 || (port.size() == 5 && port > "65535")) {
    return std::nullopt;
  }
  if ((scheme == "https" && port == "443") || (scheme == "http" && port == "80")) {
    return std::string();
  }
  return std::string(port);
}

std::optional<std::string> canonical_host(std::string_view scheme, std::string_view host) {
  const std::size_t colon = port_colon(host);
  if (colon == std::string_view::npos) {
    return std::string(host);
  }
  std::optional<std::string> port = canonical_port(scheme, host.substr(colon + 1));
  // A name with a port of its own before this one ("x:84:", "x:abc:443") is no host at all:
  // dropping the last, empty or default, port would leave a malformed one behind.
  if (!port || port_colon(host.substr(0, colon)) != std::string_view::npos) {
    return std::nullopt;
  }
  std::string canonical(host.substr(0, colon));
  if (!port->empty()) {
    canonical += ':';
    canonical += *port;
  }
  return canonical;
}

bool same_host(std::string_view scheme, std::string_view a, std::string_view b) {
  if (a == b) {
    return true;
  }
  const std::optional<std::string> first = canonical_host(scheme, a);
  const std::optional<std::string> second = canonical_host(scheme, b);
  return first && second && *first == *second;
}

} // namespace patrol
