// libFuzzer target for forge/token_api's parsers: any status, header and body from a
// forge gives a TokenInfo or an error, never a crash or an exception.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "forge/token_api.hpp"

using namespace patrol::forge;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) {
    return 0;
  }
  static constexpr long statuses[] = {200, 201, 400, 401, 403, 404, 405, 500};
  HttpResponse response;
  response.status = statuses[data[0] % 8];
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::size_t split = rest.find('\n');
  if (split != std::string_view::npos) {
    response.headers = {
        {"GitHub-Authentication-Token-Expiration", std::string(rest.substr(0, split))},
        {"X-OAuth-Scopes", std::string(rest.substr(0, split))}};
  }
  response.body =
      patrol::Secret(std::string(split == std::string_view::npos ? rest : rest.substr(split + 1)));
  (void)parse_gitlab_token_self(response);
  (void)parse_gitlab_rotate(response);
  (void)parse_github_user(response);
  return 0;
}
