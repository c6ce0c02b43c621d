// The lifecycle of findings across scans, on plain values: no database.
#include "secondsight/findings/lifecycle.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "fixtures/findings.hpp"
#include "secondsight/core/text.hpp"

namespace secondsight::findings {
namespace {

using namespace std::chrono_literals;
using What = FindingWrite::What;

const Instant k_t1 = Instant{date::sys_days{date::March / 16 / 2026}} + 12h;
const Instant k_t2 = k_t1 + 1h;
const Instant k_t3 = k_t1 + 2h;

const ReconcileScope k_all{{"access_after_end", "unused_access"}};

Finding make(std::string kind, std::string person, Severity severity,
             nlohmann::json evidence = nlohmann::json::object()) {
  return secondsight::testing::make_finding(std::move(kind), std::move(person), std::nullopt,
                                            severity, std::move(evidence));
}

// A finding as the store holds it, first seen at k_t1.
StoredRow stored(const Finding& finding, FindingStatus status = FindingStatus::open) {
  StoredRow row;
  row.stored.finding = finding;
  row.stored.fingerprint = finding.fingerprint();
  row.stored.status = status;
  row.stored.first_seen = row.stored.last_seen = k_t1;
  if (status == FindingStatus::resolved) row.stored.resolved_at = k_t1;
  row.evidence = json_text(finding.evidence);
  return row;
}

Reconciliation run(std::vector<StoredRow> rows, const std::vector<Finding>& seen, Instant now,
                   const ReconcileScope& scope = k_all) {
  return reconcile(std::move(rows), distinct_findings(seen), scope, now);
}

std::vector<What> writes(const Reconciliation& r) {
  std::vector<What> out;
  for (const auto& w : r.writes) out.push_back(w.what);
  return out;
}

std::vector<ChangeKind> changes(const Reconciliation& r) {
  std::vector<ChangeKind> out;
  for (const auto& c : r.result.changes) out.push_back(c.kind);
  return out;
}

const Finding k_a = make("access_after_end", "mallory", Severity::critical, {{"n", 1}});
const Finding k_b = make("unused_access", "trent", Severity::medium);

TEST(Lifecycle, ANewFindingOpens) {
  auto r = run({}, {k_a}, k_t1);
  EXPECT_EQ(writes(r), std::vector<What>{What::insert});
  EXPECT_EQ(r.writes[0].fingerprint, k_a.fingerprint());
  EXPECT_EQ(r.writes[0].evidence, R"({"n":1})");
  EXPECT_EQ(changes(r), std::vector<ChangeKind>{ChangeKind::opened});
  ASSERT_EQ(r.result.open.size(), 1u);
  EXPECT_EQ(r.result.open[0].first_seen, k_t1);
  EXPECT_EQ(r.result.open[0].last_seen, k_t1);
}

TEST(Lifecycle, SeenAgainUnchangedIsOnlyTouched) {
  auto r = run({stored(k_a)}, {k_a}, k_t2);
  EXPECT_EQ(writes(r), std::vector<What>{What::touch});
  EXPECT_TRUE(r.result.changes.empty());
  ASSERT_EQ(r.result.open.size(), 1u);
  EXPECT_EQ(r.result.open[0].first_seen, k_t1);
  EXPECT_EQ(r.result.open[0].last_seen, k_t2);
}

TEST(Lifecycle, NewEvidenceIsWrittenWithoutAChange) {
  auto now = k_a;
  now.evidence = {{"n", 2}};
  auto r = run({stored(k_a)}, {now}, k_t2);
  EXPECT_EQ(writes(r), std::vector<What>{What::update});
  EXPECT_EQ(r.writes[0].evidence, R"({"n":2})");
  EXPECT_TRUE(r.result.changes.empty());
}

TEST(Lifecycle, SeverityRisesAndFalls) {
  auto high = k_b;
  high.severity = Severity::high;
  auto up = run({stored(k_b)}, {high}, k_t2);
  EXPECT_EQ(changes(up), std::vector<ChangeKind>{ChangeKind::escalated});
  EXPECT_EQ(up.result.changes[0].severity_before, Severity::medium);
  EXPECT_EQ(up.writes[0].severity, Severity::high);

  auto down = run({stored(high)}, {k_b}, k_t2);
  EXPECT_EQ(changes(down), std::vector<ChangeKind>{ChangeKind::deescalated});
  EXPECT_EQ(down.result.changes[0].severity_before, Severity::high);
}

TEST(Lifecycle, AResolvedFindingSeenAgainReopensAsANewOccurrence) {
  auto r = run({stored(k_a, FindingStatus::resolved)}, {k_a}, k_t3);
  EXPECT_EQ(writes(r), std::vector<What>{What::update});
  EXPECT_EQ(r.writes[0].first_seen, k_t3);
  EXPECT_EQ(changes(r), std::vector<ChangeKind>{ChangeKind::reopened});
  const auto& after = r.result.changes[0].after;
  EXPECT_EQ(after.status, FindingStatus::open);
  EXPECT_EQ(after.first_seen, k_t3);
  EXPECT_FALSE(after.resolved_at);
}

TEST(Lifecycle, OnlyCompleteKindsResolve) {
  auto r = run({stored(k_a), stored(k_b)}, {}, k_t2, ReconcileScope{{"unused_access"}});
  EXPECT_EQ(writes(r), std::vector<What>{What::resolve});
  EXPECT_EQ(r.writes[0].fingerprint, k_b.fingerprint());
  EXPECT_EQ(changes(r), std::vector<ChangeKind>{ChangeKind::resolved});
  EXPECT_EQ(r.result.changes[0].after.resolved_at, k_t2);
  ASSERT_EQ(r.result.open.size(), 1u);  // the partial kind stays as it was
  EXPECT_EQ(r.result.open[0].fingerprint, k_a.fingerprint());
}

TEST(Lifecycle, ARunningAckSilencesAnEscalationButNotAResolution) {
  auto row = stored(k_b);
  row.stored.acked_until = k_t3;
  auto high = k_b;
  high.severity = Severity::high;
  auto up = run({row}, {high}, k_t2);
  ASSERT_EQ(changes(up), std::vector<ChangeKind>{ChangeKind::escalated});
  EXPECT_TRUE(up.result.changes[0].silenced);
  EXPECT_EQ(writes(up), std::vector<What>{What::update});  // the ack stays

  auto gone = run({row}, {}, k_t2);
  ASSERT_EQ(changes(gone), std::vector<ChangeKind>{ChangeKind::resolved});
  EXPECT_FALSE(gone.result.changes[0].silenced);
}

TEST(Lifecycle, AnEndedAckIsClearedAndRemindedOnce) {
  auto row = stored(k_a);
  row.stored.acked_until = k_t2;
  row.stored.ack_reason = "known";
  auto r = run({row}, {k_a}, k_t2);
  EXPECT_EQ(writes(r), (std::vector<What>{What::touch, What::clear_ack}));
  EXPECT_EQ(changes(r), std::vector<ChangeKind>{ChangeKind::ack_expired});
  EXPECT_FALSE(r.result.open[0].acked_until);
  EXPECT_TRUE(r.result.open[0].ack_reason.empty());
}

TEST(Lifecycle, AnEndedAckGivesNoReminderWhenTheScanAlertsAnyway) {
  auto row = stored(k_b);
  row.stored.acked_until = k_t2;
  auto high = k_b;
  high.severity = Severity::high;
  auto r = run({row}, {high}, k_t2);
  ASSERT_EQ(changes(r), std::vector<ChangeKind>{ChangeKind::escalated});
  EXPECT_FALSE(r.result.changes[0].silenced);
}

TEST(Lifecycle, OfDuplicatesTheMostSevereWins) {
  auto low = k_b;
  low.severity = Severity::low;
  auto high = k_b;
  high.severity = Severity::high;
  const std::vector<Finding> seen{low, k_a, high, low};
  auto unique = distinct_findings(seen);
  ASSERT_EQ(unique.size(), 2u);
  EXPECT_EQ(unique[0].finding->severity, Severity::high);
  EXPECT_EQ(unique[1].fingerprint, k_a.fingerprint());
}

TEST(Lifecycle, OpenFindingsComeMostSevereFirst) {
  auto r = run({stored(k_b)}, {k_b, k_a}, k_t2);
  ASSERT_EQ(r.result.open.size(), 2u);
  EXPECT_EQ(r.result.open[0].fingerprint, k_a.fingerprint());
  EXPECT_EQ(r.result.open[1].fingerprint, k_b.fingerprint());
}

TEST(Lifecycle, ChangesFollowTheOrderOfTheScanThenResolutions) {
  auto c = make("unused_access", "eve", Severity::low);
  auto high = k_b;
  high.severity = Severity::high;
  auto r = run({stored(c), stored(k_b)}, {high, k_a}, k_t2);
  EXPECT_EQ(changes(r), (std::vector<ChangeKind>{ChangeKind::escalated, ChangeKind::opened,
                                                 ChangeKind::resolved}));
  EXPECT_EQ(writes(r), (std::vector<What>{What::update, What::insert, What::resolve}));
}

TEST(SeverityNames, RoundTrip) {
  for (auto name : k_severity_names) {
    auto parsed = parse_severity(name);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(to_string(*parsed), name);
  }
  auto bad = parse_severity("hi");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "'hi' is not a severity (info, low, medium, high, critical)");
  EXPECT_LT(Severity::high, Severity::critical);
}

}  // namespace
}  // namespace secondsight::findings
