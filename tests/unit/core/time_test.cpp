#include "secondsight/core/time.hpp"

#include <gtest/gtest.h>

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
  for (int d = -800000; d < 800000; d += 997)
    instants.push_back(Instant{} + std::chrono::days(d) + std::chrono::seconds(d % 86400 + 86399));
  for (const auto instant : instants) {
    EXPECT_EQ(format_rfc3339(instant), date::format("%Y-%m-%dT%H:%M:%SZ", instant));
    const date::year_month_day day{std::chrono::floor<std::chrono::days>(instant)};
    EXPECT_EQ(format_date(day), date::format("%F", day));
  }
  // Beyond four digits of year, as date writes it.
  const Instant far = at("9999-12-31T23:59:59Z") + std::chrono::seconds(1);
  EXPECT_EQ(format_rfc3339(far), date::format("%Y-%m-%dT%H:%M:%SZ", far));
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
  EXPECT_EQ(*parse_days_since_epoch("20513"), at("2026-03-01T00:00:00Z"));
  EXPECT_FALSE(parse_days_since_epoch("-1").ok());
  EXPECT_FALSE(parse_days_since_epoch("12x").ok());
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

}  // namespace
}  // namespace secondsight
