// libFuzzer target for store/file_format: a damaged credential file (the envelope) or a
// damaged payload must give an error or a value, never a crash or an exception; and
// whatever parses comes back byte for byte after writing it again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "store/file_format.hpp"

namespace format = patrol::store::file_format;
using patrol::store::Record;

namespace {

bool same(const Record& a, const Record& b) {
  return a.protocol == b.protocol && a.host == b.host && a.path == b.path &&
         a.username == b.username && a.secret == b.secret && a.kind == b.kind &&
         a.refresh_token == b.refresh_token && a.scopes == b.scopes && a.token_id == b.token_id &&
         a.token_name == b.token_name && a.expires_at == b.expires_at &&
         a.checked_at == b.checked_at;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (patrol::Result<format::Envelope> envelope = format::parse(input)) {
    patrol::Result<format::Envelope> again = format::parse(format::to_text(*envelope));
    if (!again || format::header_text(*again) != format::header_text(*envelope) ||
        again->payload != envelope->payload) {
      std::abort();
    }
  }
  if (patrol::Result<std::vector<Record>> records = format::parse_records(input)) {
    patrol::Result<std::vector<Record>> again =
        format::parse_records(format::serialize_records(*records).view());
    if (!again || again->size() != records->size()) {
      std::abort();
    }
    for (std::size_t i = 0; i < records->size(); ++i) {
      if (!same((*records)[i], (*again)[i])) {
        std::abort(); // a field lost or changed a byte on the way through
      }
    }
  }
  return 0;
}
