// The activity store on a real SQLite file: daily counts by local day, coverage, positions,
// the event window, and events stamped after now.
#include "secondsight/store/activity_store.hpp"

#include <gmock/gmock.h>

#include "temp_dir.hpp"

namespace secondsight::store::testing {
namespace {

Instant at(const char* text) {
  return *parse_rfc3339(text);
}

AttributedEvent event(const char* time, std::optional<std::string> person,
                      std::vector<std::string> systems, const char* host = "pay-1") {
  AttributedEvent e;
  e.time = at(time);
  e.person = std::move(person);
  e.identity = e.person.value_or("svc-deploy");
  e.systems = std::move(systems);
  e.source = "logs/auth.log";
  e.host = host;
  e.action = "login";
  return e;
}

// The events folded into one batch as ingest folds them: daily counts per person, system and
// local day, each system's earliest event, and every event kept.
ActivityBatch batch_of(const std::vector<AttributedEvent>& events, Zone zone) {
  ActivityBatch batch;
  static const std::vector<std::string> k_unattributed{std::string()};
  for (const auto& event : events) {
    const std::string day = format_date(local_date(event.time, zone));
    for (const auto& system : event.systems.empty() ? k_unattributed : event.systems) {
      if (!system.empty()) {
        auto [it, inserted] = batch.coverage.emplace(system, event.time);
        if (!inserted && event.time < it->second) it->second = event.time;
      }
      if (!event.person) continue;
      auto& totals = batch.days[{*event.person, system, day}];
      if (totals.events == 0 || event.time < totals.first_seen) totals.first_seen = event.time;
      if (totals.events == 0 || event.time > totals.last_seen) totals.last_seen = event.time;
      ++totals.events;
    }
  }
  batch.kept = events;
  return batch;
}

class ActivityStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Database::open(m_dir / "state.db");
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    m_db.emplace(std::move(*opened));
  }
  Result<void> add(const std::vector<AttributedEvent>& events) {
    auto transaction = Transaction::begin(*m_db);
    if (!transaction) return transaction.error();
    ActivityStore store(*m_db, m_zone);
    if (auto added = store.add(batch_of(events, m_zone)); !added) return added;
    return transaction->commit();
  }

  TempDir m_dir;
  std::optional<Database> m_db;
  Zone m_zone = *find_zone("Europe/Amsterdam");
};

TEST_F(ActivityStoreTest, DailyCountsFollowTheLocalCalendarDay) {
  ASSERT_TRUE(add({event("2026-03-01T22:40:00Z", "leo", {"k8s"}),  // 23:40 CET, 1 March
                   event("2026-03-01T23:10:00Z", "leo", {"k8s"}),  // 00:10 CET, 2 March
                   event("2026-03-02T08:00:00Z", "leo", {"k8s"})})
                  .ok());
  ASSERT_TRUE(add({event("2026-03-02T07:00:00Z", "leo", {"k8s"})}).ok());
  ActivityStore store(*m_db, m_zone);
  auto snapshot = store.snapshot(at("2026-03-16T12:00:00Z"));
  ASSERT_TRUE(snapshot.ok());
  const auto& days = snapshot->days["leo"]["k8s"];
  ASSERT_EQ(days.size(), 2u);
  EXPECT_EQ(format_date(days[0].day), "2026-03-01");
  EXPECT_EQ(days[0].events, 1u);
  EXPECT_EQ(format_date(days[1].day), "2026-03-02");
  EXPECT_EQ(days[1].events, 3u);
  EXPECT_EQ(days[1].first_seen, at("2026-03-01T23:10:00Z"));
  EXPECT_EQ(days[1].last_seen, at("2026-03-02T08:00:00Z"));
}

TEST_F(ActivityStoreTest, CoverageCountsUnresolvedEventsAndUnattributedAreKeptPerPerson) {
  ASSERT_TRUE(add({event("2026-02-20T08:30:00Z", std::nullopt, {"tracking"}, "trk-1"),
                   event("2026-02-23T08:30:00Z", "rosa", {"tracking"}, "trk-1"),
                   event("2026-03-04T08:05:00Z", "frank", {}, "jump-9")})
                  .ok());
  ActivityStore store(*m_db, m_zone);
  auto snapshot = store.snapshot(at("2026-03-16T12:00:00Z"));
  ASSERT_TRUE(snapshot.ok());
  EXPECT_EQ(snapshot->coverage_start.at("tracking"), at("2026-02-20T08:30:00Z"));
  EXPECT_EQ(snapshot->days.count("svc-deploy"), 0u);
  EXPECT_EQ(snapshot->days["frank"][""].size(), 1u);
  auto events =
      store.events_of("frank", at("2026-03-01T00:00:00Z"), at("2026-03-16T00:00:00Z"), 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].host, "jump-9");
  EXPECT_EQ((*events)[0].system, "");
}

TEST_F(ActivityStoreTest, EventsAfterNowWaitUntilNowReachesThem) {
  ASSERT_TRUE(add({event("2026-03-20T08:00:00Z", "ken", {"k8s"})}).ok());
  ActivityStore store(*m_db, m_zone);
  EXPECT_TRUE(store.snapshot(at("2026-03-16T12:00:00Z"))->days.empty());
  EXPECT_TRUE(store.snapshot(at("2026-03-16T12:00:00Z"))->coverage_start.empty());
  EXPECT_EQ(store.snapshot(at("2026-03-21T00:00:00Z"))->days["ken"]["k8s"].size(), 1u);
}

TEST_F(ActivityStoreTest, PositionsRoundTrip) {
  ActivityStore store(*m_db, m_zone);
  EXPECT_FALSE(store.position("logs/audit.log")->known);
  SourcePosition saved{64769, 393224, "ab12", 256, 123456, "", true};
  ASSERT_TRUE(store.save_position("logs/audit.log", saved, at("2026-03-16T12:00:00Z")).ok());
  saved.offset = 200000;
  ASSERT_TRUE(store.save_position("logs/audit.log", saved, at("2026-03-16T12:05:00Z")).ok());
  auto loaded = store.position("logs/audit.log");
  ASSERT_TRUE(loaded.ok());
  EXPECT_TRUE(loaded->known);
  EXPECT_EQ(loaded->device, 64769u);
  EXPECT_EQ(loaded->inode, 393224u);
  EXPECT_EQ(loaded->fingerprint, "ab12");
  EXPECT_EQ(loaded->fingerprint_length, 256u);
  EXPECT_EQ(loaded->offset, 200000u);
}

TEST_F(ActivityStoreTest, PruningDropsOldEventsButKeepsDailyCounts) {
  ASSERT_TRUE(add({event("2025-10-01T08:00:00Z", "ken", {"k8s"}),
                   event("2026-03-01T08:00:00Z", "ken", {"k8s"})})
                  .ok());
  ActivityStore store(*m_db, m_zone);
  ASSERT_TRUE(store.prune_events(at("2026-01-01T00:00:00Z")).ok());
  EXPECT_EQ(
      store.events_of("ken", at("2025-01-01T00:00:00Z"), at("2026-12-31T00:00:00Z"), 10)->size(),
      1u);
  EXPECT_EQ(store.snapshot(at("2026-03-16T12:00:00Z"))->days["ken"]["k8s"].size(), 2u);
}

}  // namespace
}  // namespace secondsight::store::testing
