// libFuzzer target for common/civil_time: any text as a forge date; whatever parses as a
// date must format back to the same text.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "common/civil_time.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (const std::optional<std::int64_t> day = patrol::parse_date(input)) {
    if (patrol::format_date(*day) != input) {
      std::fprintf(stderr, "fuzz_civil_time: date does not format back\n");
      std::abort();
    }
  }
  (void)patrol::parse_timestamp(input);
  return 0;
}
