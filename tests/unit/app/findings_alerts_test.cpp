// Reconcile's lifecycle side: every change in the evidence log, alerting changes queued per
// sink by min_severity, acks, all in the transaction of the change.
#include <gtest/gtest.h>

#include <chrono>

#include "fixtures/findings.hpp"
#include "fixtures/temp_dir.hpp"
#include "secondsight/app/findings_update.hpp"
#include "secondsight/store/evidence_log.hpp"
#include "secondsight/store/findings_store.hpp"
#include "secondsight/store/outbox.hpp"

namespace secondsight::app {
namespace {

using findings::AlertRoute;
using findings::ChangeKind;
using findings::Finding;
using findings::FindingStatus;
using findings::ReconcileResult;
using findings::ReconcileScope;
using findings::Severity;
using findings::StoredFinding;
using secondsight::testing::TempDir;
using store::Database;
using store::EvidenceLog;
using store::FindingsStore;
using store::Outbox;
using namespace std::chrono_literals;

// A finding whose summary needs escaping in an alert, with evidence of its own.
Finding make(std::string kind, std::optional<std::string> person, std::optional<std::string> system,
             Severity severity) {
  Finding f = secondsight::testing::make_finding(std::move(kind), std::move(person),
                                                 std::move(system), severity, {{"why", "because"}});
  f.summary = f.kind + " <summary> & more";
  return f;
}

const ReconcileScope k_all{{"access_after_end", "need_to_know_violation", "unused_access"}};
const std::vector<AlertRoute> k_routes{{"journal", Severity::info},
                                       {"webhook:https://siem.example/x", Severity::high}};

const Instant k_t1 = Instant{date::sys_days{date::March / 16 / 2026}} + 12h;
const Instant k_t2 = k_t1 + 1h;
const Instant k_t3 = k_t1 + 2h;
const Instant k_t4 = k_t1 + 3h;

class FindingsAlertsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::open(m_dir / "secondsight.db");
    ASSERT_TRUE(db) << db.error().message;
    m_db.emplace(std::move(*db));
    m_store.emplace(*m_db);
  }

  ReconcileResult reconcile(const std::vector<Finding>& seen, Instant now) {
    auto result = record_findings(*m_db, seen, k_all, now, k_routes);
    EXPECT_TRUE(result) << result.error().message;
    return result ? std::move(*result) : ReconcileResult{};
  }

  // (sink, change, fingerprint) of every queued alert, in order.
  std::vector<std::tuple<std::string, std::string, std::string>> queued() {
    auto all = Outbox(*m_db).of(std::nullopt);
    EXPECT_TRUE(all);
    std::vector<std::tuple<std::string, std::string, std::string>> out;
    for (const auto& entry : *all) out.emplace_back(entry.sink, entry.change, entry.fingerprint);
    return out;
  }

  std::vector<std::string> logged_changes() {
    auto entries = EvidenceLog(*m_db).entries(std::nullopt);
    EXPECT_TRUE(entries);
    std::vector<std::string> out;
    for (const auto& entry : *entries) out.push_back(entry.change);
    return out;
  }

  TempDir m_dir;
  std::optional<Database> m_db;
  std::optional<FindingsStore> m_store;
};

const Finding k_critical = make("access_after_end", "mallory", std::nullopt, Severity::critical);
const Finding k_medium = make("unused_access", "mallory", "wiki", Severity::medium);

TEST_F(FindingsAlertsTest, OpeningsAreQueuedForEachSinkThatTakesTheirSeverity) {
  reconcile({k_critical, k_medium}, k_t1);
  const std::string critical = k_critical.fingerprint(), medium = k_medium.fingerprint();
  using Row = std::tuple<std::string, std::string, std::string>;
  EXPECT_EQ(queued(), (std::vector<Row>{{"journal", "opened", critical},
                                        {"webhook:https://siem.example/x", "opened", critical},
                                        {"journal", "opened", medium}}));

  auto rows = Outbox(*m_db).of(std::nullopt);
  ASSERT_TRUE(rows);
  EXPECT_EQ((*rows)[0].seq, 1);
  EXPECT_EQ((*rows)[1].seq, 1);  // per sink
  EXPECT_EQ((*rows)[2].seq, 2);
  EXPECT_EQ((*rows)[0].idempotency_key, (*rows)[1].idempotency_key);  // one alert, two sinks
  EXPECT_NE((*rows)[0].idempotency_key, (*rows)[2].idempotency_key);
  EXPECT_EQ((*rows)[0].attempts, 0);
  EXPECT_FALSE((*rows)[0].next_attempt_at);  // due at once
  EXPECT_FALSE((*rows)[0].delivered_at);

  auto alert = nlohmann::json::parse((*rows)[0].payload);
  EXPECT_EQ(alert["id"], (*rows)[0].idempotency_key);
  EXPECT_EQ(alert["change"], "opened");
  EXPECT_EQ(alert["at"], "2026-03-16T12:00:00Z");
  EXPECT_EQ(alert["fingerprint"], critical);
  EXPECT_EQ(alert["kind"], "access_after_end");
  EXPECT_EQ(alert["severity"], "critical");
  EXPECT_EQ(alert["person"], "mallory");
  EXPECT_TRUE(alert["system"].is_null());
  EXPECT_EQ(alert["status"], "open");
  EXPECT_EQ(alert["evidence"]["why"], "because");
  EXPECT_EQ(alert["evidence_log"]["seq"], 1);
  EXPECT_EQ(alert["text"],
            "secondsight: CRITICAL opened: access_after_end for mallory. access_after_end "
            "&lt;summary&gt; &amp; more");
  auto entries = EvidenceLog(*m_db).entries(std::nullopt);
  ASSERT_TRUE(entries);
  EXPECT_EQ(alert["evidence_log"]["hash"], (*entries)[0].hash);
  EXPECT_EQ((*rows)[0].idempotency_key, (*entries)[0].hash.substr(0, 32));
}

TEST_F(FindingsAlertsTest, OnlyOpeningRisingResolvingAndReopeningAlert) {
  reconcile({k_critical, k_medium}, k_t1);
  const auto after_open = queued().size();
  reconcile({k_critical, k_medium}, k_t2);  // nothing new
  EXPECT_EQ(queued().size(), after_open);

  Finding risen = k_medium;
  risen.severity = Severity::high;
  auto result = reconcile({k_critical, risen}, k_t3);
  ASSERT_EQ(result.changes.size(), 1u);
  EXPECT_EQ(result.changes[0].kind, ChangeKind::escalated);
  auto rows = queued();
  ASSERT_EQ(rows.size(), after_open + 2);  // high reaches both sinks now
  EXPECT_EQ(std::get<1>(rows.back()), "escalated");
  auto last = Outbox(*m_db).of(std::nullopt)->back();
  EXPECT_EQ(nlohmann::json::parse(last.payload)["previous_severity"], "medium");

  reconcile({k_critical, k_medium}, k_t4);  // falls back: logged, not alerted
  EXPECT_EQ(queued().size(), after_open + 2);

  reconcile({k_critical}, k_t4 + 1h);  // the medium one resolves: journal only
  rows = queued();
  ASSERT_EQ(rows.size(), after_open + 3);
  EXPECT_EQ(rows.back(), std::make_tuple(std::string("journal"), std::string("resolved"),
                                         k_medium.fingerprint()));

  reconcile({k_critical, k_medium}, k_t4 + 2h);  // and comes back
  rows = queued();
  ASSERT_EQ(rows.size(), after_open + 4);
  EXPECT_EQ(std::get<1>(rows.back()), "reopened");

  EXPECT_EQ(logged_changes(), (std::vector<std::string>{"opened", "opened", "escalated",
                                                        "deescalated", "resolved", "reopened"}));
  auto verdict = EvidenceLog(*m_db).verify();
  ASSERT_TRUE(verdict);
  EXPECT_TRUE(verdict->intact()) << verdict->problem;
}

TEST_F(FindingsAlertsTest, WithoutSinksChangesAreStillLogged) {
  auto result = record_findings(*m_db, {k_critical}, k_all, k_t1);
  ASSERT_TRUE(result);
  EXPECT_TRUE(queued().empty());
  EXPECT_EQ(logged_changes(), std::vector<std::string>{"opened"});
}

TEST_F(FindingsAlertsTest, AnAckSilencesEscalationAndReopeningButNotResolution) {
  reconcile({k_medium}, k_t1);
  const auto fingerprint = k_medium.fingerprint();
  auto acked = m_store->ack({fingerprint, k_t1 + 24h, "contract extension signed", "alice", k_t1});
  ASSERT_TRUE(acked) << acked.error().message;
  EXPECT_EQ(acked->acked_until, k_t1 + 24h);
  EXPECT_EQ(m_store->get(fingerprint)->value().ack_reason, "contract extension signed");
  EXPECT_EQ(m_store->get(fingerprint)->value().ack_by, "alice");
  const auto before = queued().size();

  Finding risen = k_medium;
  risen.severity = Severity::critical;
  auto result = reconcile({risen}, k_t2);
  ASSERT_EQ(result.changes.size(), 1u);
  EXPECT_TRUE(result.changes[0].silenced);
  EXPECT_EQ(queued().size(), before);  // silenced

  reconcile({}, k_t3);  // resolves: alerted all the same
  ASSERT_EQ(queued().size(), before + 2);
  EXPECT_EQ(std::get<1>(queued().back()), "resolved");

  reconcile({risen}, k_t4);  // reopens within the ack: silenced
  EXPECT_EQ(queued().size(), before + 2);

  EXPECT_EQ(logged_changes(),
            (std::vector<std::string>{"opened", "acked", "escalated", "resolved", "reopened"}));
  auto entries = EvidenceLog(*m_db).entries(fingerprint);
  ASSERT_TRUE(entries);
  auto ack = nlohmann::json::parse((*entries)[1].payload);
  EXPECT_EQ(ack["reason"], "contract extension signed");
  EXPECT_EQ(ack["by"], "alice");
  EXPECT_EQ(ack["until"], "2026-03-17T12:00:00Z");
  EXPECT_EQ(nlohmann::json::parse((*entries)[2].payload)["silenced_by_ack"], true);
}

TEST_F(FindingsAlertsTest, TheEndOfAnAckAlertsOnceWhenTheFindingIsStillOpen) {
  reconcile({k_critical}, k_t1);
  const auto fingerprint = k_critical.fingerprint();
  ASSERT_TRUE(m_store->ack({fingerprint, k_t2, "known", "bob", k_t1}));
  const auto before = queued().size();
  reconcile({k_critical}, k_t1 + 30min);  // still acked
  EXPECT_EQ(queued().size(), before);

  auto result = reconcile({k_critical}, k_t2);  // the ack ends as this scan runs
  ASSERT_EQ(result.changes.size(), 1u);
  EXPECT_EQ(result.changes[0].kind, ChangeKind::ack_expired);
  EXPECT_EQ(queued().size(), before + 2);
  EXPECT_EQ(std::get<1>(queued().back()), "ack_expired");
  EXPECT_FALSE(m_store->get(fingerprint)->value().acked_until);

  reconcile({k_critical}, k_t3);  // once
  EXPECT_EQ(queued().size(), before + 2);
}

TEST_F(FindingsAlertsTest, AcksAreKeptInTheirHistory) {
  reconcile({k_critical}, k_t1);
  const auto fingerprint = k_critical.fingerprint();
  ASSERT_TRUE(m_store->ack({fingerprint, k_t2, "first", "bob", k_t1}));
  ASSERT_TRUE(m_store->ack({fingerprint, k_t3, "second", "carol", k_t1 + 10min}));
  auto stmt = m_db->prepare("SELECT until, reason, acked_by, acked_at FROM acks ORDER BY id");
  ASSERT_TRUE(stmt);
  std::vector<std::string> rows;
  while (*stmt->step())
    rows.push_back(stmt->column_text(0) + " " + stmt->column_text(1) + " " + stmt->column_text(2) +
                   " " + stmt->column_text(3));
  EXPECT_EQ(rows,
            (std::vector<std::string>{"2026-03-16T13:00:00Z first bob 2026-03-16T12:00:00Z",
                                      "2026-03-16T14:00:00Z second carol 2026-03-16T12:10:00Z"}));
  auto entries = EvidenceLog(*m_db).entries(fingerprint);
  ASSERT_TRUE(entries);
  EXPECT_EQ(nlohmann::json::parse(entries->back().payload)["replaces"]["reason"], "first");
}

TEST_F(FindingsAlertsTest, AckingAnUnknownFindingFails) {
  auto acked = m_store->ack({"0123456789abcdef0123456789abcdef", k_t2, "x", "bob", k_t1});
  ASSERT_FALSE(acked);
  EXPECT_EQ(acked.error().message,
            "no finding has the fingerprint 0123456789abcdef0123456789abcdef");
  EXPECT_TRUE(logged_changes().empty());
}

TEST_F(FindingsAlertsTest, FingerprintsByPrefix) {
  reconcile({k_critical, k_medium}, k_t1);
  auto all = m_store->fingerprints_starting("");
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 2u);
  auto one = m_store->fingerprints_starting(k_medium.fingerprint().substr(0, 8));
  ASSERT_TRUE(one);
  EXPECT_EQ(*one, std::vector<std::string>{k_medium.fingerprint()});
  EXPECT_TRUE(m_store->fingerprints_starting("%")->empty());
}

TEST_F(FindingsAlertsTest, AFailedQueueingUndoesTheWholeReconcile) {
  // Written in one transaction: when the outbox cannot be written, neither is the change.
  ASSERT_TRUE(m_db->exec("DROP TABLE outbox"));
  auto result = record_findings(*m_db, {k_critical}, k_all, k_t1, k_routes);
  ASSERT_FALSE(result);
  auto listed = m_store->list(std::nullopt);
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->empty());
  EXPECT_TRUE(logged_changes().empty());
}

}  // namespace
}  // namespace secondsight::app
