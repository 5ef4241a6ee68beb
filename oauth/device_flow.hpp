#pragma once
// RFC 8628's polling rules as a pure state machine: events in (the token endpoint's answer,
// a failed connection, the time), the next step out (wait and poll again, tokens, or stop
// with a reason). No sockets and no clock here; oauth/oauth_client.* drives it.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "common/result.hpp"
#include "common/secret.hpp"
#include "forge/http.hpp"

namespace patrol::oauth {

using Millis = std::chrono::milliseconds;

inline constexpr Millis default_interval{5000}; // RFC 8628 3.5: when the server gives none
inline constexpr Millis slow_down_step{5000};   // RFC 8628 3.5: added on every slow_down

// The device authorization response (RFC 8628 3.2).
struct DeviceAuthorization {
  Secret device_code;
  std::string user_code;
  std::string verification_uri;
  std::string verification_uri_complete; // empty when the server gives none
  std::int64_t expires_in = 0;           // seconds
  Millis interval = default_interval;
};

// A successful token response (RFC 6749 5.1).
struct Tokens {
  Secret access_token;
  Secret refresh_token; // empty when none was issued
  std::string token_type;
  std::optional<std::int64_t> expires_in; // seconds; nullopt: the server did not say
  std::string scope;
};

// An error response (RFC 6749 5.2), whatever its HTTP status: GitHub sends them with 200.
struct TokenError {
  std::string error;
  std::string description;        // the server's words, control characters removed
  std::optional<Millis> interval; // GitHub's new interval with slow_down
};

// No answer worth reading: a connection failure, a time-out, a 5xx or 429, a server_error.
struct Unreachable {
  std::string reason;
};

using TokenAnswer = std::variant<Tokens, TokenError>;
using PollOutcome = std::variant<Tokens, TokenError, Unreachable>;

// RFC 8628 3.2; a missing device_code, user_code, verification_uri or expires_in is an
// error. GitHub's form-encoded answer (without Accept: application/json) is not read.
Result<DeviceAuthorization> parse_device_authorization(const forge::HttpResponse& response);

// A token endpoint answer: a JSON body with "error" is a TokenError at any status; a 200
// with access_token is Tokens; anything else is an Errc::network error naming the status.
Result<TokenAnswer> parse_token_answer(const forge::HttpResponse& response);

// What polling saw, as the state machine reads it: a 5xx or 429 (with or without an error
// body) and the errors server_error and temporarily_unavailable count as Unreachable (back
// off and try again until the code expires), like a failed connection.
PollOutcome classify(const Result<forge::HttpResponse>& response);

struct Wait {
  Millis delay; // until the next poll
};
struct Granted {
  Tokens tokens;
};
struct Stopped {
  std::string error;   // the OAuth error code, or "expired_token" at the deadline
  std::string message; // one sentence for a person
};
using Step = std::variant<Wait, Granted, Stopped>;

class DeviceFlow {
public:
  // start: when the device authorization response arrived, on the caller's clock.
  DeviceFlow(const DeviceAuthorization& authorization, Millis start);

  // The first poll waits one interval (RFC 8628 3.5).
  [[nodiscard]] Step begin(Millis now) const;
  // One answer of the token endpoint, at time now.
  Step on_answer(PollOutcome outcome, Millis now);

  [[nodiscard]] Millis interval() const { return interval_; }
  [[nodiscard]] Millis deadline() const { return deadline_; }

private:
  [[nodiscard]] Step wait_or_expire(Millis now) const;

  Millis interval_;
  Millis deadline_;
};

} // namespace patrol::oauth
