#include <catch2/catch.hpp>

#include "common/civil_time.hpp"

using namespace patrol;

TEST_CASE("parse_date gives 00:00 UTC of the day", "[civil_time]") {
  CHECK(parse_date("1970-01-01") == 0);
  CHECK(parse_date("2023-08-15") == 1692057600);
  CHECK(parse_date("2024-02-29") == 1709164800);
  CHECK_FALSE(parse_date("2023-02-29"));
  CHECK_FALSE(parse_date("2023-13-01"));
  CHECK_FALSE(parse_date("2023-8-15"));
  CHECK_FALSE(parse_date("2023-08-15 "));
  CHECK_FALSE(parse_date(""));
  CHECK_FALSE(parse_date("null"));
}

TEST_CASE("parse_timestamp reads GitHub's two formats and RFC 3339", "[civil_time]") {
  struct Row {
    const char* text;
    std::optional<std::int64_t> expected;
  };
  const Row rows[] = {
      {"2023-01-31 23:00:00 UTC", 1675206000},
      {"2023-04-26 23:23:18 +0200", 1682544198},
      {"2023-04-26 21:23:18 UTC", 1682544198},
      {"2023-04-26 18:23:18 -0300", 1682544198},
      {"2020-07-23T14:31:47.729Z", 1595514707},
      {"2020-07-23T16:31:47+02:00", 1595514707},
      {"2023-01-31 23:00:00", std::nullopt},
      {"2023-01-31 24:00:00 UTC", std::nullopt},
      {"2023-01-31 23:00:00 CET", std::nullopt},
      {"2023-01-31 23:00:00 +02", std::nullopt},
      {"2023-01-31", std::nullopt},
  };
  for (const Row& row : rows) {
    INFO(row.text);
    CHECK(parse_timestamp(row.text) == row.expected);
  }
}

TEST_CASE("format_date and format_timestamp are UTC", "[civil_time]") {
  CHECK(format_date(0) == "1970-01-01");
  CHECK(format_date(1692057600) == "2023-08-15");
  CHECK(format_date(1692057600 + 86399) == "2023-08-15");
  CHECK(format_date(-1) == "1969-12-31");
  CHECK(format_timestamp(1675206000) == "2023-01-31 23:00 UTC");
  CHECK(format_date(*parse_date("2031-12-31")) == "2031-12-31");
}

TEST_CASE("days_until rounds down, negative once passed", "[civil_time]") {
  const std::int64_t day = 86400;
  CHECK(days_until(0, 3 * day) == 3);
  CHECK(days_until(0, 3 * day - 1) == 2);
  CHECK(days_until(0, 0) == 0);
  CHECK(days_until(0, -1) == -1);
  CHECK(days_until(0, -day) == -1);
  CHECK(days_until(0, -day - 1) == -2);
}
