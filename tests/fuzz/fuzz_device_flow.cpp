// libFuzzer target for oauth/device_flow's parsers and state machine: any status and body
// from an authorization server gives a value or an error, and the flow's next step is
// always a bounded wait, tokens or a stop — never a crash, an exception or a wait past
// the code's deadline.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>

#include "oauth/device_flow.hpp"

using namespace patrol::oauth;
using patrol::forge::HttpResponse;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) {
    return 0;
  }
  static constexpr long statuses[] = {200, 400, 401, 404, 429, 500, 502, 503};
  HttpResponse response;
  response.status = statuses[data[0] % 8];
  response.body = patrol::Secret(std::string(reinterpret_cast<const char*>(data + 1), size - 1));
  (void)parse_device_authorization(response);
  DeviceAuthorization authorization;
  authorization.expires_in = 1 + data[0];
  DeviceFlow flow(authorization, Millis(0));
  for (int i = 0; i < 4; ++i) {
    const Millis now = Millis(i) * 1000;
    const Step step = flow.on_answer(classify(response), now);
    if (const Wait* wait = std::get_if<Wait>(&step);
        wait != nullptr && now + wait->delay > flow.deadline()) {
      std::abort();
    }
  }
  return 0;
}
