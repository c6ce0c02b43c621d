#include "secondsight/store/database.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

#include "secondsight/store/migrations.hpp"
#include "temp_dir.hpp"

namespace secondsight::store {
namespace {

using testing::mode_of;
using testing::TempDir;

// A umask that would leave the files readable by others, so the modes are ours, not its.
class DatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override { m_old_umask = ::umask(022); }
  void TearDown() override { ::umask(m_old_umask); }
  TempDir m_dir;
  mode_t m_old_umask = 0;
};

std::string query_text(Database& db, const std::string& sql) {
  auto stmt = db.prepare(sql);
  EXPECT_TRUE(stmt) << stmt.error().message;
  if (!stmt) return {};
  auto row = stmt->step();
  EXPECT_TRUE(row && *row);
  if (!row || !*row) return {};
  return stmt->column_text(0);
}

std::int64_t count_rows(Database& db, const std::string& table) {
  auto stmt = db.prepare("SELECT count(*) FROM " + table);
  EXPECT_TRUE(stmt);
  if (!stmt) return -1;
  auto row = stmt->step();
  EXPECT_TRUE(row && *row);
  return stmt->column_int(0);
}

TEST_F(DatabaseTest, OpenCreatesFile0600AndMissingFolders0700) {
  auto path = m_dir / "state" / "deeper" / "secondsight.db";
  auto db = Database::open(path);
  ASSERT_TRUE(db) << db.error().message;
  EXPECT_EQ(mode_of(path), 0600u);
  EXPECT_EQ(mode_of(m_dir / "state"), 0700u);
  EXPECT_EQ(mode_of(m_dir / "state" / "deeper"), 0700u);
  EXPECT_EQ(db->path(), path);
}

TEST_F(DatabaseTest, OpenRestrictsAFolderOthersMayRead) {
  auto folder = m_dir / "shared";
  ASSERT_EQ(::mkdir(folder.c_str(), 0755), 0);
  auto db = Database::open(folder / "secondsight.db");
  ASSERT_TRUE(db) << db.error().message;
  EXPECT_EQ(mode_of(folder), 0700u);
}

TEST_F(DatabaseTest, OpenRefusesAFolderOthersMayWrite) {
  auto folder = m_dir / "shared";
  ASSERT_EQ(::mkdir(folder.c_str(), 0700), 0);
  ASSERT_EQ(::chmod(folder.c_str(), 0777), 0);
  auto db = Database::open(folder / "secondsight.db");
  ASSERT_FALSE(db);
  EXPECT_NE(db.error().message.find("chmod 0700 " + folder.string()), std::string::npos)
      << db.error().message;
  EXPECT_FALSE(std::filesystem::exists(folder / "secondsight.db"));
}

TEST_F(DatabaseTest, UnderUmaskZeroTheFileIs0600) {
  ::umask(0);
  auto path = m_dir / "state" / "secondsight.db";
  auto db = Database::open(path);
  ASSERT_TRUE(db) << db.error().message;
  ASSERT_TRUE(db->exec("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('x')"));
  EXPECT_EQ(mode_of(path), 0600u);
  EXPECT_EQ(mode_of(m_dir / "state"), 0700u);
  auto wal = path;
  wal += "-wal";
  EXPECT_EQ(mode_of(wal), 0600u);
}

// A link where the database or its write-ahead log should be is not followed: where it leads
// is neither created nor written.
TEST_F(DatabaseTest, ALinkAtTheDatabaseOrItsLogIsRefused) {
  auto outside = m_dir / "outside.db";
  auto path = m_dir / "state" / "secondsight.db";
  ASSERT_EQ(::mkdir((m_dir / "state").c_str(), 0700), 0);
  std::filesystem::create_symlink(outside, path);
  auto db = Database::open(path);
  ASSERT_FALSE(db);
  EXPECT_NE(db.error().message.find(path.string() + " is a symbolic link"), std::string::npos)
      << db.error().message;
  EXPECT_FALSE(std::filesystem::exists(outside));

  std::filesystem::remove(path);
  auto wal = path;
  wal += "-wal";
  std::filesystem::create_symlink(outside, wal);
  auto again = Database::open(path);
  EXPECT_FALSE(again);
  EXPECT_FALSE(std::filesystem::exists(outside));
}

// The administrator's path may pass through links (systemd's StateDirectory= with
// DynamicUser= is one): those are followed.
TEST_F(DatabaseTest, AStateFolderReachedThroughALinkOpens) {
  ASSERT_EQ(::mkdir((m_dir / "private").c_str(), 0700), 0);
  ASSERT_EQ(::mkdir((m_dir / "private" / "state").c_str(), 0700), 0);
  std::filesystem::create_symlink(m_dir / "private" / "state", m_dir / "state");
  auto path = m_dir / "state" / "secondsight.db";
  auto db = Database::open(path);
  ASSERT_TRUE(db) << db.error().message;
  ASSERT_TRUE(db->exec("CREATE TABLE notes (text TEXT)"));
  EXPECT_EQ(db->path(), path);
  EXPECT_TRUE(std::filesystem::exists(m_dir / "private" / "state" / "secondsight.db"));
}

TEST_F(DatabaseTest, OpenTightensADatabaseOthersCanRead) {
  auto path = m_dir / "secondsight.db";
  { ASSERT_TRUE(Database::open(path)); }
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  auto db = Database::open(path);
  ASSERT_TRUE(db) << db.error().message;
  EXPECT_EQ(mode_of(path), 0600u);
}

TEST_F(DatabaseTest, WalAndForeignKeysAreOn) {
  auto db = Database::open(m_dir / "secondsight.db");
  ASSERT_TRUE(db) << db.error().message;
  EXPECT_EQ(query_text(*db, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(query_text(*db, "PRAGMA foreign_keys"), "1");
  EXPECT_EQ(query_text(*db, "PRAGMA synchronous"), "1");  // NORMAL
  EXPECT_EQ(query_text(*db, "PRAGMA busy_timeout"), "5000");
}

TEST_F(DatabaseTest, MigratesToTheNewestVersionAndReopensIdempotently) {
  auto path = m_dir / "secondsight.db";
  {
    auto db = Database::open(path);
    ASSERT_TRUE(db) << db.error().message;
    EXPECT_EQ(db->schema_version(), newest_schema_version());
    EXPECT_EQ(count_rows(*db, "findings"), 0);
    EXPECT_EQ(count_rows(*db, "finding_events"), 0);
    ASSERT_TRUE(
        db->exec("INSERT INTO findings (fingerprint, kind, severity, summary, evidence, status, "
                 "first_seen, last_seen) VALUES ('fp', 'k', 'high', 's', '{}', 'open', 't', 't')"));
  }
  auto again = Database::open(path);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->schema_version(), newest_schema_version());
  EXPECT_EQ(count_rows(*again, "findings"), 1);
}

TEST_F(DatabaseTest, RefusesANewerSchema) {
  auto path = m_dir / "secondsight.db";
  {
    auto db = Database::open(path);
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->exec("PRAGMA user_version = 99"));
  }
  auto db = Database::open(path);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().message, "state database " + path.string() +
                                    " has schema version 99, newer than this secondsight (" +
                                    std::to_string(newest_schema_version()) +
                                    "); upgrade secondsight");
}

TEST_F(DatabaseTest, RefusesAFileThatIsNotADatabase) {
  auto path = m_dir / "secondsight.db";
  {
    std::ofstream out(path);
    for (int i = 0; i < 200; ++i) out << "this is a text file, not an SQLite database\n";
  }
  auto db = Database::open(path);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().message,
            "cannot open state database " + path.string() + ": file is not a database");
}

TEST_F(DatabaseTest, ReportsAFolderThatCannotBeCreated) {
  auto blocker = m_dir / "file";
  { std::ofstream out(blocker); }
  auto path = blocker / "secondsight.db";
  auto db = Database::open(path);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().message.rfind("cannot open state database " + path.string() + ": ", 0), 0u)
      << db.error().message;
}

TEST_F(DatabaseTest, DataSurvivesCloseAndReopen) {
  auto path = m_dir / "secondsight.db";
  {
    auto db = Database::open(path);
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)"));
    auto insert = db->prepare("INSERT INTO notes (text) VALUES (?1)");
    ASSERT_TRUE(insert);
    for (const char* text : {"one", "two"}) {
      insert->bind(1, text);
      ASSERT_TRUE(insert->run());
      insert->reset();
    }
  }
  auto db = Database::open(path);
  ASSERT_TRUE(db);
  EXPECT_EQ(query_text(*db, "SELECT group_concat(text, ',') FROM notes ORDER BY id"), "one,two");
}

class StatementTest : public DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    auto db = Database::open(m_dir / "secondsight.db");
    ASSERT_TRUE(db) << db.error().message;
    m_db.emplace(std::move(*db));
    ASSERT_TRUE(m_db->exec("CREATE TABLE t (a TEXT, b INTEGER)"));
  }
  std::optional<Database> m_db;
};

TEST_F(StatementTest, BindsAndReadsEveryType) {
  auto insert = m_db->prepare("INSERT INTO t (a, b) VALUES (?1, ?2)");
  ASSERT_TRUE(insert);
  std::string owned = "owned";
  ASSERT_TRUE(insert->bind(1, owned).bind(2, std::int64_t{1}).run());
  insert->reset();
  ASSERT_TRUE(insert->bind(1, std::string_view("view")).bind(2, std::nullopt).run());
  insert->reset();
  ASSERT_TRUE(
      insert->bind(1, std::optional<std::string>()).bind(2, std::optional<std::int64_t>(3)).run());
  insert->reset();
  {
    // TRANSIENT: the text is copied, the buffer may go before step().
    std::string temporary(100, 'x');
    insert->bind(1, temporary);
    temporary.assign(100, 'y');
  }
  ASSERT_TRUE(insert->bind(2, std::int64_t{-9'000'000'000}).run());

  auto select = m_db->prepare("SELECT a, b FROM t ORDER BY rowid");
  ASSERT_TRUE(select);
  auto row = select->step();
  ASSERT_TRUE(row && *row);
  EXPECT_EQ(select->column_text(0), "owned");
  EXPECT_EQ(select->column_int(1), 1);
  row = select->step();
  ASSERT_TRUE(row && *row);
  EXPECT_EQ(select->column_optional_text(0), std::optional<std::string>("view"));
  EXPECT_TRUE(select->column_is_null(1));
  row = select->step();
  ASSERT_TRUE(row && *row);
  EXPECT_EQ(select->column_optional_text(0), std::nullopt);
  EXPECT_EQ(select->column_text(0), "");
  EXPECT_EQ(select->column_int(1), 3);
  row = select->step();
  ASSERT_TRUE(row && *row);
  EXPECT_EQ(select->column_text(0), std::string(100, 'x'));
  EXPECT_EQ(select->column_int(1), -9'000'000'000);
  row = select->step();
  ASSERT_TRUE(row);
  EXPECT_FALSE(*row);
}

TEST_F(StatementTest, ResetClearsBindings) {
  auto insert = m_db->prepare("INSERT INTO t (a, b) VALUES (?1, ?2)");
  ASSERT_TRUE(insert);
  ASSERT_TRUE(insert->bind(1, "first").bind(2, std::int64_t{1}).run());
  insert->reset();
  ASSERT_TRUE(insert->run());
  EXPECT_EQ(query_text(*m_db, "SELECT count(*) FROM t WHERE a IS NULL AND b IS NULL"), "1");
}

TEST_F(StatementTest, StepErrorsNameTheStatement) {
  ASSERT_TRUE(m_db->exec("CREATE TABLE u (a TEXT NOT NULL)"));
  auto insert = m_db->prepare("INSERT INTO u (a) VALUES (?1)");
  ASSERT_TRUE(insert);
  insert->bind(1, std::nullopt);
  auto done = insert->run();
  ASSERT_FALSE(done);
  EXPECT_NE(done.error().message.find("NOT NULL constraint failed: u.a"), std::string::npos)
      << done.error().message;
  EXPECT_NE(done.error().message.find("INSERT INTO u (a) VALUES (?1)"), std::string::npos)
      << done.error().message;
}

TEST_F(StatementTest, LongSqlIsCutTo60Characters) {
  std::string sql =
      "SELECT nothing_here FROM t WHERE a = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'";
  auto stmt = m_db->prepare(sql);
  ASSERT_FALSE(stmt);
  EXPECT_NE(stmt.error().message.find("no such column: nothing_here"), std::string::npos);
  EXPECT_NE(stmt.error().message.find("(in \"" + sql.substr(0, 60) + "...\")"), std::string::npos)
      << stmt.error().message;
}

TEST_F(StatementTest, BindErrorsAreReportedByStep) {
  auto insert = m_db->prepare("INSERT INTO t (a) VALUES (?1)");
  ASSERT_TRUE(insert);
  insert->bind(1, "ok").bind(7, "out of range");
  auto done = insert->run();
  ASSERT_FALSE(done);
  EXPECT_NE(done.error().message.find("cannot bind parameter 7"), std::string::npos)
      << done.error().message;
  EXPECT_EQ(query_text(*m_db, "SELECT count(*) FROM t"), "0");
}

TEST_F(StatementTest, PrepareRefusesMoreThanOneStatement) {
  auto stmt = m_db->prepare("DELETE FROM t; DROP TABLE t");
  ASSERT_FALSE(stmt);
  EXPECT_NE(stmt.error().message.find("one statement"), std::string::npos);
  EXPECT_TRUE(m_db->prepare("DELETE FROM t;  "));
}

TEST_F(StatementTest, MovedStatementStillWorks) {
  auto insert = m_db->prepare("INSERT INTO t (a) VALUES (?1)");
  ASSERT_TRUE(insert);
  Statement moved = std::move(*insert);
  ASSERT_TRUE(moved.bind(1, "moved").run());
  EXPECT_FALSE(insert->step());  // the moved-from statement reports, does not crash
  EXPECT_EQ(query_text(*m_db, "SELECT a FROM t"), "moved");
}

TEST_F(StatementTest, TransactionRollsBackWhenDestroyed) {
  {
    auto transaction = Transaction::begin(*m_db);
    ASSERT_TRUE(transaction) << transaction.error().message;
    ASSERT_TRUE(m_db->exec("INSERT INTO t (a) VALUES ('lost')"));
    EXPECT_EQ(query_text(*m_db, "SELECT count(*) FROM t"), "1");
  }
  EXPECT_EQ(query_text(*m_db, "SELECT count(*) FROM t"), "0");
}

TEST_F(StatementTest, TransactionCommits) {
  {
    auto transaction = Transaction::begin(*m_db);
    ASSERT_TRUE(transaction);
    ASSERT_TRUE(m_db->exec("INSERT INTO t (a) VALUES ('kept')"));
    ASSERT_TRUE(transaction->commit());
    EXPECT_FALSE(transaction->commit());  // finished
  }
  EXPECT_EQ(query_text(*m_db, "SELECT count(*) FROM t"), "1");
}

TEST_F(StatementTest, CommitErrorsAreReportedAndRolledBack) {
  // A deferred foreign key is only checked at COMMIT, which then fails.
  {
    auto transaction = Transaction::begin(*m_db);
    ASSERT_TRUE(transaction);
    ASSERT_TRUE(m_db->exec("PRAGMA defer_foreign_keys = ON"));
    ASSERT_TRUE(
        m_db->exec("INSERT INTO finding_events (fingerprint, at, change, severity) "
                   "VALUES ('no such finding', 't', 'opened', 'high')"));
    auto committed = transaction->commit();
    ASSERT_FALSE(committed);
    EXPECT_NE(committed.error().message.find("FOREIGN KEY constraint failed"), std::string::npos)
        << committed.error().message;
  }
  EXPECT_EQ(query_text(*m_db, "SELECT count(*) FROM finding_events"), "0");
  // The connection is usable again: no transaction was left open.
  auto transaction = Transaction::begin(*m_db);
  EXPECT_TRUE(transaction) << transaction.error().message;
}

TEST_F(StatementTest, OneWriterAtATime) {
  auto other = Database::open(m_db->path());
  ASSERT_TRUE(other) << other.error().message;
  ASSERT_TRUE(other->exec("PRAGMA busy_timeout = 0"));
  auto transaction = Transaction::begin(*m_db);
  ASSERT_TRUE(transaction);
  auto second = Transaction::begin(*other);
  ASSERT_FALSE(second);
  EXPECT_NE(second.error().message.find("database is locked"), std::string::npos)
      << second.error().message;
}

// Another process that opens the database, reads and closes: the last connection, as far as
// the locks it sees tell it, checkpoints and removes the write-ahead log. Its count of `t`.
std::int64_t count_in_another_process(const std::filesystem::path& db) {
  const auto out = db.parent_path() / "count.txt";
  const std::string script = "import sqlite3; c = sqlite3.connect('" + db.string() +
                             "'); n = c.execute('SELECT count(*) FROM t').fetchone()[0]; "
                             "c.close(); open('" +
                             out.string() + "', 'w').write(str(n))";
  EXPECT_EQ(std::system(("/usr/bin/python3 -c \"" + script + "\"").c_str()), 0);
  std::ifstream in(out);
  std::int64_t n = -1;
  in >> n;
  return n;
}

// A second connection of the same process (the daemon keeps one per thread) must not drop the
// first one's locks: closing any descriptor of a file drops every POSIX lock the process holds
// on it, and then another process, taking itself for the last reader, removes the write-ahead
// log the first connection goes on writing to, and what it writes from then on is lost.
TEST_F(DatabaseTest, ASecondConnectionKeepsTheFirstOnesLocksSoNothingItWritesIsLost) {
  const auto path = m_dir.path() / "state.db";
  auto first = Database::open(path);
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_TRUE(first->exec("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)"));
  auto second = Database::open(path);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(count_in_another_process(path), 1);
  ASSERT_TRUE(first->exec("INSERT INTO t VALUES (2)"));
  EXPECT_EQ(count_in_another_process(path), 2);
  EXPECT_EQ(count_rows(*second, "t"), 2);
}

}  // namespace
}  // namespace secondsight::store
