// libFuzzer target for store/secret_text: any text decodes without failing; whatever
// decodes and encodes again must decode to the same fields.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "store/secret_text.hpp"

namespace text = patrol::store::secret_text;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const patrol::store::Record first = text::decode(input);
  patrol::Result<patrol::Secret> encoded = text::encode(first);
  if (!encoded) {
    return 0; // e.g. a CR inside the first line: refused, never written
  }
  const patrol::store::Record second = text::decode(encoded->view());
  if (!(second.secret == first.secret) || second.kind != first.kind ||
      second.expires_at != first.expires_at || !(second.refresh_token == first.refresh_token) ||
      second.scopes != first.scopes || second.token_id != first.token_id ||
      second.token_name != first.token_name || second.checked_at != first.checked_at) {
    std::fprintf(stderr, "fuzz_secret_text: encode/decode round trip changed a field\n");
    std::abort();
  }
  return 0;
}
