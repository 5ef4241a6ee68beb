#include "helper/forge_probe.hpp"

#include <memory>

#include <nlohmann/json.hpp>

#include "common/text.hpp"
#include "helper/messages.hpp"

namespace patrol::helper {
namespace {

nlohmann::json body_of(const oauth::HttpResponse& response) {
  const std::string_view text = response.body.view();
  return nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
}

std::string text_member(const nlohmann::json& body, const char* key) {
  if (!body.is_object()) {
    return {};
  }
  const auto it = body.find(key);
  return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

ProbeResult silent(const Error& error, const Secret& token) {
  ProbeResult out;
  out.answer = HostAnswer::silent;
  out.failure = without_secret(error.message, token);
  return out;
}

// What the forge that answered says of the token; an answer it cannot describe is traced.
std::optional<oauth::TokenInfo> described(Result<oauth::TokenInfo> info, const Secret& token) {
  if (!info) {
    trace("forge detection: the answer does not describe the token: " +
          without_secret(info.error().message, token));
    return std::nullopt;
  }
  return std::move(*info);
}

} // namespace

bool answers_as_gitlab(const oauth::HttpResponse& response) {
  if (response.header("X-Gitlab-Meta")) {
    return true;
  }
  const nlohmann::json body = body_of(response);
  switch (response.status) {
  case 200: {
    const auto scopes = body.is_object() ? body.find("scopes") : body.end();
    return body.is_object() && body.contains("id") && scopes != body.end() && scopes->is_array();
  }
  case 401:
    return text_member(body, "message") == "401 Unauthorized" ||
           text_member(body, "error") == "invalid_token";
  case 400:
    return text_member(body, "message").find("personal access token") != std::string::npos;
  default:
    return false;
  }
}

bool answers_as_github(const oauth::HttpResponse& response) {
  return response.header("X-GitHub-Request-Id") || response.header("X-GitHub-Media-Type");
}

ProbeResult probe_forge(std::string_view protocol, std::string_view host, const Secret& token,
                        const oauth::HttpSettings& settings) {
  const std::string origin = std::string(protocol) + "://" + std::string(host);
  std::unique_ptr<oauth::HttpClient> http = oauth::make_http_client(settings);
  const TraceTimer timer("forge detection at " + origin);
  trace("forge detection: asking " + origin + " whether it is a GitLab");
  Result<oauth::HttpResponse> gitlab =
      http->send(oauth::gitlab_token_self_request(origin + "/api/v4", token));
  if (!gitlab) {
    return silent(gitlab.error(), token);
  }
  ProbeResult out;
  if (answers_as_gitlab(*gitlab)) {
    out.answer = HostAnswer::gitlab;
    out.info = described(oauth::parse_gitlab_token_self(*gitlab), token);
    return out;
  }
  trace("forge detection: asking " + origin + " whether it is a GitHub Enterprise");
  Result<oauth::HttpResponse> github =
      http->send(oauth::github_user_request(origin + "/api/v3", token));
  if (!github) {
    return silent(github.error(), token);
  }
  if (answers_as_github(*github)) {
    out.answer = HostAnswer::github;
    out.info = described(oauth::parse_github_user(*github), token);
    return out;
  }
  trace("forge detection: " + origin + " answered as neither");
  return out;
}

} // namespace patrol::helper
