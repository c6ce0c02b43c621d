#include "secondsight/core/time.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <limits>
#include <vector>

namespace secondsight {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// Reads exactly `width` decimal digits at `pos`.
bool read_digits(std::string_view text, std::size_t& pos, std::size_t width, int& out) {
  if (pos + width > text.size()) return false;
  int value = 0;
  for (std::size_t i = 0; i < width; ++i) {
    char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  pos += width;
  out = value;
  return true;
}

bool make_day(int y, int m, int d, date::year_month_day& out) {
  out = date::year{y} / date::month{static_cast<unsigned>(m)} / date::day{static_cast<unsigned>(d)};
  return out.ok();
}

Error bad(std::string_view what, std::string_view text) {
  return make_error(std::string("'") + std::string(text) + "' is not " + std::string(what));
}

Error out_of_range(std::string_view text) {
  return make_error(std::string("'") + std::string(text) +
                    "' is outside the times secondsight represents (years 0001 to 9999)");
}

Instant clamp_instant(Instant at) {
  return std::clamp(at, k_earliest_instant, k_latest_instant);
}

// Writes `value` as exactly `width` decimal digits at `out`.
void put_digits(char* out, long long value, int width) {
  for (int i = width - 1; i >= 0; --i, value /= 10) out[i] = static_cast<char>('0' + value % 10);
}

// YYYY-MM-DD at `out`.
void put_date(char* out, date::year_month_day day) {
  put_digits(out, static_cast<int>(day.year()), 4);
  put_digits(out + 5, static_cast<unsigned>(day.month()), 2);
  put_digits(out + 8, static_cast<unsigned>(day.day()), 2);
}

}  // namespace

Instant system_now() {
  return std::chrono::time_point_cast<seconds>(std::chrono::system_clock::now());
}

Result<Zone> find_zone(std::string_view name) {
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return make_error("unknown time zone '" + std::string(name) +
                      "' (expected an IANA name such as Europe/Amsterdam)");
  }
}

Result<date::year_month_day> parse_iso_date(std::string_view text) {
  std::size_t pos = 0;
  int y = 0, m = 0, d = 0;
  date::year_month_day day;
  if (!read_digits(text, pos, 4, y) || pos >= text.size() || text[pos++] != '-' ||
      !read_digits(text, pos, 2, m) || pos >= text.size() || text[pos++] != '-' ||
      !read_digits(text, pos, 2, d) || pos != text.size() || !make_day(y, m, d, day))
    return bad("a date of the form YYYY-MM-DD", text);
  if (y == 0) return out_of_range(text);
  return day;
}

Result<Instant> parse_rfc3339(std::string_view text) {
  std::size_t pos = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  date::year_month_day day;
  auto expect = [&](char c) { return pos < text.size() && text[pos++] == c; };
  if (!read_digits(text, pos, 4, y) || !expect('-') || !read_digits(text, pos, 2, mo) ||
      !expect('-') || !read_digits(text, pos, 2, d) || pos >= text.size())
    return bad("an RFC 3339 time such as 2026-03-16T12:00:00Z", text);
  char sep = text[pos++];
  if (sep != 'T' && sep != 't' && sep != ' ')
    return bad("an RFC 3339 time such as 2026-03-16T12:00:00Z", text);
  if (!read_digits(text, pos, 2, h) || !expect(':') || !read_digits(text, pos, 2, mi) ||
      !expect(':') || !read_digits(text, pos, 2, s))
    return bad("an RFC 3339 time such as 2026-03-16T12:00:00Z", text);
  if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
    ++pos;
    std::size_t start = pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
    if (pos == start) return bad("an RFC 3339 time such as 2026-03-16T12:00:00Z", text);
  }
  int offset_minutes = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int sign = text[pos++] == '-' ? -1 : 1;
    int oh = 0, om = 0;
    if (!read_digits(text, pos, 2, oh) || !expect(':') || !read_digits(text, pos, 2, om) ||
        oh > 23 || om > 59)
      return bad("an RFC 3339 time such as 2026-03-16T12:00:00Z", text);
    offset_minutes = sign * (oh * 60 + om);
  } else {
    return bad("an RFC 3339 time with a zone (Z or +hh:mm)", text);
  }
  if (pos != text.size() || !make_day(y, mo, d, day) || h > 23 || mi > 59 || s > 60)
    return bad("an RFC 3339 time such as 2026-03-16T12:00:00Z", text);
  if (s == 60) s = 59;  // a leap second is read as the second before it
  const Instant at =
      date::sys_days{day} + hours{h} + minutes{mi} + seconds{s} - minutes{offset_minutes};
  if (!representable(at)) return out_of_range(text);
  return at;
}

Result<Instant> parse_now(std::string_view text, Zone zone) {
  if (text.size() == 10) {
    auto day = parse_iso_date(text);
    if (!day) return day.error();
    return start_of_local_day(date::local_days{*day}, zone);
  }
  return parse_rfc3339(text);
}

Result<Instant> parse_generalized_time(std::string_view text) {
  std::size_t pos = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  date::year_month_day day;
  const char* what = "an LDAP GeneralizedTime such as 20260228230000Z";
  if (!read_digits(text, pos, 4, y) || !read_digits(text, pos, 2, mo) ||
      !read_digits(text, pos, 2, d) || !read_digits(text, pos, 2, h))
    return bad(what, text);
  if (pos + 2 <= text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
    if (!read_digits(text, pos, 2, mi)) return bad(what, text);
    if (pos + 2 <= text.size() && std::isdigit(static_cast<unsigned char>(text[pos])))
      if (!read_digits(text, pos, 2, s)) return bad(what, text);
  }
  if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
    ++pos;
    std::size_t start = pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
    if (pos == start) return bad(what, text);
  }
  int offset_minutes = 0;
  if (pos < text.size() && text[pos] == 'Z') {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int sign = text[pos++] == '-' ? -1 : 1;
    int oh = 0, om = 0;
    if (!read_digits(text, pos, 2, oh)) return bad(what, text);
    if (pos < text.size() && !read_digits(text, pos, 2, om)) return bad(what, text);
    offset_minutes = sign * (oh * 60 + om);
  } else {
    return bad(what, text);
  }
  if (pos != text.size() || !make_day(y, mo, d, day) || h > 23 || mi > 59 || s > 60)
    return bad(what, text);
  if (s == 60) s = 59;
  const Instant at =
      date::sys_days{day} + hours{h} + minutes{mi} + seconds{s} - minutes{offset_minutes};
  if (!representable(at)) return out_of_range(text);
  return at;
}

Result<std::optional<Instant>> parse_ad_filetime(std::string_view text) {
  std::int64_t ticks = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ticks);
  if (ec != std::errc{} || end != text.data() + text.size() || ticks < 0)
    return bad("an AD FILETIME (100-nanosecond intervals since 1601)", text);
  // 1601-01-01 to 1970-01-01 is 11644473600 seconds; no int64 of ticks is before 1601.
  constexpr std::int64_t k_epoch_offset = 11644473600;
  const Instant at{seconds{ticks / 10'000'000 - k_epoch_offset}};
  if (ticks == 0 || at > k_latest_instant) return std::optional<Instant>{};
  return std::optional<Instant>{at};
}

Result<std::optional<Instant>> parse_days_since_epoch(std::string_view text) {
  long long count = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), count);
  if (ec != std::errc{} || end != text.data() + text.size())
    return bad("a number of days since 1970-01-01", text);
  // 2932896 days is 9999-12-31; -719162 is 0001-01-01.
  if (count == -1 || count > 2'932'896) return std::optional<Instant>{};
  if (count < -719'162) return out_of_range(text);
  return std::optional<Instant>{Instant{date::sys_days{days{count}}}};
}

Instant start_of_local_day(date::local_days day, Zone zone) {
  // Far outside the range the zone's rules need not be asked (nor years overflow).
  constexpr auto k_margin = days{2};
  if (day < date::local_days{date::floor<days>(k_earliest_instant).time_since_epoch()} - k_margin)
    return k_earliest_instant;
  if (day > date::local_days{date::floor<days>(k_latest_instant).time_since_epoch()} + k_margin)
    return k_latest_instant;
  // For a midnight that does not exist (the clocks jump over it) to_sys with a choice
  // returns the transition, which is where that day begins.
  return clamp_instant(
      std::chrono::time_point_cast<seconds>(zone->to_sys(day, date::choose::earliest)));
}

Instant end_of_local_day(date::year_month_day day, Zone zone) {
  return start_of_local_day(date::local_days{day} + days{1}, zone);
}

Instant add_local_days(Instant at, int count, Zone zone) {
  at = clamp_instant(at);
  // Beyond the range by more than a day whatever the zone: the edge, without asking the zone.
  const auto target = at + days{count};
  if (target > k_latest_instant + days{2}) return k_latest_instant;
  if (target < k_earliest_instant - days{2}) return k_earliest_instant;
  auto local = zone->to_local(at);
  local += days{count};
  return clamp_instant(
      std::chrono::time_point_cast<seconds>(zone->to_sys(local, date::choose::earliest)));
}

date::year_month_day local_date(Instant at, Zone zone) {
  return date::year_month_day{date::floor<days>(zone->to_local(at))};
}

std::string format_rfc3339(Instant at) {
  // Written by hand: a scan formats several times per finding, and date::format builds a
  // stream and a locale each time.
  at = clamp_instant(at);
  const auto day = std::chrono::floor<days>(at);
  const date::year_month_day ymd{day};
  const auto since_midnight = (at - day).count();
  char text[] = "0000-00-00T00:00:00Z";
  put_date(text, ymd);
  put_digits(text + 11, since_midnight / 3600, 2);
  put_digits(text + 14, since_midnight / 60 % 60, 2);
  put_digits(text + 17, since_midnight % 60, 2);
  return std::string(text, sizeof text - 1);
}

std::optional<Instant> parse_http_date(std::string_view text) {
  std::vector<std::string_view> words;  // asctime pads a one-digit day: runs of spaces are one
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = std::min(text.find(' ', at), text.size());
    if (end > at) words.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  auto number = [](std::string_view word, std::size_t width, int& out) {
    std::size_t pos = 0;
    return word.size() == width && read_digits(word, pos, width, out);
  };
  auto month_of = [](std::string_view name) {
    static constexpr std::string_view k_months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (int i = 0; i < 12; ++i)
      if (name == k_months[i]) return i + 1;
    return 0;
  };
  int year = 0, month = 0, day = 0;
  std::string_view clock;
  if (words.size() == 6 && words[0].size() == 4 && words[0][3] == ',' && words[5] == "GMT") {
    // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
    if (!number(words[1], 2, day) || !number(words[3], 4, year)) return std::nullopt;
    month = month_of(words[2]);
    clock = words[4];
  } else if (words.size() == 4 && words[0].size() > 1 && words[0].back() == ',' &&
             words[3] == "GMT" && words[1].size() == 9 && words[1][2] == '-' &&
             words[1][6] == '-') {
    // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT; a two-digit year is read as the nearer century.
    if (!number(words[1].substr(0, 2), 2, day) || !number(words[1].substr(7), 2, year))
      return std::nullopt;
    year += year < 70 ? 2000 : 1900;
    month = month_of(words[1].substr(3, 3));
    clock = words[2];
  } else if (words.size() == 5 && words[0].size() == 3) {
    // asctime: Sun Nov  6 08:49:37 1994
    if (!(number(words[2], 1, day) || number(words[2], 2, day)) || !number(words[4], 4, year))
      return std::nullopt;
    month = month_of(words[1]);
    clock = words[3];
  } else {
    return std::nullopt;
  }
  date::year_month_day ymd;
  int h = 0, m = 0, sec = 0;
  if (month == 0 || !make_day(year, month, day, ymd) || clock.size() != 8 || clock[2] != ':' ||
      clock[5] != ':' || !number(clock.substr(0, 2), 2, h) || !number(clock.substr(3, 2), 2, m) ||
      !number(clock.substr(6, 2), 2, sec) || h > 23 || m > 59 || sec > 60)
    return std::nullopt;
  return Instant{date::sys_days{ymd}} + hours(h) + minutes(m) + seconds(std::min(sec, 59));
}

std::string format_local(Instant at, Zone zone) {
  return date::format("%Y-%m-%d %H:%M %Z", date::make_zoned(zone, clamp_instant(at)));
}

std::string format_local_seconds(Instant at, Zone zone) {
  return date::format("%Y-%m-%d %H:%M:%S %Z", date::make_zoned(zone, clamp_instant(at)));
}

std::string format_duration(std::chrono::seconds span) {
  struct Unit {
    std::int64_t seconds;
    const char* name;
  };
  static constexpr Unit k_units[] = {{86400, "day"}, {3600, "hour"}, {60, "minute"}, {1, "second"}};
  std::int64_t left = std::max<std::int64_t>(span.count(), 0);
  std::string out;
  int parts = 0;
  for (const auto& unit : k_units) {
    const std::int64_t count = left / unit.seconds;
    // The largest unit, and the one below it only if it follows directly.
    if (count == 0) {
      if (parts > 0) break;
      continue;
    }
    left -= count * unit.seconds;
    out += (out.empty() ? "" : " ") + std::to_string(count) + " " + unit.name +
           (count == 1 ? "" : "s");
    if (++parts == 2) break;
  }
  return out.empty() ? "0 seconds" : out;
}

std::string format_date(date::year_month_day day) {
  if (!day.ok()) return date::format("%F", day);
  // Like instants, days are written within the years 0001 to 9999.
  if (day.year() < date::year{1}) day = date::year{1} / 1 / 1;
  if (day.year() > date::year{9999}) day = date::year{9999} / 12 / 31;
  char text[] = "0000-00-00";
  put_date(text, day);
  return std::string(text, sizeof text - 1);
}

}  // namespace secondsight
