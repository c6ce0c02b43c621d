// The tailing conformance suite (see tail_conformance.hpp): real files in a temporary folder,
// rotated, copied, truncated and replaced the way logrotate and auditd do it.
#include "conformance/tail_conformance.hpp"

#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <thread>

#include "secondsight/activity/limits.hpp"
#include "secondsight/store/database.hpp"

namespace secondsight::activity::tail_testing {

namespace fs = std::filesystem;
using std::chrono::seconds;

std::vector<long long> range(long long first, long long last) {
  std::vector<long long> out;
  for (long long n = first; n <= last; ++n) out.push_back(n);
  return out;
}

bool any_note_contains(const std::vector<std::string>& notes, const std::string& part) {
  return std::any_of(notes.begin(), notes.end(),
                     [&](const std::string& note) { return note.find(part) != std::string::npos; });
}

std::string TailConformance::records(long long first, long long last) const {
  std::string text;
  for (long long n = first; n <= last; ++n) text += subject().line_for(n) + "\n";
  return text;
}

std::vector<long long> TailConformance::read_once(std::size_t max_bytes, Instant wall_now) {
  auto read = subject().read(log(), m_position, max_bytes, wall_now);
  EXPECT_TRUE(read) << read.error().message;
  if (!read) return {};
  m_position = read->after;
  m_more = read->more;
  m_skipped += read->skipped;
  m_notes.insert(m_notes.end(), read->notes.begin(), read->notes.end());
  return read->numbers;
}

std::vector<long long> TailConformance::read_all(Instant wall_now) {
  std::vector<long long> all;
  for (int reads = 0; reads < 10000; ++reads) {
    auto numbers = read_once(std::size_t{1} << 20, wall_now);
    all.insert(all.end(), numbers.begin(), numbers.end());
    if (!m_more) return all;
  }
  ADD_FAILURE() << "the source kept saying more";
  return all;
}

namespace {

constexpr std::size_t k_one_record = 1;  // a budget of one byte still reads one record

void append_numbers(std::vector<long long>& to, const std::vector<long long>& numbers) {
  to.insert(to.end(), numbers.begin(), numbers.end());
}

void copy_contents(const fs::path& from, const fs::path& to) {
  std::ifstream in(from, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  append_text(to, content.str());
}

void truncate_file(const fs::path& path) {
  ASSERT_EQ(::truncate(path.c_str(), 0), 0) << path;
}

}  // namespace

TEST_P(TailConformance, MissingFileIsEmptyUntilItAppears) {
  EXPECT_TRUE(read_once(4096).empty());
  EXPECT_FALSE(m_more);
  EXPECT_FALSE(m_position.known);
  EXPECT_TRUE(any_note_contains(m_notes, log().string()));

  append_records(log(), 1, 3);
  EXPECT_EQ(read_all(), range(1, 3));
  EXPECT_TRUE(m_position.known);
  EXPECT_EQ(m_position.offset, fs::file_size(log()));
}

TEST_P(TailConformance, EmptyFileThenAppends) {
  append_text(log(), "");
  EXPECT_TRUE(read_all().empty());
  EXPECT_TRUE(m_position.known);
  EXPECT_EQ(m_position.offset, 0u);

  append_records(log(), 1, 2);
  EXPECT_EQ(read_all(), range(1, 2));
  append_records(log(), 3, 4);
  EXPECT_EQ(read_all(), range(3, 4));
}

TEST_P(TailConformance, RecordSplitAcrossWritesArrivesWholeOnce) {
  std::string fourth = subject().line_for(4);
  append_text(log(), records(1, 3) + fourth.substr(0, fourth.size() / 2));
  EXPECT_EQ(read_all(), range(1, 3));
  EXPECT_TRUE(read_all().empty()) << "half a record is held back";

  append_text(log(), fourth.substr(fourth.size() / 2) + "\n" + records(5, 5));
  EXPECT_EQ(read_all(), range(4, 5));
}

TEST_P(TailConformance, LastRecordWithoutLineEndCountsAfterFiveQuietSeconds) {
  append_text(log(), records(1, 2) + subject().line_for(3));
  EXPECT_EQ(read_all(), range(1, 2));
  EXPECT_TRUE(read_all(modified_at(log()) + seconds(4)).empty());

  m_notes.clear();
  EXPECT_EQ(read_all(modified_at(log()) + seconds(6)), range(3, 3));
  EXPECT_TRUE(any_note_contains(m_notes, log().string()));
  EXPECT_EQ(m_position.offset, fs::file_size(log()));

  // What is written next is a record of its own.
  append_records(log(), 4, 5);
  EXPECT_EQ(read_all(), range(4, 5));
}

TEST_P(TailConformance, ALineOverTheLimitIsCountedOnceAndReadingGoesOnAfterIt) {
  const std::string too_long(k_max_line_bytes + 1, 'x');
  append_text(log(), records(1, 2) + too_long.substr(0, 40000));
  EXPECT_EQ(read_all(modified_at(log()) + seconds(1)), range(1, 2));
  append_text(log(), too_long.substr(40000));  // over the limit now, and still being written
  EXPECT_TRUE(read_all(modified_at(log()) + seconds(1)).empty());
  EXPECT_EQ(m_skipped, 0u) << "a line still being written is not counted yet";

  append_text(log(), "\n" + records(3, 4));
  EXPECT_EQ(read_all(), range(3, 4));
  EXPECT_EQ(m_skipped, 1u);
  EXPECT_TRUE(any_note_contains(m_notes, log().string() +
                                             ": 1 line over the 64 KiB limit of one line "
                                             "skipped, the first at byte " +
                                             std::to_string(records(1, 2).size())));

  // A line at the limit is a line (a CR before its LF is no part of it).
  append_text(log(), std::string(k_max_line_bytes, 'y') + "\r\n" + records(5, 5));
  EXPECT_EQ(read_all(), (std::vector<long long>{-1, 5}));
  EXPECT_EQ(m_skipped, 1u);
  EXPECT_EQ(m_position.offset, fs::file_size(log()));
}

TEST_P(TailConformance, ALastLineOverTheLimitIsSkippedAfterFiveQuietSeconds) {
  append_text(log(), records(1, 1) + std::string(3 * k_max_line_bytes, 'x'));
  EXPECT_EQ(read_all(modified_at(log()) + seconds(4)), range(1, 1));
  EXPECT_EQ(m_skipped, 0u);
  EXPECT_TRUE(read_all(modified_at(log()) + seconds(6)).empty());
  EXPECT_EQ(m_skipped, 1u);
  EXPECT_EQ(m_position.offset, fs::file_size(log()));
  append_records(log(), 2, 2);
  EXPECT_EQ(read_all(), range(2, 2));
  EXPECT_EQ(m_skipped, 1u);
}

TEST_P(TailConformance, RotationByRenameReadsTheOldRestBeforeTheNewFile) {
  append_records(log(), 1, 20);
  std::vector<long long> seen;
  for (int i = 0; i < 10; ++i) append_numbers(seen, read_once(k_one_record));
  ASSERT_EQ(seen, range(1, 10));

  fs::rename(log(), m_dir / "a.log.1");
  append_records(m_dir / "a.log.1", 21, 25);  // a writer that still has the old file open
  append_records(log(), 26, 30);
  m_notes.clear();
  EXPECT_EQ(read_all(), range(11, 30));
  EXPECT_TRUE(any_note_contains(m_notes, "a.log.1"));

  append_records(log(), 31, 33);
  EXPECT_EQ(read_all(), range(31, 33));
}

TEST_P(TailConformance, RotatedFileWithoutFinalLineEndEndsWithThatRecord) {
  append_text(log(), records(1, 2) + subject().line_for(3));
  EXPECT_EQ(read_all(), range(1, 2));
  fs::rename(log(), m_dir / "a.log.1");
  append_records(log(), 4, 4);
  // Rotated away: the writer has moved on, so the last record is complete without 5 seconds.
  EXPECT_EQ(read_all(), range(3, 4));
}

TEST_P(TailConformance, RestartFromAPositionInsideTheRotatedFile) {
  append_records(log(), 1, 20);
  std::vector<long long> seen;
  for (int i = 0; i < 5; ++i) append_numbers(seen, read_once(k_one_record));
  ASSERT_EQ(seen, range(1, 5));

  fs::rename(log(), m_dir / "a.log.1");
  append_records(m_dir / "a.log.1", 21, 22);
  append_records(log(), 23, 25);
  EXPECT_EQ(read_once(k_one_record), range(6, 6));
  EXPECT_EQ(m_position.inode, status_of(m_dir / "a.log.1").st_ino) << "saved inside a.log.1";

  // Rotated once more before the restart: the saved file is found by its inode.
  fs::rename(m_dir / "a.log.1", m_dir / "a.log.2");
  EXPECT_EQ(read_all(), range(7, 25));
}

TEST_P(TailConformance, CopytruncateLosesNothingAndRepeatsNothing) {
  append_records(log(), 1, 20);
  std::vector<long long> seen;
  for (int i = 0; i < 8; ++i) append_numbers(seen, read_once(k_one_record));
  ASSERT_EQ(seen, range(1, 8));

  copy_contents(log(), m_dir / "a.log.1");
  truncate_file(log());
  append_records(log(), 21, 25);
  m_notes.clear();
  EXPECT_EQ(read_all(), range(9, 25));
  EXPECT_TRUE(any_note_contains(m_notes, "a.log.1"));

  append_records(log(), 26, 27);
  EXPECT_EQ(read_all(), range(26, 27));
}

TEST_P(TailConformance, CopytruncateFoundAfterTheFileGrewPastThePosition) {
  append_records(m_dir / "a.log.1", 901, 905);  // an older rotation: other first bytes
  append_records(log(), 1, 5);
  std::vector<long long> seen;
  for (int i = 0; i < 3; ++i) append_numbers(seen, read_once(k_one_record));
  ASSERT_EQ(seen, range(1, 3));

  copy_contents(log(), m_dir / "a.log-20260301");
  truncate_file(log());
  append_records(log(), 21, 60);
  ASSERT_GT(fs::file_size(log()), m_position.offset) << "only the first bytes tell";
  std::vector<long long> expected = {4, 5};
  append_numbers(expected, range(21, 60));
  EXPECT_EQ(read_all(), expected);
}

TEST_P(TailConformance, FileRewrittenInPlaceIsReadAgainFromTheStart) {
  append_records(log(), 1, 10);
  EXPECT_EQ(read_all(), range(1, 10));

  // Same inode, other content, at least as long: only the fingerprint tells.
  std::string replacement = records(101, 115);
  ASSERT_GE(replacement.size(), fs::file_size(log()));
  int fd = ::open(log().c_str(), O_WRONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::pwrite(fd, replacement.data(), replacement.size(), 0),
            static_cast<ssize_t>(replacement.size()));
  ::close(fd);
  m_notes.clear();
  EXPECT_EQ(read_all(), range(101, 115));
  EXPECT_TRUE(any_note_contains(m_notes, log().string()));
}

TEST_P(TailConformance, FileReplacedByAnotherIsReadFromTheStart) {
  append_records(log(), 1, 10);
  EXPECT_EQ(read_all(), range(1, 10));

  append_records(m_dir / "new.tmp", 201, 205);
  fs::rename(m_dir / "new.tmp", log());
  m_notes.clear();
  EXPECT_EQ(read_all(), range(201, 205));
  EXPECT_TRUE(any_note_contains(m_notes, log().string()));
}

TEST_P(TailConformance, FileShrunkWithoutACopyIsReadAgain) {
  append_records(log(), 1, 10);
  EXPECT_EQ(read_all(), range(1, 10));

  truncate_file(log());
  append_records(log(), 301, 302);
  ASSERT_LT(fs::file_size(log()), m_position.offset);
  m_notes.clear();
  EXPECT_EQ(read_all(), range(301, 302));
  EXPECT_TRUE(any_note_contains(m_notes, log().string()));
}

// A crash at any moment loses and repeats nothing, when the caller saves the position in the
// same transaction as the batch's effects. A child process tails and counts every record in
// `seen` (a primary key: counting one twice fails the child); the parent writes the log over
// time, rotates it by rename and by copytruncate, and kills the child with SIGKILL at random
// moments, restarting it from the saved position each time.
namespace {

constexpr long long k_crash_records = 20000;
constexpr int k_crash_kills = 40;
constexpr long long k_rotate_after = 7000;
constexpr long long k_copytruncate_after = 14000;

enum ChildExit : int {
  k_child_done = 0,
  k_child_store_failed = 70,
  k_child_read_failed = 71,
  k_child_bad_record = 72,
  k_child_counted_twice = 73,
  k_child_too_slow = 74,
};

// The child's exit code says what failed; its message goes to the test's output.
int child_failed(int code, const Error& error) {
  std::fprintf(stderr, "tail child: %s\n", error.message.c_str());
  return code;
}

int crash_child(const TailSubject& subject, const fs::path& log, const fs::path& db_path,
                bool until_end) {
  auto db = store::Database::open(db_path);
  if (!db) return child_failed(k_child_store_failed, db.error());
  TailPosition position;
  {
    auto load = db->prepare(
        "SELECT device, inode, fingerprint, fingerprint_length, offset FROM tail_position");
    if (!load) return child_failed(k_child_store_failed, load.error());
    auto row = load->step();
    if (!row) return child_failed(k_child_store_failed, row.error());
    if (*row) {
      position.device = static_cast<std::uint64_t>(load->column_int(0));
      position.inode = static_cast<std::uint64_t>(load->column_int(1));
      position.fingerprint = load->column_text(2);
      position.fingerprint_length = static_cast<std::uint64_t>(load->column_int(3));
      position.offset = static_cast<std::uint64_t>(load->column_int(4));
      position.known = true;
    }
  }
  auto insert = db->prepare("INSERT INTO seen(n) VALUES (?1)");
  auto save = db->prepare(
      "INSERT OR REPLACE INTO tail_position(id, device, inode, fingerprint, fingerprint_length, "
      "offset) VALUES (1, ?1, ?2, ?3, ?4, ?5)");
  if (!insert) return child_failed(k_child_store_failed, insert.error());
  if (!save) return child_failed(k_child_store_failed, save.error());

  // Only against a child that hangs: generous for a sanitizer build on a loaded machine.
  auto deadline = std::chrono::steady_clock::now() + seconds(600);
  for (;;) {
    // Small batches: many transactions, so the kills land between and inside them.
    auto read = subject.read(log, position, 512, system_now());
    if (!read) return child_failed(k_child_read_failed, read.error());
    auto transaction = store::Transaction::begin(*db);
    if (!transaction) return child_failed(k_child_store_failed, transaction.error());
    for (long long n : read->numbers) {
      if (n < 1 || n > k_crash_records) return k_child_bad_record;
      auto inserted = insert->bind(1, static_cast<std::int64_t>(n)).run();
      insert->reset();
      if (!inserted) return child_failed(k_child_counted_twice, inserted.error());
    }
    if (read->after.known) {
      const TailPosition& after = read->after;
      auto saved = save->bind(1, static_cast<std::int64_t>(after.device))
                       .bind(2, static_cast<std::int64_t>(after.inode))
                       .bind(3, after.fingerprint)
                       .bind(4, static_cast<std::int64_t>(after.fingerprint_length))
                       .bind(5, static_cast<std::int64_t>(after.offset))
                       .run();
      save->reset();
      if (!saved) return child_failed(k_child_store_failed, saved.error());
    }
    if (auto committed = transaction->commit(); !committed)
      return child_failed(k_child_store_failed, committed.error());
    position = read->after;

    if (read->numbers.empty() && !read->more) {
      if (until_end) return k_child_done;
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    if (std::chrono::steady_clock::now() > deadline) return k_child_too_slow;
  }
}

std::string describe(int status) {
  if (WIFEXITED(status)) return "exited with code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "status " + std::to_string(status);
}

struct SeenFigures {
  std::int64_t count = -1;
  std::int64_t first = -1;
  std::int64_t last = -1;
  bool position_saved = false;
};

// Opened and closed per query: no SQLite connection may be open across fork().
SeenFigures seen_figures(const fs::path& db_path) {
  SeenFigures figures;
  auto db = store::Database::open(db_path);
  EXPECT_TRUE(db) << db.error().message;
  if (!db) return figures;
  auto query = db->prepare(
      "SELECT count(*), coalesce(min(n), 0), coalesce(max(n), 0), "
      "(SELECT count(*) FROM tail_position) FROM seen");
  EXPECT_TRUE(query) << query.error().message;
  if (!query) return figures;
  auto row = query->step();
  EXPECT_TRUE(row && *row);
  if (!row || !*row) return figures;
  figures.count = query->column_int(0);
  figures.first = query->column_int(1);
  figures.last = query->column_int(2);
  figures.position_saved = query->column_int(3) > 0;
  return figures;
}

}  // namespace

TEST_P(TailConformance, EveryRecordCountedOnceAcrossSigkills) {
  const fs::path db_path = m_dir / "state.db";
  {
    auto db = store::Database::open(db_path);
    ASSERT_TRUE(db) << db.error().message;
    auto created = db->exec(
        "CREATE TABLE seen(n INTEGER PRIMARY KEY);"
        "CREATE TABLE tail_position(id INTEGER PRIMARY KEY CHECK (id = 1), device INTEGER NOT "
        "NULL, inode INTEGER NOT NULL, fingerprint TEXT NOT NULL, fingerprint_length INTEGER NOT "
        "NULL, offset INTEGER NOT NULL)");
    ASSERT_TRUE(created) << created.error().message;
  }

  // SECONDSIGHT_TEST_SEED replays a run whose seed a failure printed.
  const char* given_seed = std::getenv("SECONDSIGHT_TEST_SEED");
  const unsigned seed = given_seed ? static_cast<unsigned>(std::strtoul(given_seed, nullptr, 10))
                                   : std::random_device{}();
  SCOPED_TRACE("random seed " + std::to_string(seed) +
               " (replay: SECONDSIGHT_TEST_SEED=" + std::to_string(seed) + ")");
  std::mt19937 random(seed);
  auto uniform = [&](int low, int high) {
    return std::uniform_int_distribution<>(low, high)(random);
  };

  auto start_child = [&](bool until_end) {
    pid_t pid = ::fork();
    if (pid == 0) ::_exit(crash_child(subject(), log(), db_path, until_end));
    return pid;
  };

  int writer = ::open(log().c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  ASSERT_GE(writer, 0);
  long long next = 1;
  // Some records reach the file in two writes, so the child also meets half records.
  auto write_records = [&](long long count) {
    std::string text = records(next, next + count - 1);
    auto split = static_cast<std::size_t>(uniform(0, static_cast<int>(text.size())));
    for (std::string_view part :
         {std::string_view(text).substr(0, split), std::string_view(text).substr(split)}) {
      if (part.empty()) continue;
      ASSERT_EQ(::write(writer, part.data(), part.size()), static_cast<ssize_t>(part.size()));
    }
    next += count;
  };

  // Polls the child's database until `reached` holds; fails when the child exits or stalls.
  auto wait_for_child = [&](pid_t child, const char* what, auto reached) {
    auto deadline = std::chrono::steady_clock::now() + seconds(600);
    while (!reached(seen_figures(db_path))) {
      int status = 0;
      ASSERT_EQ(::waitpid(child, &status, WNOHANG), 0) << "child " << describe(status);
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "child made no progress " << what;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  };

  bool rotated = false;
  bool copied = false;
  long long first_in_new_file = 0;
  const long long per_round = k_crash_records / k_crash_kills;
  for (int round = 0; round < k_crash_kills; ++round) {
    pid_t child = start_child(false);
    ASSERT_GT(child, 0);
    if (round == 0) {
      // A tailer without a saved position starts at the start of the file at the path, so
      // a rotation before the first save would rightly skip the rotated file. On a loaded
      // machine the first children may be killed before they save anything: the first one
      // saves its position before anything is written.
      wait_for_child(child, "to save its first position",
                     [](const SeenFigures& seen) { return seen.position_saved; });
      if (HasFatalFailure()) return;
    }
    const long long round_end = next + per_round;
    const auto kill_at =
        std::chrono::steady_clock::now() + std::chrono::microseconds(uniform(0, 20000));
    while (next < round_end) {
      if (!rotated && next > k_rotate_after) {
        // auditd / logrotate `create`: rename, the old writer finishes, a new file appears.
        ASSERT_EQ(::rename(log().c_str(), (m_dir / "a.log.1").c_str()), 0);
        write_records(3);
        ::close(writer);
        writer = ::open(log().c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        ASSERT_GE(writer, 0);
        first_in_new_file = next;
        rotated = true;
      }
      if (!copied && next > k_copytruncate_after) {
        // A reader still in the renamed file when the new one is copied and truncated would
        // jump to the truncated file: two rotations between reads lose lines (a documented
        // limit). Let the child reach the new file first.
        wait_for_child(child, "to reach the new file",
                       [&](const SeenFigures& seen) { return seen.count >= first_in_new_file; });
        if (HasFatalFailure()) return;
        copy_contents(log(), m_dir / "a.log-20260301");
        ASSERT_EQ(::ftruncate(writer, 0), 0);
        copied = true;
      }
      write_records(std::min<long long>(uniform(1, 50), round_end - next));
      // The round's records are spread over its time, so the child is chasing the writer
      // (mid-batch, mid-transaction) rather than idle when the kill comes.
      auto writes_left = (round_end - next) / 25 + 1;
      std::this_thread::sleep_for((kill_at - std::chrono::steady_clock::now()) / writes_left);
    }
    std::this_thread::sleep_until(kill_at);
    ASSERT_EQ(::kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "round " << round << ": child " << describe(status);
  }
  ::close(writer);
  ASSERT_EQ(next, k_crash_records + 1);
  ASSERT_TRUE(rotated && copied);

  pid_t child = start_child(true);
  ASSERT_GT(child, 0);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == k_child_done)
      << "last child " << describe(status);

  SeenFigures figures = seen_figures(db_path);
  EXPECT_EQ(figures.count, k_crash_records);
  EXPECT_EQ(figures.first, 1);
  EXPECT_EQ(figures.last, k_crash_records);
}

}  // namespace secondsight::activity::tail_testing
