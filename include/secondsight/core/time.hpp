// Instants, calendar days in a configured zone, and the time formats users and directories write.
#pragma once

#include <date/date.h>
#include <date/tz.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "secondsight/core/result.hpp"

namespace secondsight {

// A point in time, UTC, whole seconds.
using Instant = std::chrono::sys_seconds;
using Zone = const date::time_zone*;

// The instants secondsight represents: 0001-01-01T00:00:00Z through 9999-12-31T23:59:59Z,
// the years RFC 3339 writes with four digits. A time read from an input outside it is a
// damaged value; an end of rights beyond it means never; arithmetic on instants saturates at
// its edges, so nothing is ever stored in a form that cannot be read back.
inline constexpr Instant k_earliest_instant{std::chrono::seconds{-62135596800}};
inline constexpr Instant k_latest_instant{std::chrono::seconds{253402300799}};
constexpr bool representable(Instant at) {
  return at >= k_earliest_instant && at <= k_latest_instant;
}
// An end of engagement at or after this instant (9999-12-30T00:00:00Z: the last day of the
// range begins there in every zone) is how directories write "open-ended": no end.
inline constexpr Instant k_open_ended{std::chrono::seconds{253402300799 - 2 * 86400 + 1}};
// The largest count of days a policy or config may give (grace, notice, inactivity,
// retention): a hundred years.
inline constexpr int k_max_day_count = 36500;

Instant system_now();
// An HTTP-date (RFC 9110 5.6.7): IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") and the
// obsolete RFC 850 and asctime forms a recipient must read; nullopt for anything else.
std::optional<Instant> parse_http_date(std::string_view text);

// The zone by IANA name ("Europe/Amsterdam"), from the system tz database.
Result<Zone> find_zone(std::string_view name);

// RFC 3339: 2026-03-16T12:00:00Z, 2026-03-16T13:00:00.250+01:00 (fractions are truncated).
Result<Instant> parse_rfc3339(std::string_view text);
// --now: RFC 3339, or YYYY-MM-DD meaning the start of that day in `zone`.
Result<Instant> parse_now(std::string_view text, Zone zone);
// YYYY-MM-DD, a real calendar date.
Result<date::year_month_day> parse_iso_date(std::string_view text);
// LDAP GeneralizedTime: YYYYMMDDHH[MM[SS]][.fraction](Z|+hhmm|-hhmm).
Result<Instant> parse_generalized_time(std::string_view text);
// AD FILETIME (100 ns ticks since 1601-01-01 UTC). nullopt (never) for 0 and for every
// value beyond 9999-12-31, 9223372036854775807 among them.
Result<std::optional<Instant>> parse_ad_filetime(std::string_view text);
// shadowExpire: days since 1970-01-01; the account expires at 00:00 UTC of that day. nullopt
// (never) for -1 (as shadow tools write it) and for days beyond 9999-12-31.
Result<std::optional<Instant>> parse_days_since_epoch(std::string_view text);

// The instant local midnight starts `day` in `zone` (a midnight skipped by a DST change
// starts the day at the transition). These and add_local_days saturate at the edges of the
// representable range: the end of 9999-12-31 is k_latest_instant.
Instant start_of_local_day(date::local_days day, Zone zone);
// The instant the local calendar day `day` ends (= the start of the next day).
Instant end_of_local_day(date::year_month_day day, Zone zone);
// `days` calendar days later in `zone`, keeping the local wall-clock time across DST changes.
Instant add_local_days(Instant at, int days, Zone zone);
// The local calendar day of an instant.
date::year_month_day local_date(Instant at, Zone zone);

// 2026-03-16T12:00:00Z. An instant outside the representable range (which no input can
// give) is written as the nearer edge, so that what is written can always be read back.
std::string format_rfc3339(Instant at);
// 2026-03-16 13:00 CET, for people.
std::string format_local(Instant at, Zone zone);
// 2026-03-16 13:00:03 CET: when the second matters (a change seen as it happened).
std::string format_local_seconds(Instant at, Zone zone);
// A span of time for people, in its two largest units: "5 days 3 hours", "1 hour 12 minutes",
// "40 seconds"; "0 seconds" for nothing or less.
std::string format_duration(std::chrono::seconds span);
// 2026-03-16
std::string format_date(date::year_month_day day);

}  // namespace secondsight
