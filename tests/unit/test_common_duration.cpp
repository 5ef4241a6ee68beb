#include "common/duration.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <optional>
#include <vector>

using patrol::parse_duration;
using std::chrono::seconds;

TEST_CASE("parse_duration: seconds, or a number with s, m, h or d", "[common][duration]") {
  const seconds year(366 * 86400);
  struct Row {
    const char* text;
    std::optional<seconds> expected;
  };
  const std::vector<Row> rows{
      {"8h", seconds(8 * 3600)},  {"30m", seconds(1800)},
      {"90s", seconds(90)},       {"2d", seconds(2 * 86400)},
      {"3600", seconds(3600)},    {"0", seconds(0)},
      {"0s", seconds(0)},         {"24H", seconds(86400)},
      {"7D", seconds(7 * 86400)}, {"", std::nullopt},
      {"h", std::nullopt},        {"-5", std::nullopt},
      {"+5", std::nullopt},       {"8 h", std::nullopt},
      {" 8h", std::nullopt},      {"1.5h", std::nullopt},
      {"8hh", std::nullopt},      {"8w", std::nullopt},
      {"100000d", std::nullopt},  {"99999999999999999999", std::nullopt},
  };
  for (const Row& row : rows) {
    INFO("'" << row.text << "'");
    CHECK(parse_duration(row.text, year) == row.expected);
  }
}

TEST_CASE("parse_duration: the caller's limit, inclusive", "[common][duration]") {
  CHECK(parse_duration("366d", seconds(366 * 86400)) == seconds(366 * 86400));
  CHECK_FALSE(parse_duration("367d", seconds(366 * 86400)));
  CHECK_FALSE(parse_duration("31622401", seconds(366 * 86400)));
  CHECK(parse_duration("3650d", seconds(3650 * 86400)) == seconds(3650 * 86400));
  // A count whose product with the unit would overflow is refused, not wrapped.
  CHECK_FALSE(parse_duration("18446744073709551615d", seconds(3650 * 86400)));
}
