#include "secondsight/app/findings_update.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include "fixtures/findings.hpp"
#include "fixtures/temp_dir.hpp"
#include "secondsight/store/findings_store.hpp"

namespace secondsight::app {
namespace {

using findings::ChangeKind;
using findings::Finding;
using findings::FindingStatus;
using findings::ReconcileResult;
using findings::ReconcileScope;
using findings::Severity;
using findings::StoredFinding;
using secondsight::testing::make_finding;
using secondsight::testing::TempDir;
using store::Database;
using store::FindingsStore;

using namespace std::chrono_literals;

const ReconcileScope k_all{{"access_after_end", "need_to_know_violation", "unused_access",
                            "single_point_of_knowledge", "missing_end_date"}};

struct EventRow {
  std::string fingerprint, at, change, severity;
  std::optional<std::string> previous;
};

class FindingsStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::open(m_path);
    ASSERT_TRUE(db) << db.error().message;
    m_db.emplace(std::move(*db));
    m_store.emplace(*m_db);
  }

  ReconcileResult reconcile(const std::vector<Finding>& seen, Instant now,
                            const ReconcileScope& scope = k_all) {
    auto result = record_findings(*m_db, seen, scope, now);
    EXPECT_TRUE(result) << result.error().message;
    return result ? std::move(*result) : ReconcileResult{};
  }

  StoredFinding get(const Finding& finding) {
    auto stored = m_store->get(finding.fingerprint());
    EXPECT_TRUE(stored) << stored.error().message;
    EXPECT_TRUE(stored && *stored) << "no finding " << finding.fingerprint();
    return stored && *stored ? **stored : StoredFinding{};
  }

  std::vector<EventRow> events() {
    std::vector<EventRow> out;
    auto stmt = m_db->prepare(
        "SELECT fingerprint, at, change, severity, previous_severity FROM finding_events "
        "ORDER BY id");
    EXPECT_TRUE(stmt);
    while (true) {
      auto row = stmt->step();
      EXPECT_TRUE(row);
      if (!row || !*row) break;
      out.push_back({stmt->column_text(0), stmt->column_text(1), stmt->column_text(2),
                     stmt->column_text(3), stmt->column_optional_text(4)});
    }
    return out;
  }

  TempDir m_dir;
  std::filesystem::path m_path = m_dir / "secondsight.db";
  std::optional<Database> m_db;
  std::optional<FindingsStore> m_store;
};

const Instant k_t1 = Instant{date::sys_days{date::March / 16 / 2026}} + 12h;
const Instant k_t2 = k_t1 + 1h;
const Instant k_t3 = Instant{date::sys_days{date::March / 17 / 2026}} + 8h + 30min;

TEST_F(FindingsStoreTest, FirstScanOpensEverything) {
  auto a = make_finding("access_after_end", "mallory", std::nullopt, Severity::critical);
  auto b = make_finding("need_to_know_violation", "mallory", "hr-data", Severity::high);
  auto result = reconcile({a, b}, k_t1);

  ASSERT_EQ(result.changes.size(), 2u);
  for (const auto& change : result.changes) {
    EXPECT_EQ(change.kind, ChangeKind::opened);
    EXPECT_EQ(change.after.status, FindingStatus::open);
    EXPECT_EQ(change.after.first_seen, k_t1);
    EXPECT_FALSE(change.severity_before);
  }
  ASSERT_EQ(result.open.size(), 2u);
  EXPECT_EQ(result.open[0].fingerprint, a.fingerprint());
  EXPECT_EQ(result.open[1].fingerprint, b.fingerprint());

  auto stored = get(b);
  EXPECT_EQ(stored.finding.kind, "need_to_know_violation");
  EXPECT_EQ(stored.finding.person, "mallory");
  EXPECT_EQ(stored.finding.system, "hr-data");
  EXPECT_EQ(stored.finding.severity, Severity::high);
  EXPECT_EQ(stored.finding.summary, "need_to_know_violation summary");
  EXPECT_EQ(stored.status, FindingStatus::open);
  EXPECT_EQ(stored.first_seen, k_t1);
  EXPECT_EQ(stored.last_seen, k_t1);
  EXPECT_FALSE(stored.resolved_at);
  EXPECT_FALSE(stored.acked_until);
  EXPECT_FALSE(get(a).finding.system);
}

TEST_F(FindingsStoreTest, ListsLeaveOutEvidenceOnlyWhenAskedAndCountOpenFindingsPerPerson) {
  auto a = make_finding("access_after_end", "mallory", std::nullopt, Severity::critical,
                        {{"groups", {"hr"}}});
  auto b = make_finding("need_to_know_violation", "mallory", "hr-data", Severity::high);
  auto c = make_finding("missing_end_date", "trent", std::nullopt, Severity::high);
  auto d = make_finding("single_point_of_knowledge", std::nullopt, "hr-data", Severity::high);
  reconcile({a, b, c, d}, k_t1);
  reconcile({a, b, d}, k_t2);  // trent's resolves

  auto parsed = m_store->list(FindingStatus::open);
  ASSERT_TRUE(parsed);
  auto left_out = m_store->list(FindingStatus::open, store::Evidence::left_out);
  ASSERT_TRUE(left_out);
  ASSERT_EQ(parsed->size(), 3u);
  ASSERT_EQ(left_out->size(), 3u);
  for (std::size_t i = 0; i < parsed->size(); ++i) {
    EXPECT_EQ((*left_out)[i].fingerprint, (*parsed)[i].fingerprint);
    EXPECT_EQ((*left_out)[i].finding.summary, (*parsed)[i].finding.summary);
    EXPECT_EQ((*left_out)[i].finding.evidence, nlohmann::json::object());
  }
  const auto parsed_a = std::find_if(parsed->begin(), parsed->end(), [&](const auto& stored) {
    return stored.fingerprint == a.fingerprint();
  });
  ASSERT_NE(parsed_a, parsed->end());
  EXPECT_EQ(parsed_a->finding.evidence["groups"][0], "hr");

  auto counts = m_store->open_count_by_person();
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(*counts, (std::map<std::string, std::int64_t>{{"mallory", 2}}));
}

TEST_F(FindingsStoreTest, SecondIdenticalScanChangesNothingButLastSeen) {
  auto a = make_finding("access_after_end", "mallory", std::nullopt, Severity::critical);
  reconcile({a}, k_t1);
  auto result = reconcile({a}, k_t2);
  EXPECT_TRUE(result.changes.empty());
  ASSERT_EQ(result.open.size(), 1u);
  EXPECT_EQ(result.open[0].first_seen, k_t1);
  EXPECT_EQ(result.open[0].last_seen, k_t2);
  auto stored = get(a);
  EXPECT_EQ(stored.first_seen, k_t1);
  EXPECT_EQ(stored.last_seen, k_t2);
  EXPECT_EQ(events().size(), 1u);
}

TEST_F(FindingsStoreTest, AFindingNoLongerSeenResolves) {
  auto a = make_finding("access_after_end", "mallory", std::nullopt, Severity::critical);
  auto b = make_finding("unused_access", "trent", "wiki", Severity::medium);
  reconcile({a, b}, k_t1);
  auto result = reconcile({b}, k_t2);
  ASSERT_EQ(result.changes.size(), 1u);
  EXPECT_EQ(result.changes[0].kind, ChangeKind::resolved);
  EXPECT_EQ(result.changes[0].after.fingerprint, a.fingerprint());
  EXPECT_EQ(result.changes[0].after.status, FindingStatus::resolved);
  EXPECT_EQ(result.changes[0].after.resolved_at, k_t2);
  EXPECT_EQ(result.changes[0].after.last_seen, k_t1);
  EXPECT_EQ(result.changes[0].after.finding.severity, Severity::critical);
  auto stored = get(a);
  EXPECT_EQ(stored.status, FindingStatus::resolved);
  EXPECT_EQ(stored.resolved_at, k_t2);
  EXPECT_EQ(get(b).status, FindingStatus::open);
}

TEST_F(FindingsStoreTest, AKindOnIncompleteDataStaysOpen) {
  auto a = make_finding("access_after_end", "mallory", std::nullopt, Severity::critical);
  auto b = make_finding("unused_access", "trent", "wiki", Severity::medium);
  reconcile({a, b}, k_t1);
  // The directory was unreachable: only unused_access was evaluated on complete data.
  auto result = reconcile({}, k_t2, ReconcileScope{{"unused_access"}});
  ASSERT_EQ(result.changes.size(), 1u);
  EXPECT_EQ(result.changes[0].after.fingerprint, b.fingerprint());
  auto stored = get(a);
  EXPECT_EQ(stored.status, FindingStatus::open);
  EXPECT_EQ(stored.last_seen, k_t1);  // untouched
  EXPECT_EQ(get(b).status, FindingStatus::resolved);
}

TEST_F(FindingsStoreTest, SeenAgainReopensWithANewFirstSeen) {
  auto a = make_finding("access_after_end", "mallory", std::nullopt, Severity::critical);
  reconcile({a}, k_t1);
  reconcile({}, k_t2);
  ASSERT_EQ(get(a).status, FindingStatus::resolved);
  auto result = reconcile({a}, k_t3);
  ASSERT_EQ(result.changes.size(), 1u);
  EXPECT_EQ(result.changes[0].kind, ChangeKind::reopened);
  auto stored = get(a);
  EXPECT_EQ(stored.status, FindingStatus::open);
  EXPECT_EQ(stored.first_seen, k_t3);
  EXPECT_EQ(stored.last_seen, k_t3);
  EXPECT_FALSE(stored.resolved_at);
  EXPECT_EQ(result.open[0].first_seen, k_t3);
  // Resolved findings not seen stay as they are.
  auto later = reconcile({a}, k_t3 + 1h);
  EXPECT_TRUE(later.changes.empty());
}

TEST_F(FindingsStoreTest, SeverityChangesAreEscalationsAndDeescalations) {
  auto low = make_finding("need_to_know_violation", "mallory", "hr-data", Severity::high);
  reconcile({low}, k_t1);
  auto high = low;
  high.severity = Severity::critical;
  auto up = reconcile({high}, k_t2);
  ASSERT_EQ(up.changes.size(), 1u);
  EXPECT_EQ(up.changes[0].kind, ChangeKind::escalated);
  EXPECT_EQ(up.changes[0].severity_before, Severity::high);
  EXPECT_EQ(up.changes[0].after.finding.severity, Severity::critical);
  EXPECT_EQ(up.changes[0].after.first_seen, k_t1);
  EXPECT_EQ(get(low).finding.severity, Severity::critical);

  auto down = reconcile({low}, k_t3);
  ASSERT_EQ(down.changes.size(), 1u);
  EXPECT_EQ(down.changes[0].kind, ChangeKind::deescalated);
  EXPECT_EQ(down.changes[0].severity_before, Severity::critical);
  EXPECT_EQ(get(low).finding.severity, Severity::high);
}

TEST_F(FindingsStoreTest, SummaryAndEvidenceFollowTheLatestScan) {
  auto a = make_finding("unused_access", "trent", "wiki", Severity::medium, {{"days", 50}});
  reconcile({a}, k_t1);
  a.summary = "new words";
  a.evidence = {{"days", 51}};
  auto result = reconcile({a}, k_t2);
  EXPECT_TRUE(result.changes.empty());
  auto stored = get(a);
  EXPECT_EQ(stored.finding.summary, "new words");
  EXPECT_EQ(stored.finding.evidence, (nlohmann::json{{"days", 51}}));
}

TEST_F(FindingsStoreTest, EvidenceRoundTrips) {
  nlohmann::json evidence = {
      {"holders", {"alice", "mallory"}},
      {"truck_factor", 1},
      {"share", {{"alice", 0.25}, {"mallory", 0.75}}},
      {"group_path", {"cn=payments-dev,ou=groups,dc=example,dc=com"}},
      {"note", "quotes \" and unicode \xc3\xa9 and null"},
      {"nothing", nullptr},
      {"nested", {{"deep", {{"flag", true}}}}},
  };
  auto a = make_finding("single_point_of_knowledge", std::nullopt, "payments-api",
                        Severity::critical, evidence);
  reconcile({a}, k_t1);
  EXPECT_EQ(get(a).finding.evidence, evidence);
}

TEST_F(FindingsStoreTest, InvalidUtf8InEvidenceDoesNotThrow) {
  auto a = make_finding("unused_access", "trent", "wiki", Severity::medium,
                        {{"line", std::string("bad \xff byte")}});
  reconcile({a}, k_t1);
  EXPECT_TRUE(get(a).finding.evidence.contains("line"));
}

TEST_F(FindingsStoreTest, CorruptedEvidenceIsAnError) {
  auto a = make_finding("unused_access", "trent", "wiki", Severity::medium);
  reconcile({a}, k_t1);
  ASSERT_TRUE(m_db->exec("UPDATE findings SET evidence = '{not json'"));
  auto stored = m_store->get(a.fingerprint());
  ASSERT_FALSE(stored);
  EXPECT_NE(stored.error().message.find(a.fingerprint()), std::string::npos);
  EXPECT_NE(stored.error().message.find("evidence"), std::string::npos);
  EXPECT_FALSE(m_store->list(std::nullopt));
}

TEST_F(FindingsStoreTest, EveryChangeIsAnEvent) {
  auto a = make_finding("need_to_know_violation", "mallory", "hr-data", Severity::high);
  reconcile({a}, k_t1);
  auto b = a;
  b.severity = Severity::critical;
  reconcile({b}, k_t2);
  reconcile({b}, k_t2 + 5min);  // nothing new
  reconcile({}, k_t3);
  reconcile({a}, k_t3 + 1h);

  auto rows = events();
  ASSERT_EQ(rows.size(), 4u);
  for (const auto& row : rows) EXPECT_EQ(row.fingerprint, a.fingerprint());
  EXPECT_EQ(rows[0].change, "opened");
  EXPECT_EQ(rows[0].at, "2026-03-16T12:00:00Z");
  EXPECT_EQ(rows[0].severity, "high");
  EXPECT_FALSE(rows[0].previous);
  EXPECT_EQ(rows[1].change, "escalated");
  EXPECT_EQ(rows[1].at, "2026-03-16T13:00:00Z");
  EXPECT_EQ(rows[1].severity, "critical");
  EXPECT_EQ(rows[1].previous, "high");
  EXPECT_EQ(rows[2].change, "resolved");
  EXPECT_EQ(rows[2].at, "2026-03-17T08:30:00Z");
  EXPECT_EQ(rows[2].severity, "critical");
  EXPECT_EQ(rows[3].change, "reopened");
  EXPECT_EQ(rows[3].severity, "high");
}

TEST_F(FindingsStoreTest, DuplicatesKeepTheMostSevere) {
  auto medium = make_finding("need_to_know_violation", "mallory", "hr-data", Severity::medium);
  auto critical = medium;
  critical.severity = Severity::critical;
  auto other = make_finding("access_after_end", "mallory", std::nullopt, Severity::critical);
  auto result = reconcile({medium, other, critical, medium}, k_t1);
  ASSERT_EQ(result.open.size(), 2u);  // both critical: by kind
  EXPECT_EQ(result.open[0].fingerprint, other.fingerprint());
  EXPECT_EQ(result.open[1].fingerprint, medium.fingerprint());
  EXPECT_EQ(result.open[1].finding.severity, Severity::critical);
  EXPECT_EQ(result.changes.size(), 2u);
  EXPECT_EQ(get(medium).finding.severity, Severity::critical);
}

TEST_F(FindingsStoreTest, ListOrdersBySeverityThenKindPersonSystem) {
  reconcile(
      {
          make_finding("unused_access", "trent", "wiki", Severity::medium),
          make_finding("need_to_know_violation", "mallory", "wiki", Severity::high),
          make_finding("access_after_end", "zed", std::nullopt, Severity::critical),
          make_finding("need_to_know_violation", "mallory", "hr-data", Severity::high),
          make_finding("engagement_ending", "eve", std::nullopt, Severity::info),
          make_finding("access_after_end", "bob", std::nullopt, Severity::critical),
          make_finding("missing_end_date", "alice", std::nullopt, Severity::high),
      },
      k_t1);
  auto all = m_store->list(std::nullopt);
  ASSERT_TRUE(all) << all.error().message;
  std::vector<std::string> order;
  for (const auto& f : *all)
    order.push_back(f.finding.kind + "/" + f.finding.person.value_or("-") + "/" +
                    f.finding.system.value_or("-"));
  EXPECT_EQ(order, (std::vector<std::string>{
                       "access_after_end/bob/-",
                       "access_after_end/zed/-",
                       "missing_end_date/alice/-",
                       "need_to_know_violation/mallory/hr-data",
                       "need_to_know_violation/mallory/wiki",
                       "unused_access/trent/wiki",
                       "engagement_ending/eve/-",
                   }));
}

// What a reconcile returns as open is what the store lists as open afterwards, whatever
// happened to each finding: unchanged, new evidence, escalated, reopened, resolved, or kept
// open unseen because its kind was evaluated on partial data.
TEST_F(FindingsStoreTest, ReconcileReturnsWhatListShowsOpen) {
  auto unchanged = make_finding("access_after_end", "zed", std::nullopt, Severity::critical);
  auto evidence = make_finding("unused_access", "trent", "wiki", Severity::medium, {{"days", 50}});
  auto rising = make_finding("need_to_know_violation", "mallory", "wiki", Severity::medium);
  auto returning = make_finding("need_to_know_violation", "mallory", "hr-data", Severity::high);
  auto leaving = make_finding("missing_end_date", "alice", std::nullopt, Severity::high);
  auto partial = make_finding("single_point_of_knowledge", std::nullopt, "payments",
                              Severity::critical, {{"holders", {"bob"}}});
  reconcile({unchanged, evidence, rising, returning, leaving, partial}, k_t1);
  reconcile({unchanged, evidence, rising, leaving, partial}, k_t2);  // `returning` resolves
  ASSERT_EQ(get(returning).status, FindingStatus::resolved);

  evidence.evidence = {{"days", 51}};
  rising.severity = Severity::high;
  ReconcileScope scope = k_all;
  std::erase(scope.complete_kinds, "single_point_of_knowledge");
  auto result = reconcile({unchanged, evidence, rising, returning}, k_t3, scope);

  auto listed = m_store->list(FindingStatus::open);
  ASSERT_TRUE(listed) << listed.error().message;
  auto describe = [](const std::vector<StoredFinding>& findings) {
    std::vector<std::string> out;
    for (const auto& f : findings)
      out.push_back(f.fingerprint + " " + std::string(to_string(f.finding.severity)) + " " +
                    f.finding.summary + " " + f.finding.evidence.dump() + " " +
                    format_rfc3339(f.first_seen) + " " + format_rfc3339(f.last_seen));
    return out;
  };
  EXPECT_EQ(describe(result.open), describe(*listed));
  ASSERT_EQ(listed->size(), 5u);  // all but `leaving`
  EXPECT_EQ(get(leaving).status, FindingStatus::resolved);
  EXPECT_EQ(get(partial).last_seen, k_t2);  // not seen, not resolved, not touched
  EXPECT_EQ(get(unchanged).last_seen, k_t3);
  EXPECT_EQ(get(unchanged).first_seen, k_t1);
  EXPECT_EQ(get(evidence).finding.evidence, (nlohmann::json{{"days", 51}}));
  EXPECT_EQ(get(returning).first_seen, k_t3);
}

TEST_F(FindingsStoreTest, ListFiltersByStatus) {
  auto a = make_finding("access_after_end", "mallory", std::nullopt, Severity::critical);
  auto b = make_finding("unused_access", "trent", "wiki", Severity::medium);
  reconcile({a, b}, k_t1);
  reconcile({b}, k_t2);
  auto open = m_store->list(FindingStatus::open);
  ASSERT_TRUE(open);
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ((*open)[0].fingerprint, b.fingerprint());
  auto resolved = m_store->list(FindingStatus::resolved);
  ASSERT_TRUE(resolved);
  ASSERT_EQ(resolved->size(), 1u);
  EXPECT_EQ((*resolved)[0].fingerprint, a.fingerprint());
  auto all = m_store->list(std::nullopt);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 2u);
}

TEST_F(FindingsStoreTest, GetOfAnUnknownFingerprintIsEmpty) {
  auto stored = m_store->get("0123456789abcdef0123456789abcdef");
  ASSERT_TRUE(stored);
  EXPECT_FALSE(*stored);
}

TEST_F(FindingsStoreTest, FindingsSurviveCloseAndReopen) {
  auto a = make_finding("need_to_know_violation", "mallory", "hr-data", Severity::high, {{"n", 1}});
  reconcile({a}, k_t1);
  reconcile({a}, k_t2);
  m_store.reset();
  m_db.reset();

  auto db = Database::open(m_path);
  ASSERT_TRUE(db) << db.error().message;
  FindingsStore store(*db);
  auto stored = store.get(a.fingerprint());
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->first_seen, k_t1);
  EXPECT_EQ((*stored)->last_seen, k_t2);
  EXPECT_EQ((*stored)->finding.evidence, (nlohmann::json{{"n", 1}}));
  // And the next scan continues from the stored state.
  auto result = record_findings(*db, {}, k_all, k_t3);
  ASSERT_TRUE(result);
  ASSERT_EQ(result->changes.size(), 1u);
  EXPECT_EQ(result->changes[0].kind, ChangeKind::resolved);
}

TEST_F(FindingsStoreTest, AFailedReconcileChangesNothing) {
  auto a = make_finding("access_after_end", "mallory", std::nullopt, Severity::critical);
  reconcile({a}, k_t1);
  // A broken stored row makes the reconcile fail, with the new finding not yet written.
  ASSERT_TRUE(m_db->exec("UPDATE findings SET first_seen = 'yesterday'"));
  auto b = make_finding("unused_access", "trent", "wiki", Severity::medium);
  auto result = record_findings(*m_db, {b}, k_all, k_t2);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("first_seen"), std::string::npos);
  auto count = m_db->prepare("SELECT count(*) FROM findings");
  ASSERT_TRUE(count);
  ASSERT_TRUE(count->step());
  EXPECT_EQ(count->column_int(0), 1);
  EXPECT_EQ(events().size(), 1u);
}

TEST(FindingsStoreNames, StatusAndChangeNames) {
  EXPECT_EQ(to_string(FindingStatus::open), "open");
  EXPECT_EQ(to_string(FindingStatus::resolved), "resolved");
  EXPECT_EQ(to_string(ChangeKind::opened), "opened");
  EXPECT_EQ(to_string(ChangeKind::escalated), "escalated");
  EXPECT_EQ(to_string(ChangeKind::deescalated), "deescalated");
  EXPECT_EQ(to_string(ChangeKind::resolved), "resolved");
  EXPECT_EQ(to_string(ChangeKind::reopened), "reopened");
}

}  // namespace
}  // namespace secondsight::app
