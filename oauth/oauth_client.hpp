#pragma once
// The OAuth calls over forge::HttpClient: the device authorization request, polling the token
// endpoint (paced by oauth/device_flow.hpp, sleeping through an injected function), the
// refresh grant, RFC 7009 revocation and RFC 8414 / OpenID discovery. Every request is a
// form POST that asks for JSON (GitHub answers form-encoded otherwise).
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "common/result.hpp"
#include "common/secret.hpp"
#include "forge/http.hpp"
#include "oauth/device_flow.hpp"

namespace patrol::oauth {

struct OAuthEndpoints {
  std::string device_authorization;
  std::string token;
  std::string revocation; // empty: the server offers none
};

struct OAuthClient {
  std::string client_id;
  std::string scopes; // space-separated; empty: the server's default
  OAuthEndpoints endpoints;
  // Sent only to the token endpoint, with the refresh grant (GitHub asks for it there);
  // empty for a public client.
  Secret client_secret;
};

// The caller's clock and sleep, so tests need not wait.
struct Pacing {
  std::function<Millis()> now;
  std::function<void(Millis)> sleep;
};

// Real monotonic time and std::this_thread::sleep_for.
Pacing real_pacing();

// The device authorization request. The pages the answer asks a person to open must be
// https pages on the device endpoint's host (check_verification_page), else it is refused.
Result<DeviceAuthorization> request_device_code(forge::HttpClient& http, const OAuthClient& client);

// Errc::network with the reason unless page is an https URL on device_endpoint's host.
Result<void> check_verification_page(std::string_view page, std::string_view device_endpoint);

// Polls until tokens, a refusal or the code's expiry. A refusal or expiry is an
// Errc::network error whose message is for a person; `stopped_with` (when given) receives
// the OAuth error code (access_denied, expired_token, ...).
Result<Tokens> poll_for_tokens(forge::HttpClient& http, const OAuthClient& client,
                               const DeviceAuthorization& authorization, const Pacing& pacing,
                               std::string* stopped_with = nullptr);

// The refresh grant: Tokens, or the server's TokenError (invalid_grant: the refresh token is
// dead). Transport failures and senseless answers are errors.
Result<TokenAnswer> refresh_tokens(forge::HttpClient& http, const OAuthClient& client,
                                   const Secret& refresh_token);

// RFC 7009: token_type_hint is "access_token" or "refresh_token". 200 is success (RFC 7009
// 2.2: also for a token the server does not know).
Result<void> revoke_token(forge::HttpClient& http, const OAuthClient& client, const Secret& token,
                          std::string_view token_type_hint);

// /.well-known/openid-configuration, then /.well-known/oauth-authorization-server, under
// base_url (protocol://host[:port]). Needs device_authorization_endpoint and token_endpoint;
// an answer naming any endpoint off base_url's origin is refused.
Result<OAuthEndpoints> discover(forge::HttpClient& http, std::string_view base_url);

// The body of a form POST: name=value pairs, values form-encoded. Kept secret: it may hold
// a device code, a refresh token or a token.
Secret form(std::initializer_list<std::pair<std::string_view, std::string_view>> fields);

} // namespace patrol::oauth
