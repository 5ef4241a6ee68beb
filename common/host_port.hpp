#pragma once
// One spelling per origin for a host's port, shared by everything that compares hosts:
// git's `host=` ("name", "name:port", "[v6]:port") and URLs. git's URL normalisation
// (urlmatch.c) is the model: leading zeros go, and the scheme's default port (443 for
// https, 80 for http) is the same as no port, so "d.example:0443", "d.example:443" and
// "d.example" are one https origin, stored and looked up as "d.example".
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace patrol {

// The ':' that starts a host's port: the last one not inside an IPv6 literal's brackets;
// npos when the host has no port.
[[nodiscard]] std::size_t port_colon(std::string_view host);

// `port` is the text after that ':'. Returns "" for an empty port or the scheme's default,
// else the number without leading zeros; nullopt when it is not a number from 1 to 65535.
[[nodiscard]] std::optional<std::string> canonical_port(std::string_view scheme,
                                                        std::string_view port);

// The host with its port in canonical form (or without it when it is the default);
// nullopt when the port is not a number from 1 to 65535, or the host has two ports.
[[nodiscard]] std::optional<std::string> canonical_host(std::string_view scheme,
                                                        std::string_view host);

// Whether two hosts name one origin under the scheme: equal as they are, or in canonical
// form (records kept before hosts were made canonical hold them as git sent them).
[[nodiscard]] bool same_host(std::string_view scheme, std::string_view a, std::string_view b);

} // namespace patrol
