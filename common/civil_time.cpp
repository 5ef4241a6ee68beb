#include "common/civil_time.hpp"

#include <chrono>
#include <cstdio>

namespace patrol {
namespace {

using namespace std::chrono;

constexpr std::int64_t seconds_per_day = 86400;

// Reads exactly `width` digits at `pos`; advances pos.
std::optional<int> digits(std::string_view text, std::size_t& pos, std::size_t width) {
  if (pos + width > text.size()) {
    return std::nullopt;
  }
  int value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return std::nullopt;
    }
    value = value * 10 + (text[i] - '0');
  }
  pos += width;
  return value;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos < text.size() && text[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

std::optional<std::int64_t> date_at(std::string_view text, std::size_t& pos) {
  const std::optional<int> y = digits(text, pos, 4);
  if (!y || !expect(text, pos, '-')) {
    return std::nullopt;
  }
  const std::optional<int> m = digits(text, pos, 2);
  if (!m || !expect(text, pos, '-')) {
    return std::nullopt;
  }
  const std::optional<int> d = digits(text, pos, 2);
  if (!d) {
    return std::nullopt;
  }
  const year_month_day ymd{year{*y}, month{static_cast<unsigned>(*m)},
                           day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) {
    return std::nullopt;
  }
  return static_cast<std::int64_t>(sys_days{ymd}.time_since_epoch().count()) * seconds_per_day;
}

} // namespace

std::optional<std::int64_t> parse_date(std::string_view text) {
  std::size_t pos = 0;
  std::optional<std::int64_t> day_start = date_at(text, pos);
  if (!day_start || pos != text.size()) {
    return std::nullopt;
  }
  return day_start;
}

std::optional<std::int64_t> parse_timestamp(std::string_view text) {
  std::size_t pos = 0;
  std::optional<std::int64_t> day_start = date_at(text, pos);
  if (!day_start || !(expect(text, pos, ' ') || expect(text, pos, 'T'))) {
    return std::nullopt;
  }
  const std::optional<int> h = digits(text, pos, 2);
  const bool colon1 = expect(text, pos, ':');
  const std::optional<int> mi = digits(text, pos, 2);
  const bool colon2 = expect(text, pos, ':');
  const std::optional<int> s = digits(text, pos, 2);
  if (!h || !mi || !s || !colon1 || !colon2 || *h > 23 || *mi > 59 || *s > 60) {
    return std::nullopt;
  }
  if (expect(text, pos, '.')) { // fractions of a second do not matter for expiry
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      ++pos;
    }
  }
  const std::int64_t local = *day_start + *h * 3600 + *mi * 60 + *s;
  std::string_view zone = text.substr(pos);
  if (zone == "Z" || zone == " UTC" || zone == " GMT") {
    return local;
  }
  if (!zone.empty() && zone.front() == ' ') {
    zone.remove_prefix(1);
  }
  if (zone.empty() || (zone.front() != '+' && zone.front() != '-')) {
    return std::nullopt;
  }
  const int sign = zone.front() == '+' ? 1 : -1;
  std::size_t zpos = 1;
  const std::optional<int> zh = digits(zone, zpos, 2);
  expect(zone, zpos, ':');
  const std::optional<int> zm = digits(zone, zpos, 2);
  if (!zh || !zm || zpos != zone.size() || *zh > 23 || *zm > 59) {
    return std::nullopt;
  }
  return local - sign * (*zh * 3600 + *zm * 60);
}

std::string format_date(std::int64_t unix_seconds) {
  const sys_days day{days{floor<days>(seconds{unix_seconds}).count()}};
  const year_month_day ymd{day};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

std::string format_timestamp(std::int64_t unix_seconds) {
  const std::int64_t in_day =
      unix_seconds - floor<days>(seconds{unix_seconds}).count() * seconds_per_day;
  char text[16];
  std::snprintf(text, sizeof text, " %02d:%02d UTC", static_cast<int>(in_day / 3600),
                static_cast<int>(in_day % 3600 / 60));
  return format_date(unix_seconds) + text;
}

std::int64_t days_until(std::int64_t now, std::int64_t then) {
  const std::int64_t diff = then - now;
  return diff >= 0 ? diff / seconds_per_day : -((-diff + seconds_per_day - 1) / seconds_per_day);
}

} // namespace patrol
