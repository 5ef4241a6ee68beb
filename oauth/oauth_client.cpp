#include "oauth/oauth_client.hpp"

#include <thread>
#include <utility>

#include <nlohmann/json.hpp>

namespace patrol::oauth {
namespace {

using nlohmann::json;

constexpr std::string_view device_grant = "urn:ietf:params:oauth:grant-type:device_code";

forge::HttpRequest post(std::string url, Secret body) {
  forge::HttpRequest request;
  request.method = "POST";
  request.url = std::move(url);
  request.headers = {{"Accept", "application/json"}};
  request.body = std::move(body);
  request.content_type = "application/x-www-form-urlencoded";
  return request;
}

std::string text_member(const json& object, const char* key) {
  if (!object.is_object()) {
    return {};
  }
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

} // namespace

Pacing real_pacing() {
  return Pacing{[] {
                  return std::chrono::duration_cast<Millis>(
                      std::chrono::steady_clock::now().time_since_epoch());
                },
                [](Millis delay) { std::this_thread::sleep_for(delay); }};
}

Secret form(std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
  std::string body;
  for (const auto& [name, value] : fields) {
    if (!body.empty()) {
      body += '&';
    }
    body += name;
    body += '=';
    body += forge::form_encode(value);
  }
  return Secret(std::move(body));
}

Result<DeviceAuthorization> request_device_code(forge::HttpClient& http,
                                                const OAuthClient& client) {
  Secret body = client.scopes.empty()
                    ? form({{"client_id", client.client_id}})
                    : form({{"client_id", client.client_id}, {"scope", client.scopes}});
  Result<forge::HttpResponse> response =
      http.send(post(client.endpoints.device_authorization, std::move(body)));
  if (!response) {
    return tl::unexpected(response.error());
  }
  Result<DeviceAuthorization> code = parse_device_authorization(*response);
  if (!code) {
    return code;
  }
  for (const std::string* page : {&code->verification_uri, &code->verification_uri_complete}) {
    if (Result<void> checked =
            check_verification_page(*page, client.endpoints.device_authorization);
        !page->empty() && !checked) {
      return tl::unexpected(checked.error());
    }
  }
  return code;
}

namespace {

// Whether a browser reads the page's host as libcurl does. A browser takes a backslash
// for a slash and drops tabs, line ends and the spaces around the URL, so
// "https://phish.example\@forge/" is phish.example to it and the forge (with a user
// name) to libcurl. A verification page needs none of these, nor a user name.
bool read_alike(std::string_view page) {
  if (page.empty() || static_cast<unsigned char>(page.front()) <= 0x20 ||
      static_cast<unsigned char>(page.back()) <= 0x20 ||
      page.find_first_of("\\\t\n\r") != std::string_view::npos) {
    return false;
  }
  const std::size_t start = page.find("://");
  if (start == std::string_view::npos) {
    return true; // not an https URL: refused by the caller
  }
  const std::string_view rest = page.substr(start + 3);
  return rest.substr(0, rest.find_first_of("/?#")).find('@') == std::string_view::npos;
}

} // namespace

Result<void> check_verification_page(std::string_view page, std::string_view device_endpoint) {
  const Result<forge::UrlParts> shown = forge::url_parts(page);
  const Result<forge::UrlParts> asked = forge::url_parts(device_endpoint);
  if (shown && asked && read_alike(page) && shown->scheme == "https" &&
      shown->host == asked->host) {
    return {};
  }
  const std::string host = asked ? asked->host : std::string("the device endpoint's host");
  // Only what libcurl parsed is quoted: the server's raw text stays off the terminal.
  const std::string seen = !shown              ? std::string("not a URL")
                           : !read_alike(page) ? "a URL a browser could read as another host's"
                                               : shown->scheme + "://" + shown->host;
  return fail(Errc::network, "refusing the sign-in: the page the server asks you to open is not "
                             "an https page on " +
                                 host + " (it is " + seen + ")");
}

Result<Tokens> poll_for_tokens(forge::HttpClient& http, const OAuthClient& client,
                               const DeviceAuthorization& authorization, const Pacing& pacing,
                               std::string* stopped_with) {
  DeviceFlow flow(authorization, pacing.now());
  Step step = flow.begin(pacing.now());
  while (true) {
    if (Granted* granted = std::get_if<Granted>(&step)) {
      return std::move(granted->tokens);
    }
    if (const Stopped* stopped = std::get_if<Stopped>(&step)) {
      if (stopped_with != nullptr) {
        *stopped_with = stopped->error;
      }
      return fail(Errc::network, stopped->message);
    }
    pacing.sleep(std::get<Wait>(step).delay);
    Result<forge::HttpResponse> response = http.send(
        post(client.endpoints.token, form({{"grant_type", device_grant},
                                           {"device_code", authorization.device_code.view()},
                                           {"client_id", client.client_id}})));
    step = flow.on_answer(classify(response), pacing.now());
  }
}

Result<TokenAnswer> refresh_tokens(forge::HttpClient& http, const OAuthClient& client,
                                   const Secret& refresh_token) {
  Secret body = client.client_secret.empty()
                    ? form({{"grant_type", "refresh_token"},
                            {"refresh_token", refresh_token.view()},
                            {"client_id", client.client_id}})
                    : form({{"grant_type", "refresh_token"},
                            {"refresh_token", refresh_token.view()},
                            {"client_id", client.client_id},
                            {"client_secret", client.client_secret.view()}});
  Result<forge::HttpResponse> response = http.send(post(client.endpoints.token, std::move(body)));
  if (!response) {
    return tl::unexpected(response.error());
  }
  return parse_token_answer(*response);
}

Result<void> revoke_token(forge::HttpClient& http, const OAuthClient& client, const Secret& token,
                          std::string_view token_type_hint) {
  if (client.endpoints.revocation.empty()) {
    return fail(Errc::unsupported, "the server offers no token revocation");
  }
  Result<forge::HttpResponse> response =
      http.send(post(client.endpoints.revocation, form({{"token", token.view()},
                                                        {"token_type_hint", token_type_hint},
                                                        {"client_id", client.client_id}})));
  if (!response) {
    return tl::unexpected(response.error());
  }
  if (response->status != 200) {
    return fail(Errc::network,
                "the revocation endpoint answered HTTP " + std::to_string(response->status));
  }
  return {};
}

Result<OAuthEndpoints> discover(forge::HttpClient& http, std::string_view base_url) {
  while (base_url.ends_with('/')) {
    base_url.remove_suffix(1);
  }
  std::string tried;
  for (const std::string_view path :
       {"/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"}) {
    forge::HttpRequest request;
    request.url = std::string(base_url) + std::string(path);
    request.headers = {{"Accept", "application/json"}};
    Result<forge::HttpResponse> response = http.send(request);
    if (!response) {
      return tl::unexpected(response.error());
    }
    const std::string_view text = response->body.view();
    const json document = json::parse(text.begin(), text.end(), nullptr, false);
    OAuthEndpoints found{text_member(document, "device_authorization_endpoint"),
                         text_member(document, "token_endpoint"),
                         text_member(document, "revocation_endpoint")};
    if (response->status == 200 && !found.device_authorization.empty() && !found.token.empty()) {
      // A server may only name endpoints on its own origin: one that points elsewhere
      // would have patrol hand that place a client id, a device code and tokens.
      for (const std::string* endpoint :
           {&found.device_authorization, &found.token, &found.revocation}) {
        if (!endpoint->empty() && !forge::same_origin(*endpoint, base_url)) {
          return fail(Errc::network,
                      "refusing OAuth endpoints from " + request.url + ": " + *endpoint +
                          " is not on " + std::string(base_url) +
                          " (scope patrol.<url>.oauthDeviceAuthUrl and oauthTokenUrl to this "
                          "host if that server is really yours)");
        }
      }
      return found;
    }
    tried += tried.empty() ? "" : " and ";
    tried += request.url;
  }
  return fail(Errc::unsupported, "no device authorization endpoint found at " + tried);
}

} // namespace patrol::oauth
