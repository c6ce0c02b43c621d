#include "secondsight/directory/timeline.hpp"

#include <gtest/gtest.h>

namespace secondsight::directory {
namespace {

using namespace std::chrono_literals;

const Instant k_end = *parse_rfc3339("2026-03-01T00:00:00Z");

AccessSpan span(AccessKind kind, std::string subject, Instant first, std::optional<Instant> after,
                std::optional<Instant> gone) {
  return {{"ria", kind, std::move(subject)}, first, after, gone ? *gone - 1h : first, gone};
}

TEST(AccessTimeline, AccessAfterTheEndIsTheUnionOfAccountAndGrants) {
  const AccessTimeline timeline({
      // Enabled from before the first observation until 2 days after the end.
      span(AccessKind::account, std::string(k_account_enabled), k_end - 10 * 24h, std::nullopt,
           k_end + 48h),
      // A grant overlapping it, until 3 days after the end.
      span(AccessKind::grant, "hr", k_end + 24h, k_end + 23h, k_end + 72h),
      // A later grant, added and still held.
      span(AccessKind::grant, "payroll", k_end + 100h, k_end + 99h, std::nullopt),
      // Being in the directory and a group membership are no access of their own.
      span(AccessKind::account, std::string(k_account_present), k_end - 10 * 24h, std::nullopt,
           std::nullopt),
      span(AccessKind::member, "cn=x", k_end - 10 * 24h, std::nullopt, std::nullopt),
  });
  EXPECT_EQ(timeline.access_after("ria", k_end, k_end + 110h), 72h + 10h);
  EXPECT_EQ(timeline.access_after("ria", k_end, k_end), 0s);
  EXPECT_EQ(timeline.access_after("ria", k_end, k_end - 24h), 0s);
  EXPECT_EQ(timeline.access_after("nobody", k_end, k_end + 110h), 0s);
  EXPECT_TRUE(timeline.follows("ria"));
  EXPECT_FALSE(timeline.follows("nobody"));
}

TEST(AccessTimeline, ARightThereAtTheFirstObservationCountsFromTheEnd) {
  // First read 5 days after the end: the grant may be older, and is counted from the end.
  const AccessTimeline timeline(
      {span(AccessKind::grant, "hr", k_end + 120h, std::nullopt, std::nullopt)});
  EXPECT_EQ(timeline.access_after("ria", k_end, k_end + 130h), 130h);
}

TEST(AccessTimeline, HeldFindsOnlyTheOpenSpan) {
  const AccessTimeline timeline({
      span(AccessKind::grant, "hr", k_end, std::nullopt, k_end + 1h),
      span(AccessKind::grant, "hr", k_end + 5h, k_end + 4h, std::nullopt),
  });
  const auto* held = timeline.held({"ria", AccessKind::grant, "hr"});
  ASSERT_NE(held, nullptr);
  EXPECT_EQ(held->first_seen, k_end + 5h);
  EXPECT_EQ(timeline.held({"ria", AccessKind::grant, "payroll"}), nullptr);
  EXPECT_EQ(timeline.of_person("ria").size(), 2u);
  EXPECT_EQ(parse_access_kind(to_string(AccessKind::member)), AccessKind::member);
  EXPECT_FALSE(parse_access_kind("admin"));
}

}  // namespace
}  // namespace secondsight::directory
