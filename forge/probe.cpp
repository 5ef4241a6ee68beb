#include "forge/probe.hpp"

#include "common/text.hpp"

namespace patrol::forge {
namespace {

constexpr std::string_view neither_word = "neither";
constexpr std::string_view silent_word = "silent";

ProbeResult silent(const Error& error, const Secret& token) {
  ProbeResult out;
  out.answer.what = HostAnswer::silent;
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

std::string_view to_string(const HostAnswer& answer) {
  switch (answer.what) {
  case HostAnswer::found:
    return to_string(answer.kind);
  case HostAnswer::neither:
    return neither_word;
  case HostAnswer::silent:
    break;
  }
  return silent_word;
}

std::optional<HostAnswer> host_answer_from_string(std::string_view word) {
  if (word == neither_word) {
    return HostAnswer{HostAnswer::neither};
  }
  if (word == silent_word) {
    return HostAnswer{HostAnswer::silent};
  }
  const ForgeFacts* row = facts(word);
  if (row == nullptr) {
    return std::nullopt;
  }
  return HostAnswer{HostAnswer::found, row->kind};
}

std::string neither_text() {
  std::string out = "neither";
  const char* joint = " ";
  for (const ForgeFacts& row : forges()) {
    out += joint;
    out += row.probe.title;
    joint = " nor ";
  }
  return out;
}

std::string probed_paths_text() {
  std::string out;
  for (const ForgeFacts& row : forges()) {
    out += out.empty() ? "" : " and ";
    out += row.api_path;
  }
  return out;
}

ProbeResult probe_forge(std::string_view protocol, std::string_view host, const Secret& token,
                        HttpClient& http, ProbeNote note) {
  const std::string origin = std::string(protocol) + "://" + std::string(host);
  ProbeResult out;
  for (const ForgeFacts& row : forges()) {
    note("forge detection: asking " + origin + " whether it is " + std::string(row.probe.title));
    Result<HttpResponse> response =
        http.send(row.probe.request(origin + std::string(row.api_path), token));
    if (!response) {
      return silent(response.error(), token);
    }
    if (row.probe.answers_as(*response)) {
      out.answer = {HostAnswer::found, row.kind};
      out.info = described(row.probe.describe(*response), token, note);
      return out;
    }
  }
  note("forge detection: " + origin + " answered as neither");
  return out;
}

} // namespace patrol::forge
