#include "common/host_port.hpp"

#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

using patrol::canonical_host;
using patrol::canonical_port;

namespace {

struct HostRow {
  const char* scheme;
  const char* host;
  std::optional<std::string> expected;
};

} // namespace

TEST_CASE("canonical_host: one spelling per origin", "[host_port]") {
  const std::vector<HostRow> rows = {
      {"https", "d.example", "d.example"},
      {"https", "d.example:443", "d.example"},
      {"https", "d.example:0443", "d.example"},
      {"https", "d.example:00000443", "d.example"},
      {"https", "d.example:", "d.example"},
      {"https", "d.example:80", "d.example:80"},
      {"https", "d.example:8443", "d.example:8443"},
      {"https", "d.example:08443", "d.example:8443"},
      {"https", "d.example:1", "d.example:1"},
      {"https", "d.example:65535", "d.example:65535"},
      {"http", "d.example:80", "d.example"},
      {"http", "d.example:080", "d.example"},
      {"http", "d.example:443", "d.example:443"},
      {"ftp", "d.example:21", "d.example:21"},
      {"", "d.example:443", "d.example:443"},
      {"https", "[::1]", "[::1]"},
      {"https", "[::1]:443", "[::1]"},
      {"https", "[::1]:08443", "[::1]:8443"},
      {"https", "", ""},
      {"https", "d.example:0", std::nullopt},
      {"https", "d.example:000", std::nullopt},
      {"https", "d.example:65536", std::nullopt},
      {"https", "d.example:100000", std::nullopt},
      {"https", "d.example:-443", std::nullopt},
      {"https", "d.example:+443", std::nullopt},
      {"https", "d.example: 443", std::nullopt},
      {"https", "d.example:443 ", std::nullopt},
      {"https", "d.example:0x1bb", std::nullopt},
      {"https", "d.example:https", std::nullopt},
      {"https", "[::1]:x", std::nullopt},
      // Two ports: dropping an empty or default last one would leave a malformed host.
      {"https", "[::1]:84rl=https:", std::nullopt},
      {"https", "d.example:abc:443", std::nullopt},
      {"https", "d.example:8443:", std::nullopt},
  };
  for (const HostRow& row : rows) {
    INFO(row.scheme << "://" << row.host);
    CHECK(canonical_host(row.scheme, row.host) == row.expected);
  }
}

TEST_CASE("canonical_port: the default is empty, others lose their zeros", "[host_port]") {
  CHECK(canonical_port("https", "") == std::string());
  CHECK(canonical_port("https", "443") == std::string());
  CHECK(canonical_port("https", "0080") == std::string("80"));
  CHECK(canonical_port("http", "0080") == std::string());
  CHECK_FALSE(canonical_port("https", "0").has_value());
  CHECK_FALSE(canonical_port("https", "99999").has_value());
}
