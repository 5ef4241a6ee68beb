#pragma once
// The one HTTP client of the project. Every forge call (token introspection, rotation,
// OAuth grants) goes through HttpClient::send, so TLS verification, timeouts, proxies and
// the http:// rule are decided in one place.
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.hpp"
#include "common/secret.hpp"

namespace patrol::forge {

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers; // never confidential
  Secret authorization;     // the whole Authorization value, e.g. "Bearer <token>"
  Secret body;              // form or JSON; may hold a token or a refresh token
  std::string content_type; // of body, e.g. "application/x-www-form-urlencoded"
};

struct HttpResponse {
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers; // in arrival order
  Secret body;

  // The last header of that name (case-insensitive), or nullopt.
  [[nodiscard]] std::optional<std::string> header(std::string_view name) const;
};

// Forge and OAuth answers are a few kilobytes; a bigger one is a broken or hostile server
// and is cut off before it costs memory.
inline constexpr std::size_t max_answer_bytes = 1024 * 1024;
inline constexpr std::size_t max_header_bytes = 64 * 1024;

// How to reach one URL; the helper fills it from git's http.<url>.* settings.
struct HttpSettings {
  std::string ca_file; // http.sslCAInfo / GIT_SSL_CAINFO; empty: the system bundle
  std::string ca_path; // http.sslCAPath / GIT_SSL_CAPATH: a folder of hashed CAs
  // http.proxy: unset is libcurl's environment (https_proxy, ...); empty is no proxy at
  // all, as git reads an empty http.proxy.
  std::optional<std::string> proxy;
  std::chrono::milliseconds connect_timeout{3000};
  // The whole exchange, up to the answer's last byte: a server that trickles its answer
  // is cut off like one that never answers.
  std::chrono::milliseconds total_timeout{10000};
};

class HttpClient {
public:
  HttpClient() = default;
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;
  virtual ~HttpClient() = default;

  // Sends one request. Redirects are never followed (a token endpoint that redirects is
  // an error to see, not to obey). Any HTTP status is a response; a failure to get one
  // (DNS, TLS, timeout, refused URL, an answer past max_answer_bytes or headers past
  // max_header_bytes) is an Errc::network or Errc::invalid_input error.
  virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
};

// The libcurl client. libcurl is initialised on the first send, not before.
std::unique_ptr<HttpClient> make_http_client(HttpSettings settings);

// A URL as libcurl reads it: scheme and host lower-cased, the port always given (the
// scheme's default when the URL names none).
struct UrlParts {
  std::string scheme;
  std::string host;
  std::string port;
  [[nodiscard]] std::string origin() const { return scheme + "://" + host + ":" + port; }
};

// Errc::invalid_input for a URL libcurl does not parse.
Result<UrlParts> url_parts(std::string_view url);

// Whether a and b share scheme, host and port (a secret meant for one may go to the
// other). False when either does not parse.
bool same_origin(std::string_view a, std::string_view b);

// https:// always; http:// only to a loopback host (127.0.0.0/8, ::1, localhost), for
// test servers. Anything else, or a URL that does not parse, is refused.
Result<void> check_url(std::string_view url);

// "host" or "host:port" of a URL, as a message names a server; the URL itself when it
// does not parse.
std::string url_authority(std::string_view url);

// application/x-www-form-urlencoded encoding of one value.
std::string form_encode(std::string_view value);

} // namespace patrol::forge
