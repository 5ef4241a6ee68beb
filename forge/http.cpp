#include "forge/http.hpp"

#include <memory>

#include "common/ascii.hpp"
#include "common/percent.hpp"
#include "forge/curl_library.hpp"

namespace patrol::forge {
namespace {

// A dotted IPv4 address in 127.0.0.0/8.
bool is_loopback_ipv4(std::string_view host) {
  if (!host.starts_with("127.")) {
    return false;
  }
  int dots = 0;
  std::size_t digits = 0;
  for (const char c : host) {
    if (c == '.') {
      if (digits == 0 || digits > 3) {
        return false;
      }
      ++dots;
      digits = 0;
    } else if (c >= '0' && c <= '9') {
      ++digits;
    } else {
      return false;
    }
  }
  return dots == 3 && digits > 0 && digits <= 3;
}

bool is_loopback(std::string_view host) {
  return host == "localhost" || host == "[::1]" || is_loopback_ipv4(host);
}

} // namespace

Result<UrlParts> url_parts(std::string_view url) {
  Result<const CurlLibrary*> curl = curl_library();
  if (!curl) {
    return tl::unexpected(curl.error());
  }
  const CurlLibrary& api = **curl;
  std::unique_ptr<CURLU, decltype(api.url_cleanup)> handle(api.url(), api.url_cleanup);
  const std::string text(url);
  if (!handle || api.url_set(handle.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) {
    return fail(Errc::invalid_input, "not a valid URL: " + text);
  }
  UrlParts parts;
  for (auto [part, out] :
       {std::pair{CURLUPART_SCHEME, &parts.scheme}, std::pair{CURLUPART_HOST, &parts.host},
        std::pair{CURLUPART_PORT, &parts.port}}) {
    char* value = nullptr;
    if (api.url_get(handle.get(), part, &value, CURLU_DEFAULT_PORT) != CURLUE_OK) {
      return fail(Errc::invalid_input, "not a valid URL: " + text);
    }
    *out = value;
    api.free(value);
  }
  parts.host = to_ascii_lower(parts.host);
  return parts;
}

bool same_origin(std::string_view a, std::string_view b) {
  const Result<UrlParts> first = url_parts(a);
  const Result<UrlParts> second = url_parts(b);
  return first && second && first->origin() == second->origin();
}

std::optional<std::string> HttpResponse::header(std::string_view name) const {
  for (auto it = headers.rbegin(); it != headers.rend(); ++it) {
    if (iequals_ascii(it->first, name)) {
      return it->second;
    }
  }
  return std::nullopt;
}

Result<void> check_url(std::string_view url) {
  Result<UrlParts> parts = url_parts(url);
  if (!parts) {
    return tl::unexpected(parts.error());
  }
  if (parts->scheme == "https" || (parts->scheme == "http" && is_loopback(parts->host))) {
    return {};
  }
  return fail(Errc::invalid_input, "refusing to send credentials to " + std::string(url) +
                                       ": only https:// URLs are allowed");
}

std::string url_authority(std::string_view url) {
  Result<UrlParts> parts = url_parts(url);
  if (!parts) {
    return std::string(url);
  }
  const bool default_port = (parts->scheme == "https" && parts->port == "443") ||
                            (parts->scheme == "http" && parts->port == "80");
  return default_port ? parts->host : parts->host + ':' + parts->port;
}

std::string form_encode(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  percent_encode(out, value, {}, true);
  return out;
}

} // namespace patrol::forge
