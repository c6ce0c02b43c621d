#include "secondsight/store/access_timeline.hpp"

#include <gtest/gtest.h>

#include "temp_dir.hpp"

namespace secondsight::store {
namespace {

using directory::AccessFact;
using directory::AccessKind;
using testing::TempDir;
using namespace std::chrono_literals;

const Instant k_t0 = *parse_rfc3339("2026-03-16T12:00:00Z");

AccessFact member(const std::string& person, const std::string& group) {
  return {person, AccessKind::member, group};
}
AccessFact grant(const std::string& person, const std::string& system) {
  return {person, AccessKind::grant, system};
}

TEST(AccessTimelineStore, ARightBeginsIsKeptAndIsSeenGoneThenBeginsAgain) {
  TempDir dir;
  auto db = Database::open(dir / "state.db");
  ASSERT_TRUE(db) << db.error().message;
  AccessTimelineStore store(*db);

  auto first = store.observe({member("ria", "cn=hr"), grant("ria", "hr")}, k_t0);
  ASSERT_TRUE(first) << first.error().message;
  const auto* held = first->timeline.held(member("ria", "cn=hr"));
  ASSERT_NE(held, nullptr);
  EXPECT_EQ(held->first_seen, k_t0);
  EXPECT_FALSE(held->appeared_after);  // there at the first observation: may be older

  // Seen again, and a new grant beside it.
  auto second = store.observe({member("ria", "cn=hr"), grant("ria", "hr"), grant("ria", "payroll")},
                              k_t0 + 5s);
  ASSERT_TRUE(second) << second.error().message;
  held = second->timeline.held(member("ria", "cn=hr"));
  ASSERT_NE(held, nullptr);
  EXPECT_EQ(held->first_seen, k_t0);
  EXPECT_EQ(held->last_seen, k_t0 + 5s);
  const auto* payroll = second->timeline.held(grant("ria", "payroll"));
  ASSERT_NE(payroll, nullptr);
  EXPECT_EQ(payroll->first_seen, k_t0 + 5s);
  EXPECT_EQ(payroll->appeared_after, k_t0);

  // The membership goes; what was read back from the database says the same.
  ASSERT_TRUE(store.observe({grant("ria", "payroll")}, k_t0 + 60s));
  auto kept = store.load();
  ASSERT_TRUE(kept) << kept.error().message;
  EXPECT_EQ(kept->first_observation, k_t0);
  EXPECT_EQ(kept->latest_observation, k_t0 + 60s);
  EXPECT_EQ(kept->timeline.held(member("ria", "cn=hr")), nullptr);
  const auto spans = kept->timeline.of_person("ria");
  ASSERT_EQ(spans.size(), 3u);
  const directory::AccessSpan* hr = nullptr;
  for (const auto* span : spans)
    if (span->fact == member("ria", "cn=hr")) hr = span;
  ASSERT_NE(hr, nullptr);
  EXPECT_EQ(hr->last_seen, k_t0 + 5s);
  EXPECT_EQ(hr->gone, k_t0 + 60s);
  ASSERT_NE(kept->timeline.held(grant("ria", "payroll")), nullptr);
  EXPECT_EQ(kept->timeline.held(grant("ria", "payroll"))->last_seen, k_t0 + 60s);
  EXPECT_TRUE(kept->timeline.follows("ria"));

  // Back again: a new span, the old one stays as it was.
  auto again = store.observe({member("ria", "cn=hr"), grant("ria", "payroll")}, k_t0 + 120s);
  ASSERT_TRUE(again);
  held = again->timeline.held(member("ria", "cn=hr"));
  ASSERT_NE(held, nullptr);
  EXPECT_EQ(held->first_seen, k_t0 + 120s);
  EXPECT_EQ(held->appeared_after, k_t0 + 60s);
  EXPECT_EQ(store.load()->timeline.of_person("ria").size(), 4u);
}

TEST(AccessTimelineStore, AnObservationEarlierThanTheLatestChangesNothing) {
  TempDir dir;
  auto db = Database::open(dir / "state.db");
  ASSERT_TRUE(db);
  AccessTimelineStore store(*db);
  ASSERT_TRUE(store.observe({grant("ria", "hr")}, k_t0));
  // A clock set back, or a scan of the past: the grant is not seen gone.
  auto back = store.observe({}, k_t0 - 1h);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_NE(back->timeline.held(grant("ria", "hr")), nullptr);
  EXPECT_EQ(store.load()->latest_observation, k_t0);
  // Within the same second, what changed is still recorded.
  auto same = store.observe({grant("ria", "payroll")}, k_t0);
  ASSERT_TRUE(same);
  EXPECT_EQ(same->timeline.held(grant("ria", "hr")), nullptr);
  ASSERT_NE(same->timeline.held(grant("ria", "payroll")), nullptr);
  EXPECT_EQ(same->timeline.held(grant("ria", "payroll"))->appeared_after, k_t0);
  // Gone and back within that second: held, one span, in memory and as kept.
  ASSERT_TRUE(store.observe({}, k_t0));
  auto back_again = store.observe({grant("ria", "payroll")}, k_t0);
  ASSERT_TRUE(back_again) << back_again.error().message;
  EXPECT_NE(back_again->timeline.held(grant("ria", "payroll")), nullptr);
  EXPECT_NE(store.load()->timeline.held(grant("ria", "payroll")), nullptr);
}

TEST(AccessTimelineStore, ADamagedRowIsCountedAndLeftOutTheRestIsRead) {
  TempDir dir;
  auto db = Database::open(dir / "state.db");
  ASSERT_TRUE(db);
  AccessTimelineStore store(*db);
  ASSERT_TRUE(store.observe({grant("ria", "hr"), grant("oscar", "hr")}, k_t0));
  ASSERT_TRUE(db->exec("UPDATE access_spans SET first_seen = 'yesterday' WHERE person = 'oscar'"));
  auto kept = store.load();
  ASSERT_TRUE(kept) << kept.error().message;
  EXPECT_EQ(kept->damaged, 1);
  EXPECT_NE(kept->timeline.held(grant("ria", "hr")), nullptr);
  // The next observation still sees ria's grant as held, and begins oscar's anew.
  auto next = store.observe({grant("ria", "hr"), grant("oscar", "hr")}, k_t0 + 1s);
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_EQ(next->timeline.held(grant("ria", "hr"))->first_seen, k_t0);
  EXPECT_EQ(next->timeline.held(grant("oscar", "hr"))->first_seen, k_t0 + 1s);
}

}  // namespace
}  // namespace secondsight::store
