#include "timestamps.hpp"

#include <cstddef>

#include "line_text.hpp"

namespace secondsight::activity::parsers {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

bool read_digits(std::string_view text, std::size_t& pos, std::size_t width, int& out) {
  if (pos + width > text.size()) return false;
  int value = 0;
  for (std::size_t i = 0; i < width; ++i) {
    const char c = text[pos + i];
    if (!is_digit(c)) return false;
    value = value * 10 + (c - '0');
  }
  pos += width;
  out = value;
  return true;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

std::optional<Instant> parse_stamp(std::string_view text, bool offset_required, Zone zone) {
  std::size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_digits(text, pos, 4, year) || !expect(text, pos, '-') ||
      !read_digits(text, pos, 2, month) || !expect(text, pos, '-') ||
      !read_digits(text, pos, 2, day) || pos >= text.size())
    return std::nullopt;
  const char separator = text[pos++];
  if (separator != 'T' && separator != 't' && separator != ' ') return std::nullopt;
  if (!read_digits(text, pos, 2, hour) || !expect(text, pos, ':') ||
      !read_digits(text, pos, 2, minute) || !expect(text, pos, ':') ||
      !read_digits(text, pos, 2, second))
    return std::nullopt;
  if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
    const std::size_t start = ++pos;
    while (pos < text.size() && is_digit(text[pos])) ++pos;
    if (pos == start) return std::nullopt;
  }
  const date::year_month_day ymd{date::year{year}, date::month{static_cast<unsigned>(month)},
                                 date::day{static_cast<unsigned>(day)}};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  if (second == 60) second = 59;  // a leap second reads as the second before it
  const auto wall = hours{hour} + minutes{minute} + seconds{second};

  if (pos == text.size()) {
    if (offset_required) return std::nullopt;
    return local_to_instant(date::local_days{ymd} + wall, zone);
  }
  int offset_minutes = 0;
  if (text[pos] == 'Z' || text[pos] == 'z') {
    ++pos;
  } else if (text[pos] == '+' || text[pos] == '-') {
    const int sign = text[pos++] == '-' ? -1 : 1;
    int offset_hours = 0, offset_rest = 0;
    if (!read_digits(text, pos, 2, offset_hours)) return std::nullopt;
    // "+01:00" (RFC 3339), "+0100" (journalctl short-iso, ISO 8601 basic), "+01".
    if (pos < text.size()) {
      if (text[pos] == ':') ++pos;
      if (!read_digits(text, pos, 2, offset_rest)) return std::nullopt;
    }
    if (offset_hours > 23 || offset_rest > 59) return std::nullopt;
    offset_minutes = sign * (offset_hours * 60 + offset_rest);
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  return Instant{date::sys_days{ymd} + wall} - minutes{offset_minutes};
}

}  // namespace

std::optional<Instant> parse_iso_stamp(std::string_view text) {
  return parse_stamp(text, true, nullptr);
}

std::optional<Instant> parse_iso_stamp(std::string_view text, Zone zone) {
  return parse_stamp(text, false, zone);
}

Instant local_to_instant(date::local_seconds local, Zone zone) {
  if (zone == nullptr) return Instant{local.time_since_epoch()};
  return zone->to_sys(local, date::choose::earliest);
}

}  // namespace secondsight::activity::parsers
