#include "secondsight/store/knowledge_store.hpp"

#include <gtest/gtest.h>

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
  ASSERT_TRUE(store.record_handover(second, "root", *parse_rfc3339("2026-03-21T10:30:00Z")));
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

}  // namespace
}  // namespace secondsight::store
