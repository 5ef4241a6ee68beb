#include "oauth/device_flow.hpp"

#include <algorithm>
#include <utility>

#include <nlohmann/json.hpp>

#include "common/text.hpp"

namespace patrol::oauth {
namespace {

using nlohmann::json;

// A doubled interval never grows past this: a minute between polls is already patient.
constexpr Millis max_backoff{60000};

json parse_body(const Secret& body) {
  const std::string_view text = body.view();
  return json::parse(text.begin(), text.end(), nullptr, false);
}

std::string text_member(const json& object, const char* key) {
  if (!object.is_object()) {
    return {};
  }
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<std::int64_t> number_member(const json& object, const char* key) {
  if (!object.is_object()) {
    return std::nullopt;
  }
  const auto it = object.find(key);
  if (it == object.end()) {
    return std::nullopt;
  }
  if (it->is_number_integer()) {
    return it->get<std::int64_t>();
  }
  if (it->is_number_float()) {
    return static_cast<std::int64_t>(it->get<double>());
  }
  // Some servers quote numbers.
  if (it->is_string()) {
    const std::string text = it->get<std::string>();
    if (!text.empty() && text.size() < 12 &&
        std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return std::stoll(text);
    }
  }
  return std::nullopt;
}

// A server's words are kept as it sent them, only bounded; whoever shows them escapes
// them (shown(), common/text.hpp). A page address gets more room than a word: cut, it
// would lead nowhere.
std::string word(std::string_view text) { return clipped(text, 200); }
std::string address(std::string_view text) { return clipped(text, 2048); }

std::string describe(const TokenError& error) {
  std::string out = error.error;
  if (!error.description.empty()) {
    out += ": " + error.description;
  }
  return out;
}

// RFC 6749 4.1.2.1's words for "try again later"; RFC 8628 3.5 stops polling only on
// access_denied, expired_token and the token endpoint's own refusals.
bool transient(std::string_view error) {
  return error == "server_error" || error == "temporarily_unavailable";
}

} // namespace

Result<DeviceAuthorization> parse_device_authorization(const forge::HttpResponse& response) {
  const json document = parse_body(response.body);
  if (response.status != 200) {
    std::string message = "the device authorization request was refused (HTTP " +
                          std::to_string(response.status) + ")";
    if (const std::string error = text_member(document, "error"); !error.empty()) {
      message += ": " + word(error);
      if (const std::string why = text_member(document, "error_description"); !why.empty()) {
        message += " (" + word(why) + ")";
      }
    }
    return fail(Errc::network, message);
  }
  if (!document.is_object()) {
    return fail(Errc::network, "the device authorization answer is not JSON");
  }
  DeviceAuthorization out;
  out.device_code = Secret(text_member(document, "device_code"));
  out.user_code = word(text_member(document, "user_code"));
  out.verification_uri = address(text_member(document, "verification_uri"));
  out.verification_uri_complete = address(text_member(document, "verification_uri_complete"));
  const std::optional<std::int64_t> expires_in = number_member(document, "expires_in");
  if (out.device_code.empty() || out.user_code.empty() || out.verification_uri.empty() ||
      !expires_in || *expires_in <= 0) {
    return fail(Errc::network, "the device authorization answer lacks device_code, user_code, "
                               "verification_uri or expires_in");
  }
  out.expires_in = *expires_in;
  if (const std::optional<std::int64_t> interval = number_member(document, "interval");
      interval && *interval > 0) {
    out.interval = std::chrono::seconds(*interval);
  }
  return out;
}

Result<TokenAnswer> parse_token_answer(const forge::HttpResponse& response) {
  const json document = parse_body(response.body);
  if (const std::string error = text_member(document, "error"); !error.empty()) {
    TokenError out{word(error), word(text_member(document, "error_description")), std::nullopt};
    if (const std::optional<std::int64_t> interval = number_member(document, "interval");
        interval && *interval > 0) {
      out.interval = std::chrono::seconds(*interval);
    }
    return TokenAnswer(std::move(out));
  }
  const std::string access_token = text_member(document, "access_token");
  if (response.status != 200 || access_token.empty()) {
    return fail(Errc::network, "the token endpoint answered HTTP " +
                                   std::to_string(response.status) + " without a token");
  }
  Tokens tokens;
  tokens.access_token = Secret(access_token);
  tokens.refresh_token = Secret(text_member(document, "refresh_token"));
  tokens.token_type = word(text_member(document, "token_type"));
  tokens.expires_in = number_member(document, "expires_in");
  tokens.scope = word(text_member(document, "scope"));
  return TokenAnswer(std::move(tokens));
}

PollOutcome classify(const Result<forge::HttpResponse>& response) {
  if (!response) {
    return Unreachable{response.error().message};
  }
  Result<TokenAnswer> answer = parse_token_answer(*response);
  if (answer) {
    if (Tokens* tokens = std::get_if<Tokens>(&*answer)) {
      return std::move(*tokens);
    }
    TokenError& error = std::get<TokenError>(*answer);
    // A hiccup of the server, whatever error word its 5xx or 429 carries (server_error,
    // temporarily_unavailable, or an authorization_pending a proxy cached): the person
    // may still approve the code, so it is not a refusal.
    if (response->status >= 500 || response->status == 429 || transient(error.error)) {
      return Unreachable{"HTTP " + std::to_string(response->status) + " " + error.error};
    }
    return std::move(error);
  }
  if (response->status >= 500 || response->status == 429) {
    return Unreachable{"HTTP " + std::to_string(response->status)};
  }
  return TokenError{"invalid_response", answer.error().message, std::nullopt};
}

DeviceFlow::DeviceFlow(const DeviceAuthorization& authorization, Millis start)
    : interval_(std::max(authorization.interval, Millis(1))),
      deadline_(start + std::chrono::seconds(authorization.expires_in)) {}

Step DeviceFlow::begin(Millis now) const { return wait_or_expire(now); }

Step DeviceFlow::on_answer(PollOutcome outcome, Millis now) {
  if (Tokens* tokens = std::get_if<Tokens>(&outcome)) {
    return Granted{std::move(*tokens)};
  }
  if (std::holds_alternative<Unreachable>(outcome)) {
    interval_ = std::min(interval_ * 2, std::max(max_backoff, interval_));
    return wait_or_expire(now);
  }
  const TokenError& error = std::get<TokenError>(outcome);
  if (error.error == "authorization_pending") {
    return wait_or_expire(now);
  }
  if (error.error == "slow_down") {
    interval_ = std::max(interval_ + slow_down_step, error.interval.value_or(Millis(0)));
    return wait_or_expire(now);
  }
  if (error.error == "access_denied") {
    return Stopped{error.error, "the authorization was denied in the browser"};
  }
  if (error.error == "expired_token") {
    return Stopped{error.error, "the code expired before it was approved; run the command "
                                "again for a new one"};
  }
  return Stopped{error.error, "the authorization server refused: " + describe(error)};
}

Step DeviceFlow::wait_or_expire(Millis now) const {
  if (now + interval_ > deadline_) {
    return Stopped{"expired_token", "the code expired before it was approved; run the command "
                                    "again for a new one"};
  }
  return Wait{interval_};
}

} // namespace patrol::oauth
