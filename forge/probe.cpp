#include "forge/probe.hpp"

#include <nlohmann/json.hpp>

#include "common/text.hpp"

namespace patrol::forge {
namespace {

nlohmann::json body_of(const HttpResponse& response) {
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
std::optional<TokenInfo> described(Result<TokenInfo> info, const Secret& token, ProbeNote note) {
  if (!info) {
    note("forge detection: the answer does not describe the token: " +
         without_secret(info.error().message, token));
    return std::nullopt;
  }
  return std::move(*info);
}

} // namespace

bool answers_as_gitlab(const HttpResponse& response) {
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

bool answers_as_github(const HttpResponse& response) {
  return response.header("X-GitHub-Request-Id") || response.header("X-GitHub-Media-Type");
}

ProbeResult probe_forge(std::string_view protocol, std::string_view host, const Secret& token,
                        HttpClient& http, ProbeNote note) {
  const std::string origin = std::string(protocol) + "://" + std::string(host);
  note("forge detection: asking " + origin + " whether it is a GitLab");
  Result<HttpResponse> gitlab = http.send(gitlab_token_self_request(origin + "/api/v4", token));
  if (!gitlab) {
    return silent(gitlab.error(), token);
  }
  ProbeResult out;
  if (answers_as_gitlab(*gitlab)) {
    out.answer = HostAnswer::gitlab;
    out.info = described(parse_gitlab_token_self(*gitlab), token, note);
    return out;
  }
  note("forge detection: asking " + origin + " whether it is a GitHub Enterprise");
  Result<HttpResponse> github = http.send(github_user_request(origin + "/api/v3", token));
  if (!github) {
    return silent(github.error(), token);
  }
  if (answers_as_github(*github)) {
    out.answer = HostAnswer::github;
    out.info = described(parse_github_user(*github), token, note);
    return out;
  }
  note("forge detection: " + origin + " answered as neither");
  return out;
}

} // namespace patrol::forge
