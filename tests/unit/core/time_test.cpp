#include "secondsight/core/time.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

namespace secondsight {
namespace {

Zone zone(const char* name) {
  return *find_zone(name);
}
Instant at(const char* text) {
  return *parse_rfc3339(text);
}

TEST(Time, ParsesRfc3339WithOffsetsAndFractions) {
  EXPECT_EQ(format_rfc3339(at("2026-03-16T12:00:00Z")), "2026-03-16T12:00:00Z");
  EXPECT_EQ(at("2026-03-16T13:00:00+01:00"), at("2026-03-16T12:00:00Z"));
  EXPECT_EQ(at("2026-03-16T07:30:00.999-04:30"), at("2026-03-16T12:00:00Z"));
  EXPECT_EQ(at("2026-03-16 12:00:00z"), at("2026-03-16T12:00:00Z"));
}

TEST(Time, FormatsRfc3339AsDateDoes) {
  // Every second of a leap day, day boundaries across centuries, the epoch, years before it
  // and the last second date::format writes with four digits.
  std::vector<Instant> instants;
  const Instant leap_day = at("2024-02-29T00:00:00Z");
  for (int s = 0; s < 86400; s += 7) instants.push_back(leap_day + std::chrono::seconds(s));
  for (const char* text : {"1970-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "1900-03-01T00:00:00Z",
                           "2000-02-29T12:34:56Z", "2099-12-31T23:59:59Z", "0001-01-01T00:00:00Z",
                           "9999-12-31T23:59:59Z"})
    instants.push_back(at(text));
  for (int d = -719162; d <= 2932896; d += 997)
    instants.push_back(Instant{} + std::chrono::days(d) + std::chrono::seconds(d % 86400 + 86399));
  for (const auto instant : instants) {
    if (!representable(instant)) continue;
    EXPECT_EQ(format_rfc3339(instant), date::format("%Y-%m-%dT%H:%M:%SZ", instant));
    const date::year_month_day day{std::chrono::floor<std::chrono::days>(instant)};
    EXPECT_EQ(format_date(day), date::format("%F", day));
  }
}

TEST(Time, TheRepresentableRangeIsYears0001To9999) {
  EXPECT_EQ(format_rfc3339(k_earliest_instant), "0001-01-01T00:00:00Z");
  EXPECT_EQ(format_rfc3339(k_latest_instant), "9999-12-31T23:59:59Z");
  EXPECT_TRUE(representable(at("0001-01-01T00:00:00Z")));
  EXPECT_TRUE(representable(at("9999-12-31T23:59:59Z")));
  EXPECT_FALSE(representable(k_latest_instant + std::chrono::seconds(1)));
  EXPECT_FALSE(representable(k_earliest_instant - std::chrono::seconds(1)));
  // What cannot be read is written as the nearer edge, so that it reads back.
  for (const auto far : {k_latest_instant + std::chrono::seconds(1),
                         Instant(std::chrono::seconds(std::numeric_limits<std::int64_t>::max())),
                         Instant(std::chrono::seconds(std::numeric_limits<std::int64_t>::min())),
                         k_earliest_instant - std::chrono::seconds(1)}) {
    const auto text = format_rfc3339(far);
    ASSERT_TRUE(parse_rfc3339(text).ok()) << text;
    EXPECT_TRUE(representable(*parse_rfc3339(text))) << text;
    EXPECT_NO_THROW(format_local(far, zone("Europe/Amsterdam")));
  }
  // Inputs beyond it are damaged values, with a message that says so.
  for (const char* far : {"10000-01-01T00:00:00Z", "0000-12-31T23:59:59Z", "-0001-01-01T00:00:00Z",
                          "99999-12-31T00:00:00Z", "9999-12-31T23:59:59-01:00"}) {
    const auto parsed = parse_rfc3339(far);
    EXPECT_FALSE(parsed.ok()) << far;
  }
  EXPECT_FALSE(parse_generalized_time("99991231235959-0100").ok());
  EXPECT_FALSE(parse_generalized_time("00000101000000Z").ok());
  EXPECT_FALSE(parse_iso_date("0000-01-01").ok());
  EXPECT_TRUE(parse_iso_date("9999-12-31").ok());
}

TEST(Time, LocalDayArithmeticSaturatesAtTheEdges) {
  auto amsterdam = zone("Europe/Amsterdam");
  using namespace date::literals;
  // The end of 9999-12-31 plus grace days is never past the last instant, so it reads back.
  const Instant end = end_of_local_day(9999_y / 12 / 31, amsterdam);
  EXPECT_LE(end, k_latest_instant);
  EXPECT_EQ(add_local_days(end, 30, amsterdam), k_latest_instant);
  EXPECT_EQ(add_local_days(k_latest_instant, k_max_day_count, amsterdam), k_latest_instant);
  EXPECT_EQ(add_local_days(k_earliest_instant, -k_max_day_count, amsterdam), k_earliest_instant);
  EXPECT_EQ(start_of_local_day(date::local_days{0_y / 1 / 1}, amsterdam), k_earliest_instant);
}

TEST(Time, ReadsTheThreeFormsOfAnHttpDate) {
  const Instant expected = at("1994-11-06T08:49:37Z");
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), expected);
  EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), expected);
  EXPECT_EQ(parse_http_date("Sun Nov  6 08:49:37 1994"), expected);
  EXPECT_EQ(parse_http_date("Tue, 24 Nov 2026 23:59:59 GMT"), at("2026-11-24T23:59:59Z"));
  for (const char* bad : {"", "120", "Sun, 06 Nov 1994 08:49:37", "Sun, 06 Nov 1994 08:49:37 CET",
                          "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT junk",
                          "2026-11-24T23:59:59Z"})
    EXPECT_FALSE(parse_http_date(bad)) << bad;
}

TEST(Time, RejectsBadRfc3339) {
  for (const char* bad :
       {"2026-03-16", "2026-03-16T12:00:00", "2026-02-30T00:00:00Z", "2026-03-16T24:00:00Z",
        "2026-03-16T12:00Z", "yesterday", "2026-03-16T12:00:00+0100"}) {
    auto parsed = parse_rfc3339(bad);
    EXPECT_FALSE(parsed.ok()) << bad;
  }
  EXPECT_EQ(parse_rfc3339("soon").error().message,
            "'soon' is not an RFC 3339 time such as 2026-03-16T12:00:00Z");
}

TEST(Time, NowAsADateIsTheStartOfThatLocalDay) {
  EXPECT_EQ(*parse_now("2026-03-16", zone("Europe/Amsterdam")), at("2026-03-15T23:00:00Z"));
  EXPECT_EQ(*parse_now("2026-07-01", zone("Europe/Amsterdam")), at("2026-06-30T22:00:00Z"));
  EXPECT_EQ(*parse_now("2026-03-16T12:00:00Z", zone("Europe/Amsterdam")),
            at("2026-03-16T12:00:00Z"));
  EXPECT_FALSE(parse_now("2026-13-01", zone("UTC")).ok());
}

TEST(Time, EndOfLocalDayAcrossTheSpringDaylightSavingChange) {
  auto amsterdam = zone("Europe/Amsterdam");
  using namespace date::literals;
  // Clocks go from 02:00 CET to 03:00 CEST on 2026-03-29: that day has 23 hours.
  EXPECT_EQ(end_of_local_day(2026_y / 3 / 28, amsterdam), at("2026-03-28T23:00:00Z"));
  EXPECT_EQ(end_of_local_day(2026_y / 3 / 29, amsterdam), at("2026-03-29T22:00:00Z"));
  // And back on 2026-10-25: 25 hours.
  EXPECT_EQ(end_of_local_day(2026_y / 10 / 25, amsterdam), at("2026-10-25T23:00:00Z"));
}

TEST(Time, AddingLocalDaysKeepsTheWallClockAcrossDaylightSaving) {
  auto amsterdam = zone("Europe/Amsterdam");
  // 13:00 CET + 1 day = 13:00 CEST, which is 23 hours later.
  EXPECT_EQ(add_local_days(at("2026-03-28T12:00:00Z"), 1, amsterdam), at("2026-03-29T11:00:00Z"));
  EXPECT_EQ(add_local_days(at("2026-10-24T11:00:00Z"), 1, amsterdam), at("2026-10-25T12:00:00Z"));
  EXPECT_EQ(add_local_days(at("2026-03-01T00:00:00Z"), 0, amsterdam), at("2026-03-01T00:00:00Z"));
}

TEST(Time, AMidnightSkippedByDaylightSavingStartsTheDayAtTheTransition) {
  // Cuba moves its clocks from 00:00 to 01:00: 2026-03-08 has no midnight.
  using namespace date::literals;
  EXPECT_EQ(start_of_local_day(date::local_days{2026_y / 3 / 8}, zone("America/Havana")),
            at("2026-03-08T05:00:00Z"));
}

TEST(Time, GeneralizedTime) {
  EXPECT_EQ(*parse_generalized_time("20260228230000Z"), at("2026-02-28T23:00:00Z"));
  EXPECT_EQ(*parse_generalized_time("20260301000000+0100"), at("2026-02-28T23:00:00Z"));
  EXPECT_EQ(*parse_generalized_time("20260301000000.5Z"), at("2026-03-01T00:00:00Z"));
  EXPECT_EQ(*parse_generalized_time("2026030100Z"), at("2026-03-01T00:00:00Z"));
  EXPECT_FALSE(parse_generalized_time("20260301").ok());
  EXPECT_FALSE(parse_generalized_time("20261301000000Z").ok());
}

TEST(Time, AdFiletime) {
  EXPECT_EQ(**parse_ad_filetime("134167968000000000"), at("2026-03-01T00:00:00Z"));
  EXPECT_FALSE(parse_ad_filetime("0")->has_value());
  EXPECT_FALSE(parse_ad_filetime("9223372036854775807")->has_value());
  EXPECT_FALSE(parse_ad_filetime("-5").ok());
  EXPECT_FALSE(parse_ad_filetime("never").ok());
}

TEST(Time, DaysSinceEpoch) {
  EXPECT_EQ(**parse_days_since_epoch("20513"), at("2026-03-01T00:00:00Z"));
  EXPECT_EQ(**parse_days_since_epoch("-719162"), k_earliest_instant);
  EXPECT_EQ(**parse_days_since_epoch("2932896"), at("9999-12-31T00:00:00Z"));
  // -1 is how shadow tools write "never"; so is every day past 9999-12-31.
  for (const char* never : {"-1", "2932897", "9223372036854775807"}) {
    const auto parsed = parse_days_since_epoch(never);
    ASSERT_TRUE(parsed.ok()) << never;
    EXPECT_FALSE(parsed->has_value()) << never;
  }
  for (const char* bad :
       {"12x", "", "-719163", "-9223372036854775808", "+5", " 5", "99999999999999999999999"})
    EXPECT_FALSE(parse_days_since_epoch(bad).ok()) << bad;
}

TEST(Time, AdFiletimeAtTheEdgesOfInt64) {
  // 2650467743999999999 ticks is 9999-12-31T23:59:59.9999999Z; one tick more is never.
  EXPECT_EQ(**parse_ad_filetime("2650467743990000000"), k_latest_instant);
  for (const char* never : {"2650467744000000000", "9223372036854775806", "9223372036854775807"}) {
    const auto parsed = parse_ad_filetime(never);
    ASSERT_TRUE(parsed.ok()) << never;
    EXPECT_FALSE(parsed->has_value()) << never;
  }
  for (const char* bad :
       {"9223372036854775808", "18446744073709551615", "-9223372036854775808", ""})
    EXPECT_FALSE(parse_ad_filetime(bad).ok()) << bad;
}

TEST(Time, UnknownZone) {
  auto missing = find_zone("Europe/Atlantis");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message,
            "unknown time zone 'Europe/Atlantis' (expected an IANA name such as Europe/Amsterdam)");
}

TEST(Time, LocalFormats) {
  EXPECT_EQ(format_local(at("2026-03-16T12:00:00Z"), zone("Europe/Amsterdam")),
            "2026-03-16 13:00 CET");
  using namespace date::literals;
  EXPECT_EQ(format_date(2026_y / 3 / 1), "2026-03-01");
  EXPECT_EQ(local_date(at("2026-02-28T23:30:00Z"), zone("Europe/Amsterdam")),
            date::year_month_day{2026_y / 3 / 1});
}

TEST(Time, DurationsAreWrittenInTheirTwoLargestUnits) {
  using namespace std::chrono_literals;
  EXPECT_EQ(format_duration(5 * 24h + 3h + 20min), "5 days 3 hours");
  EXPECT_EQ(format_duration(24h + 1min), "1 day");  // no hours: the minutes do not follow
  EXPECT_EQ(format_duration(1h + 12min + 5s), "1 hour 12 minutes");
  EXPECT_EQ(format_duration(40s), "40 seconds");
  EXPECT_EQ(format_duration(1s), "1 second");
  EXPECT_EQ(format_duration(0s), "0 seconds");
  EXPECT_EQ(format_duration(-5s), "0 seconds");
  EXPECT_EQ(
      format_local_seconds(*parse_rfc3339("2026-03-16T12:00:03Z"), *find_zone("Europe/Amsterdam")),
      "2026-03-16 13:00:03 CET");
}

}  // namespace
}  // namespace secondsight
