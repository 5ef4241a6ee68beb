#include <catch2/catch.hpp>

#include <optional>
#include <string>

#include "helper/git/url_match.hpp"

using patrol::helper::compare_specificity;
using patrol::helper::match_url;
using patrol::helper::normalize_url;
using patrol::helper::normalize_url_pattern;
using patrol::helper::NormalizedUrl;
using patrol::helper::UrlMatch;

namespace {

struct NormalizeCase {
  const char* input;
  const char* expected; // nullptr: refused
  const char* reason;   // git's reason when refused
};

// Expected values are what git 2.39's url_normalize produces.
const NormalizeCase normalize_cases[] = {
    {"https://example.com", "https://example.com/", nullptr},
    {"HTTPS://Example.COM/Path", "https://example.com/Path", nullptr},
    {"https://example.com:443/", "https://example.com/", nullptr},
    {"https://example.com:0443", "https://example.com/", nullptr},
    {"http://example.com:80/x", "http://example.com/x", nullptr},
    {"http://example.com:443/", "http://example.com:443/", nullptr},
    {"https://example.com:80/", "https://example.com:80/", nullptr},
    {"https://example.com:/", "https://example.com/", nullptr},
    {"https://example.com:008080", "https://example.com:8080/", nullptr},
    {"ftp://example.com:21/", "ftp://example.com:21/", nullptr},
    {"https://example.com/a/./b/../c", "https://example.com/a/c", nullptr},
    {"https://example.com/./a", "https://example.com/a", nullptr},
    {"https://example.com/a/..", "https://example.com/", nullptr},
    {"https://example.com/a/.", "https://example.com/a", nullptr},
    {"https://example.com/a/%2e%2E/b", "https://example.com/b", nullptr},
    {"https://example.com//a", "https://example.com//a", nullptr},
    {"https://example.com/%7euser/%41%2f", "https://example.com/~user/A%2F", nullptr},
    {"https://example.com/a b", "https://example.com/a%20b", nullptr},
    {"https://example.com/%e2%82%ac", "https://example.com/%E2%82%AC", nullptr},
    {"https://example.com/?q=a b#f", "https://example.com/?q=a%20b#f", nullptr},
    {"https://example.com?x", "https://example.com/?x", nullptr},
    {"https://%61lice:p%40ss@Example.com", "https://alice:p%40ss@example.com/", nullptr},
    {"https://@example.com", "https://@example.com/", nullptr},
    {"https://[::1]:8443/r", "https://[::1]:8443/r", nullptr},
    {"https://[::1]/r", "https://[::1]/r", nullptr},
    {"file:///tmp/x", "file:///tmp/x", nullptr},
    {"example.com", nullptr, "invalid URL scheme name or missing '://' suffix"},
    {"1http://example.com", nullptr, "invalid URL scheme name or missing '://' suffix"},
    {"https:/example.com", nullptr, "invalid URL scheme name or missing '://' suffix"},
    {"https://", nullptr, "missing host and scheme is not 'file:'"},
    {"https://:8080/", nullptr, "missing host and scheme is not 'file:'"},
    {"file://:80/", nullptr, "a 'file:' URL may not have a port number"},
    {"https://exa mple.com", nullptr, "invalid characters in host name"},
    {"https://*.example.com", nullptr, "invalid characters in host name"},
    {"https://example.com:0", nullptr, "invalid port number"},
    {"https://example.com:65536", nullptr, "invalid port number"},
    {"https://example.com:123456", nullptr, "invalid port number"},
    {"https://example.com:8x", nullptr, "invalid port number"},
    {"https://example.com/%zz", nullptr, "invalid %XX escape sequence"},
    {"https://example.com/%4", nullptr, "invalid %XX escape sequence"},
    {"https://us%er@example.com", nullptr, "invalid %XX escape sequence"},
    {"https://example.com/..", nullptr, "invalid '..' path segment"},
    {"https://example.com/./..", nullptr, "invalid '..' path segment"},
};

std::optional<UrlMatch> match(const char* url, const char* pattern) {
  auto u = normalize_url(url);
  auto p = normalize_url_pattern(pattern);
  REQUIRE(u);
  REQUIRE(p);
  return match_url(*u, *p);
}

struct MatchCase {
  const char* url;
  const char* pattern;
  bool matches;
  std::size_t path_len; // when it matches
  bool user_matched;    // when it matches
};

const MatchCase match_cases[] = {
    {"https://example.com/group/repo", "https://example.com", true, 1, false},
    {"https://example.com/group/repo", "https://example.com/group", true, 7, false},
    {"https://example.com/group/repo", "https://example.com/group/", true, 7, false},
    {"https://example.com/group", "https://example.com/group/", true, 7, false},
    {"https://example.com/groupie", "https://example.com/group", false, 0, false},
    {"https://example.com/Group", "https://example.com/group", false, 0, false},
    {"https://example.com/group?x", "https://example.com/group", false, 0, false},
    {"https://EXAMPLE.com", "https://example.COM:443/", true, 1, false},
    {"http://example.com", "https://example.com", false, 0, false},
    {"https://example.com:8443", "https://example.com", false, 0, false},
    {"https://example.com", "https://example.com:8443", false, 0, false},
    {"https://alice@example.com", "https://example.com", true, 1, false},
    {"https://alice@example.com", "https://alice@example.com", true, 1, true},
    {"https://bob@example.com", "https://alice@example.com", false, 0, false},
    {"https://example.com", "https://alice@example.com", false, 0, false},
    {"https://alice:pw@example.com", "https://alice@example.com", true, 1, true},
    {"https://a.example.com", "https://*.example.com", true, 1, false},
    {"https://a.b.example.com", "https://*.example.com", false, 0, false},
    {"https://example.com", "https://*.example.com", false, 0, false},
    {"https://a.b.example.com", "https://*.*.example.com", true, 1, false},
    {"https://gitlab.example.com", "https://git*.example.com", false, 0, false},
    {"https://example.com.", "https://example.com", true, 1, false},
    {"https://example.com/%67roup", "https://example.com/group", true, 7, false},
    {"https://example.com/group%2Frepo", "https://example.com/group", false, 0, false},
    {"file:///tmp/x", "file:///tmp", true, 5, false},
};

} // namespace

TEST_CASE("URLs normalise as git's url_normalize does", "[url_match]") {
  for (const NormalizeCase& c : normalize_cases) {
    INFO(c.input);
    auto got = normalize_url(c.input);
    if (c.expected != nullptr) {
      REQUIRE(got);
      CHECK(got->text == c.expected);
    } else {
      REQUIRE_FALSE(got);
      CHECK(got.error().message == c.reason);
    }
  }
}

TEST_CASE("normalised URLs know where their parts are", "[url_match]") {
  auto got = normalize_url("HTTPS://Al%69ce:pw@Host.Example:8443/a/b?q");
  REQUIRE(got);
  const NormalizedUrl& u = *got;
  CHECK(u.text == "https://Alice:pw@host.example:8443/a/b?q");
  CHECK(u.text.substr(0, u.scheme_len) == "https");
  CHECK(u.text.substr(u.user_off, u.user_len) == "Alice");
  CHECK(u.text.substr(u.passwd_off, u.passwd_len) == "pw");
  CHECK(u.text.substr(u.host_off, u.host_len) == "host.example");
  CHECK(u.text.substr(u.port_off, u.port_len) == "8443");
  CHECK(u.text.substr(u.path_off, u.path_len) == "/a/b");
}

TEST_CASE("configuration URLs may use '*' as a host label", "[url_match]") {
  auto got = normalize_url_pattern("https://*.Example.com");
  REQUIRE(got);
  CHECK(got->text == "https://*.example.com/");
}

TEST_CASE("a configuration URL applies by scheme, user, host, port and path prefix",
          "[url_match]") {
  for (const MatchCase& c : match_cases) {
    INFO(c.url << " against " << c.pattern);
    std::optional<UrlMatch> got = match(c.url, c.pattern);
    REQUIRE(got.has_value() == c.matches);
    if (got) {
      CHECK(got->path_len == c.path_len);
      CHECK(got->user_matched == c.user_matched);
    }
  }
}

TEST_CASE("specificity: host length, then path length, then a named user", "[url_match]") {
  const UrlMatch plain{11, 1, false};
  CHECK(compare_specificity(plain, plain) == 0);
  CHECK(compare_specificity(UrlMatch{15, 1, false}, UrlMatch{13, 9, true}) > 0);
  CHECK(compare_specificity(UrlMatch{11, 7, false}, UrlMatch{11, 1, true}) > 0);
  CHECK(compare_specificity(UrlMatch{11, 1, true}, plain) > 0);
  CHECK(compare_specificity(plain, UrlMatch{11, 1, true}) < 0);
  CHECK(compare_specificity(UrlMatch{0, 0, false}, plain) < 0);
}
