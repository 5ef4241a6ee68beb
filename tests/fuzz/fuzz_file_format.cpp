// libFuzzer target for store/file_format: a damaged credential file (the envelope) or a
// damaged payload must give an error or a value, never a crash or an exception.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "store/file_format.hpp"

namespace format = patrol::store::file_format;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (patrol::Result<format::Envelope> envelope = format::parse(input)) {
    (void)format::to_text(*envelope);
  }
  if (patrol::Result<std::vector<patrol::store::Record>> records = format::parse_records(input)) {
    (void)format::serialize_records(*records);
  }
  return 0;
}
