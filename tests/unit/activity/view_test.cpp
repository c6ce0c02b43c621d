// The rules activity owns: the operators' window and which events are kept as evidence.
#include "secondsight/activity/view.hpp"

#include <gtest/gtest.h>

#include "secondsight/activity/identities.hpp"

namespace secondsight::activity::testing {
namespace {

Instant at(const char* text) {
  return *parse_rfc3339(text);
}

DayActivity day(const char* first, const char* last) {
  return {local_date(at(first), *find_zone("UTC")), 1, at(first), at(last)};
}

TEST(OperatorWindow, IsNinetyLocalDaysAcrossADaylightSavingChange) {
  const Zone zone = *find_zone("Europe/Amsterdam");
  const OperatorWindow window(at("2026-06-01T10:00:00Z"), zone);
  // 12:00 local on 3 March, in winter time: 11:00 UTC, not 10:00.
  EXPECT_EQ(format_rfc3339(window.start), "2026-03-03T11:00:00Z");
}

TEST(OperatorWindow, CountsDaysSeenAfterItsStartAndBeforeNow) {
  const OperatorWindow window(at("2026-06-01T10:00:00Z"), *find_zone("UTC"));
  EXPECT_EQ(window.active_days({day("2026-03-03T08:00:00Z", "2026-03-03T10:00:00Z"),  // at start
                                day("2026-03-03T08:00:00Z", "2026-03-03T10:00:01Z"),
                                day("2026-05-31T08:00:00Z", "2026-05-31T09:00:00Z"),
                                day("2026-06-01T10:00:01Z", "2026-06-01T11:00:00Z")}),  // later
            2);
}

TEST(Evidence, ASecondedPersonsUseAfterTheEndOrOutsideTheirNeedToKnow) {
  config::System payroll;
  payroll.id = "payroll";
  config::System denied;
  denied.id = "hr";
  denied.externals_deny = true;
  const EvidenceScope seconded{true, at("2026-03-01T00:00:00Z"), {"payroll", "hr"}};
  EXPECT_FALSE(is_evidence(seconded, &payroll, at("2026-02-28T12:00:00Z")));
  EXPECT_TRUE(is_evidence(seconded, &payroll, at("2026-03-01T00:00:00Z")));
  EXPECT_TRUE(is_evidence(seconded, &denied, at("2026-02-28T12:00:00Z")));
  EXPECT_FALSE(is_evidence(seconded, nullptr, at("2026-02-28T12:00:00Z")));
  EXPECT_TRUE(is_evidence(seconded, nullptr, at("2026-03-02T00:00:00Z")));
  const EvidenceScope outside{true, std::nullopt, {}};
  EXPECT_TRUE(is_evidence(outside, &payroll, at("2026-02-28T12:00:00Z")));
  const EvidenceScope employee{false, at("2026-03-01T00:00:00Z"), {}};
  EXPECT_FALSE(is_evidence(employee, &denied, at("2026-03-02T00:00:00Z")));
}

}  // namespace
}  // namespace secondsight::activity::testing
