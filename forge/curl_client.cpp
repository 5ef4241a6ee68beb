#include <cstring>
#include <memory>
#include <string>
#include <utility>

#include "forge/curl_library.hpp"
#include "forge/http.hpp"

namespace patrol::forge {
namespace {

struct Exchange {
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::size_t header_bytes = 0; // over every response of the exchange (proxy, 100, final)
  bool body_too_large = false;
  bool headers_too_large = false;
};

// Returning less than was given makes libcurl stop the transfer (CURLE_WRITE_ERROR).
std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  if (size * count > max_answer_bytes - exchange->body.size()) {
    exchange->body_too_large = true;
    return 0;
  }
  exchange->body.append(data, size * count);
  return size * count;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  exchange->header_bytes += size * count;
  if (exchange->header_bytes > max_header_bytes) {
    exchange->headers_too_large = true;
    return 0;
  }
  std::string_view line(data, size * count);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
    line.remove_suffix(1);
  }
  if (line.starts_with("HTTP/")) {
    exchange->headers.clear(); // a new response (after a proxy's CONNECT or a 100)
  } else if (const std::size_t colon = line.find(':'); colon != std::string_view::npos) {
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
      value.remove_prefix(1);
    }
    exchange->headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  return size * count;
}

// curl keeps its own copy of each header line; the Authorization one is wiped before free.
struct HeaderList {
  const CurlLibrary& api;
  curl_slist* list = nullptr;
  explicit HeaderList(const CurlLibrary& library) : api(library) {}
  HeaderList(const HeaderList&) = delete;
  HeaderList& operator=(const HeaderList&) = delete;
  ~HeaderList() {
    for (curl_slist* item = list; item != nullptr; item = item->next) {
      wipe(item->data, std::strlen(item->data));
    }
    api.slist_free_all(list);
  }
  bool add(const std::string& line) {
    curl_slist* next = api.slist_append(list, line.c_str());
    if (next == nullptr) {
      return false;
    }
    list = next;
    return true;
  }
};

std::string describe(const CurlLibrary& api, CURLcode code, const Exchange& exchange,
                     const HttpRequest& request, const HttpSettings& settings) {
  const std::string where = " (" + request.url + ")";
  if (exchange.headers_too_large) {
    return "the headers of the answer from " + url_authority(request.url) + " are larger than " +
           std::to_string(max_header_bytes / 1024) + " KiB" + where;
  }
  if (exchange.body_too_large || code == CURLE_FILESIZE_EXCEEDED) {
    return "the answer from " + url_authority(request.url) + " is larger than " +
           std::to_string(max_answer_bytes / (1024 * 1024)) + " MiB" + where;
  }
  switch (code) {
  case CURLE_OPERATION_TIMEDOUT:
    return "no complete answer within " + std::to_string(settings.total_timeout.count() / 1000) +
           " s" + where;
  case CURLE_COULDNT_RESOLVE_HOST:
    return "cannot resolve the host" + where;
  case CURLE_COULDNT_RESOLVE_PROXY:
    return "cannot resolve the proxy" + where;
  case CURLE_COULDNT_CONNECT:
    return "cannot connect" + where;
  case CURLE_PEER_FAILED_VERIFICATION:
  case CURLE_SSL_CACERT_BADFILE:
    return "the server's TLS certificate is not trusted" + where +
           "; set http.sslCAInfo or GIT_SSL_CAINFO to the CA that signed it";
  default:
    return std::string(api.easy_strerror(code)) + where;
  }
}

class CurlClient final : public HttpClient {
public:
  explicit CurlClient(HttpSettings settings) : settings_(std::move(settings)) {}
  Result<HttpResponse> send(const HttpRequest& request) override;

private:
  HttpSettings settings_;
};

Result<HttpResponse> CurlClient::send(const HttpRequest& request) {
  if (Result<void> allowed = check_url(request.url); !allowed) {
    return tl::unexpected(allowed.error());
  }
  Result<const CurlLibrary*> library = curl_library();
  if (!library) {
    return tl::unexpected(library.error());
  }
  const CurlLibrary& api = **library;
  std::unique_ptr<CURL, decltype(api.easy_cleanup)> curl(api.easy_init(), api.easy_cleanup);
  if (!curl) {
    return fail(Errc::network, "cannot start an HTTP request: out of memory");
  }
  CURL* handle = curl.get();
  Exchange exchange;
  HeaderList headers(api);
  bool ok = headers.add("Expect:") && headers.add("User-Agent: git-credential-patrol");
  for (const auto& [name, value] : request.headers) {
    ok = ok && headers.add(name + ": " + value);
  }
  if (!request.authorization.empty()) {
    std::string line = "Authorization: " + std::string(request.authorization.view());
    ok = ok && headers.add(line);
    wipe(line);
  }
  if (!request.content_type.empty()) {
    ok = ok && headers.add("Content-Type: " + request.content_type);
  }
  if (!ok) {
    return fail(Errc::network, "cannot build an HTTP request: out of memory");
  }

  api.easy_setopt(handle, CURLOPT_URL, request.url.c_str());
  api.easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "https,http");
  api.easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
  api.easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L);
  api.easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L);
  api.easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  api.easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS,
                  static_cast<long>(settings_.connect_timeout.count()));
  // The whole transfer, body included, however slowly it arrives.
  api.easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(settings_.total_timeout.count()));
  // Refused at once when the Content-Length says more; the write callback bounds the rest.
  api.easy_setopt(handle, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(max_answer_bytes));
  if (!settings_.ca_file.empty()) {
    api.easy_setopt(handle, CURLOPT_CAINFO, settings_.ca_file.c_str());
  }
  if (!settings_.ca_path.empty()) {
    api.easy_setopt(handle, CURLOPT_CAPATH, settings_.ca_path.c_str());
  }
  // "" turns every proxy off, the environment's too (libcurl's CURLOPT_PROXY, as git does).
  if (settings_.proxy) {
    api.easy_setopt(handle, CURLOPT_PROXY, settings_.proxy->c_str());
  }
  api.easy_setopt(handle, CURLOPT_HTTPHEADER, headers.list);
  if (request.method == "POST" || !request.body.empty()) {
    api.easy_setopt(handle, CURLOPT_POST, 1L);
    api.easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.view().data());
    api.easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE,
                    static_cast<curl_off_t>(request.body.view().size()));
  }
  if (request.method != "GET" && request.method != "POST") {
    api.easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  api.easy_setopt(handle, CURLOPT_WRITEFUNCTION, on_body);
  api.easy_setopt(handle, CURLOPT_WRITEDATA, &exchange);
  api.easy_setopt(handle, CURLOPT_HEADERFUNCTION, on_header);
  api.easy_setopt(handle, CURLOPT_HEADERDATA, &exchange);

  const CURLcode code = api.easy_perform(handle);
  HttpResponse response;
  response.body = Secret(std::move(exchange.body));
  if (code != CURLE_OK) {
    return fail(Errc::network, describe(api, code, exchange, request, settings_));
  }
  api.easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &response.status);
  response.headers = std::move(exchange.headers);
  return response;
}

} // namespace

std::unique_ptr<HttpClient> make_http_client(HttpSettings settings) {
  return std::make_unique<CurlClient>(std::move(settings));
}

} // namespace patrol::forge
