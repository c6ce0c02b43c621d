#include "secondsight/store/migrations.hpp"

#include <gtest/gtest.h>

#include "temp_dir.hpp"

namespace secondsight::store {
namespace {

using testing::TempDir;

bool table_exists(Database& db, const std::string& name) {
  auto stmt = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1");
  EXPECT_TRUE(stmt);
  stmt->bind(1, name);
  auto row = stmt->step();
  return row && *row;
}

TEST(Migrations, AreNumberedFromOneWithoutGaps) {
  int expected = 1;
  for (const auto& migration : schema_migrations()) {
    EXPECT_EQ(migration.version, expected++);
    EXPECT_FALSE(migration.name.empty());
  }
  EXPECT_EQ(newest_schema_version(), expected - 1);
  EXPECT_GE(newest_schema_version(), 1);
}

TEST(Migrations, OpenCreatesTheFindingsTables) {
  TempDir dir;
  auto db = Database::open(dir / "secondsight.db");
  ASSERT_TRUE(db) << db.error().message;
  EXPECT_TRUE(table_exists(*db, "findings"));
  EXPECT_TRUE(table_exists(*db, "finding_events"));
  // The status check holds.
  auto bad = db->exec(
      "INSERT INTO findings (fingerprint, kind, severity, summary, evidence, status, "
      "first_seen, last_seen) VALUES ('fp', 'k', 'high', 's', '{}', 'maybe', 't', 't')");
  EXPECT_FALSE(bad);
}

TEST(Migrations, AppliesOnlyThoseNotYetApplied) {
  TempDir dir;
  auto db = Database::open(dir / "secondsight.db");
  ASSERT_TRUE(db);
  std::vector<Migration> more(schema_migrations().begin(), schema_migrations().end());
  const int next = newest_schema_version() + 1;
  more.push_back({next, "extra", "CREATE TABLE extra (id INTEGER PRIMARY KEY)"});
  ASSERT_TRUE(migrate(*db, more));
  EXPECT_EQ(db->schema_version(), next);
  EXPECT_TRUE(table_exists(*db, "extra"));
  // Running them again changes nothing (CREATE TABLE extra would fail if it ran twice).
  auto again = migrate(*db, more);
  EXPECT_TRUE(again) << again.error().message;
}

TEST(Migrations, AFailingMigrationLeavesNothingBehind) {
  TempDir dir;
  auto db = Database::open(dir / "secondsight.db");
  ASSERT_TRUE(db);
  std::vector<Migration> more(schema_migrations().begin(), schema_migrations().end());
  const int next = newest_schema_version() + 1;
  more.push_back({next, "broken",
                  "CREATE TABLE half (id INTEGER PRIMARY KEY); CREATE TABLE half (id INTEGER)"});
  auto migrated = migrate(*db, more);
  ASSERT_FALSE(migrated);
  EXPECT_EQ(migrated.error().message.rfind(
                "cannot migrate state database " + (dir / "secondsight.db").string() +
                    " to schema version " + std::to_string(next) + " (broken): ",
                0),
            0u)
      << migrated.error().message;
  EXPECT_NE(migrated.error().message.find("table half already exists"), std::string::npos);
  EXPECT_EQ(db->schema_version(), newest_schema_version());
  EXPECT_FALSE(table_exists(*db, "half"));
}

TEST(Migrations, RefusesMigrationsOutOfSequence) {
  TempDir dir;
  auto db = Database::open(dir / "secondsight.db");
  ASSERT_TRUE(db);
  std::vector<Migration> gap(schema_migrations().begin(), schema_migrations().end());
  gap.push_back({newest_schema_version() + 2, "gap", "SELECT 1"});
  EXPECT_FALSE(migrate(*db, gap));
  EXPECT_EQ(db->schema_version(), newest_schema_version());
}

}  // namespace
}  // namespace secondsight::store
