#include "secondsight/store/knowledge_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "secondsight/store/checklist_rows.hpp"
#include "secondsight/store/evidence_log.hpp"
#include "secondsight/store/migrations.hpp"
#include "temp_dir.hpp"

namespace secondsight::store {
namespace {

using testing::TempDir;

TEST(KnowledgeStore, KeepsOneHistoryPerRepositoryAndReplacesIt) {
  TempDir dir;
  auto db = Database::open(dir / "state.db");
  ASSERT_TRUE(db) << db.error().message;
  KnowledgeStore store(*db);
  const Instant now = *parse_rfc3339("2026-03-16T12:00:00Z");
  auto none = store.history("/srv/git/a.git");
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  ASSERT_TRUE(store.save_history("/srv/git/a.git", {"aaa", R"({"v":1})"}, now));
  ASSERT_TRUE(store.save_history("/srv/git/b.git", {"bbb", R"({"v":2})"}, now));
  ASSERT_TRUE(store.save_history("/srv/git/a.git", {"ccc", R"({"v":3})"}, now));

  // Kept across a reopen of the file.
  auto again = Database::open(dir / "state.db");
  ASSERT_TRUE(again);
  KnowledgeStore reopened(*again);
  auto a = reopened.history("/srv/git/a.git");
  ASSERT_TRUE(a && *a);
  EXPECT_EQ((*a)->head, "ccc");
  EXPECT_EQ((*a)->history, R"({"v":3})");
  auto b = reopened.history("/srv/git/b.git");
  ASSERT_TRUE(b && *b);
  EXPECT_EQ((*b)->head, "bbb");
}

TEST(KnowledgeStore, HandoversInTheOrderRecordedWithWhoAndWhen) {
  TempDir dir;
  auto db = Database::open(dir / "state.db");
  ASSERT_TRUE(db) << db.error().message;
  KnowledgeStore store(*db);
  knowledge::HandoverRecord first{"petra",      "route-planner",  "alice",
                                  "2026-03-20", "https://wiki/x", ""};
  knowledge::HandoverRecord second{"grace", "terraform", "bob", "2026-03-21", "", ""};
  ASSERT_TRUE(store.record_handover(first, "carol", *parse_rfc3339("2026-03-20T09:00:00Z")));
  auto id = store.record_handover(second, "root", *parse_rfc3339("2026-03-21T10:30:00Z"));
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(*id, 2);
  auto records = store.handovers();
  ASSERT_TRUE(records) << records.error().message;
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ((*records)[0].person, "petra");
  EXPECT_EQ((*records)[0].system, "route-planner");
  EXPECT_EQ((*records)[0].receiver, "alice");
  EXPECT_EQ((*records)[0].date, "2026-03-20");
  EXPECT_EQ((*records)[0].doc, "https://wiki/x");
  EXPECT_EQ((*records)[0].origin, "recorded by carol at 2026-03-20T09:00:00Z");
  EXPECT_EQ((*records)[1].person, "grace");
  EXPECT_EQ((*records)[1].origin, "recorded by root at 2026-03-21T10:30:00Z");
}

const knowledge::HandoverRecord k_petra{"petra",      "route-planner",  "alice",
                                        "2026-03-20", "https://wiki/x", ""};

std::vector<EvidenceEntry> evidence_of(Database& db) {
  auto entries = EvidenceLog(db).entries(std::nullopt);
  EXPECT_TRUE(entries);
  return entries ? *entries : std::vector<EvidenceEntry>{};
}

TEST(KnowledgeStore, ARecordedHandoverIsOnTheEvidenceLog) {
  TempDir dir;
  auto db = Database::open(dir / "state.db");
  ASSERT_TRUE(db) << db.error().message;
  KnowledgeStore store(*db);
  auto transaction = Transaction::begin(*db);
  ASSERT_TRUE(transaction);
  auto id = store.record_handover(k_petra, "carol", *parse_rfc3339("2026-03-20T09:00:00Z"));
  ASSERT_TRUE(id) << id.error().message;
  ASSERT_TRUE(transaction->commit());
  const auto entries = evidence_of(*db);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].fingerprint, "handover:" + std::to_string(*id));
  EXPECT_EQ(entries[0].change, k_handover_recorded);
  EXPECT_EQ(entries[0].at, "2026-03-20T09:00:00Z");
  const auto payload = nlohmann::json::parse(entries[0].payload);
  EXPECT_EQ(payload["handover"], *id);
  EXPECT_EQ(payload["person"], "petra");
  EXPECT_EQ(payload["system"], "route-planner");
  EXPECT_EQ(payload["receiver"], "alice");
  EXPECT_EQ(payload["date"], "2026-03-20");
  EXPECT_EQ(payload["doc"], "https://wiki/x");
  EXPECT_EQ(payload["by"], "carol");
}

TEST(KnowledgeStore, ARevokedHandoverStaysOnRecordAndNoLongerCounts) {
  TempDir dir;
  auto db = Database::open(dir / "state.db");
  ASSERT_TRUE(db) << db.error().message;
  KnowledgeStore store(*db);
  knowledge::HandoverRecord second{"grace", "terraform", "bob", "2026-03-21", "", ""};
  auto first = store.record_handover(k_petra, "carol", *parse_rfc3339("2026-03-20T09:00:00Z"));
  ASSERT_TRUE(first);
  ASSERT_TRUE(store.record_handover(second, "root", *parse_rfc3339("2026-03-21T10:30:00Z")));

  const Instant at = *parse_rfc3339("2026-03-22T08:00:00Z");
  auto revoked = store.revoke_handover(*first, "dave", "alice was on leave", at);
  ASSERT_TRUE(revoked) << revoked.error().message;
  EXPECT_EQ(revoked->id, *first);
  EXPECT_EQ(revoked->record.person, "petra");
  EXPECT_EQ(revoked->revoked_at, at);
  EXPECT_EQ(revoked->revoked_by, "dave");
  EXPECT_EQ(revoked->revoked_reason, "alice was on leave");

  // What scans count: only the one that stands.
  auto standing = store.handovers();
  ASSERT_TRUE(standing);
  ASSERT_EQ(standing->size(), 1u);
  EXPECT_EQ((*standing)[0].person, "grace");
  // What is on record: both, the revoked one with who, when and why.
  auto all = store.recorded_handovers();
  ASSERT_TRUE(all) << all.error().message;
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].revoked_at, at);
  EXPECT_EQ((*all)[0].revoked_by, "dave");
  EXPECT_EQ((*all)[0].revoked_reason, "alice was on leave");
  EXPECT_EQ((*all)[0].recorded_by, "carol");
  EXPECT_EQ((*all)[0].recorded_at, *parse_rfc3339("2026-03-20T09:00:00Z"));
  EXPECT_FALSE((*all)[1].revoked_at);

  const auto entries = evidence_of(*db);
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[2].change, k_handover_revoked);
  EXPECT_EQ(entries[2].fingerprint, "handover:" + std::to_string(*first));
  const auto payload = nlohmann::json::parse(entries[2].payload);
  EXPECT_EQ(payload["by"], "dave");
  EXPECT_EQ(payload["reason"], "alice was on leave");
  EXPECT_EQ(payload["recorded_by"], "carol");
  auto verdict = EvidenceLog(*db).verify();
  ASSERT_TRUE(verdict);
  EXPECT_TRUE(verdict->intact()) << verdict->problem;
}

TEST(KnowledgeStore, RevokingAnUnknownOrRevokedHandoverIsInvalid) {
  TempDir dir;
  auto db = Database::open(dir / "state.db");
  ASSERT_TRUE(db) << db.error().message;
  KnowledgeStore store(*db);
  const Instant at = *parse_rfc3339("2026-03-22T08:00:00Z");
  auto unknown = store.revoke_handover(7, "dave", "typo", at);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().kind, ErrorKind::invalid);
  EXPECT_EQ(unknown.error().message, "no recorded handover has the id 7");

  auto id = store.record_handover(k_petra, "carol", at);
  ASSERT_TRUE(id);
  ASSERT_TRUE(store.revoke_handover(*id, "dave", "alice was on leave", at));
  auto again = store.revoke_handover(*id, "erin", "again", at);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, ErrorKind::invalid);
  EXPECT_EQ(again.error().message,
            "handover 1 was revoked already, at 2026-03-22T08:00:00Z by dave: alice was on leave");
  // The first revocation stands as it was.
  auto all = store.recorded_handovers();
  ASSERT_TRUE(all);
  EXPECT_EQ((*all)[0].revoked_by, "dave");
  EXPECT_EQ(evidence_of(*db).size(), 2u);
}

TEST(KnowledgeStore, HandoversRecordedBeforeRevocationExistedStand) {
  TempDir dir;
  const auto path = dir / "state.db";
  {
    // A state database of the schema before revocation, with one handover.
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
    std::string sql;
    for (const auto& migration : schema_migrations())
      if (migration.version <= 5) sql += std::string(migration.sql);
    sql +=
        "INSERT INTO handovers (person, system, receiver, date, doc, recorded_by, recorded_at) "
        "VALUES ('petra', 'route-planner', 'alice', '2026-03-20', '', 'carol', "
        "'2026-03-20T09:00:00Z'); PRAGMA user_version = 5;";
    EXPECT_EQ(sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(raw);
    sqlite3_close(raw);
    ::chmod(path.c_str(), 0600);
  }
  auto db = Database::open(path);
  ASSERT_TRUE(db) << db.error().message;
  EXPECT_EQ(db->schema_version(), newest_schema_version());
  KnowledgeStore store(*db);
  auto all = store.recorded_handovers();
  ASSERT_TRUE(all) << all.error().message;
  ASSERT_EQ(all->size(), 1u);
  EXPECT_FALSE((*all)[0].revoked_at);
  auto standing = store.handovers();
  ASSERT_TRUE(standing);
  EXPECT_EQ(standing->size(), 1u);
}

TEST(ChecklistRows, ReopenMakesADoneAutomaticItemOpenAgain) {
  TempDir dir;
  auto db = Database::open(dir / "state.db");
  ASSERT_TRUE(db) << db.error().message;
  ChecklistRows rows(*db);
  const Instant at = *parse_rfc3339("2026-03-20T09:00:00Z");
  ChecklistItemRow handover{"handover:route-planner",
                            "knowledge",
                            "Hand route-planner over",
                            "{}",
                            std::nullopt,
                            "7 days before the end",
                            true,
                            at,
                            "handed over to alice"};
  ChecklistItemRow manual{"policy:1", "other",      "Collect the laptop",
                          "{}",       std::nullopt, "at the end",
                          false,      at,           "ticked by carol"};
  ASSERT_TRUE(rows.write("petra", {handover, manual}, at));
  auto kept = rows.kept();
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->at("petra"), false);  // all done

  auto reopened = rows.reopen("petra", "handover:route-planner");
  ASSERT_TRUE(reopened) << reopened.error().message;
  EXPECT_TRUE(*reopened);
  kept = rows.kept();
  EXPECT_EQ(kept->at("petra"), true);
  auto items = rows.items("petra");
  ASSERT_TRUE(items);
  EXPECT_FALSE((*items)[0].done_at);
  EXPECT_EQ((*items)[0].done_how, "");
  EXPECT_TRUE((*items)[1].done_at);  // a manual tick is the person's own: left as it is

  // Nothing to reopen: open already, a manual item, another person.
  EXPECT_FALSE(*rows.reopen("petra", "handover:route-planner"));
  EXPECT_FALSE(*rows.reopen("petra", "policy:1"));
  EXPECT_FALSE(*rows.reopen("grace", "handover:route-planner"));
}

}  // namespace
}  // namespace secondsight::store
