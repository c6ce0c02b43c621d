// JournalReader against real journal files, written by systemd-journal-remote from Journal
// Export Format text the tests compose (no journald needed).
#include <grp.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "fixtures/journal_export.hpp"
#include "fixtures/temp_dir.hpp"
#include "secondsight/activity/journal.hpp"
#include "secondsight/activity/limits.hpp"

namespace secondsight::activity {
namespace {

namespace fs = std::filesystem;

using testing::k_journal_remote;
using testing::put_journal_field;
constexpr const char* k_boot = "0123456789abcdef0123456789abcdef";
constexpr const char* k_other_boot = "fedcba9876543210fedcba9876543210";
// 2026-03-16T12:00:00Z
constexpr std::uint64_t k_base_seconds = 1773662400;

struct ExportEntry {
  std::uint64_t seconds = 0;  // after k_base_seconds
  std::uint64_t extra_usec = 0;
  std::string host = "pay-1";
  std::string unit = "ssh.service";
  std::optional<std::string> message;
  std::string comm;        // _COMM, journald's own record of the process; "" for none
  std::string identifier;  // SYSLOG_IDENTIFIER; "" for what the unit implies
  std::string boot = k_boot;
  std::uint64_t monotonic_usec = 0;  // 0: derived from `seconds`
};

ExportEntry login(std::uint64_t seconds, std::string user, std::string host = "pay-1") {
  ExportEntry entry;
  entry.seconds = seconds;
  entry.host = std::move(host);
  entry.message =
      "Accepted publickey for " + user + " from 10.1.4.66 port 57028 ssh2: ED25519 SHA256:x";
  return entry;
}

ExportEntry from_unit(std::uint64_t seconds, std::string unit, std::string message) {
  ExportEntry entry;
  entry.seconds = seconds;
  entry.unit = std::move(unit);
  entry.message = std::move(message);
  return entry;
}

std::string export_text(const std::vector<ExportEntry>& entries) {
  std::string out;
  for (const auto& entry : entries) {
    const std::uint64_t realtime = (k_base_seconds + entry.seconds) * 1'000'000 + entry.extra_usec;
    const std::uint64_t monotonic =
        entry.monotonic_usec != 0 ? entry.monotonic_usec : 1'000'000 + entry.seconds * 1'000'000;
    put_journal_field(out, "__REALTIME_TIMESTAMP", std::to_string(realtime));
    put_journal_field(out, "__MONOTONIC_TIMESTAMP", std::to_string(monotonic));
    put_journal_field(out, "_BOOT_ID", entry.boot);
    put_journal_field(out, "_HOSTNAME", entry.host);
    put_journal_field(out, "_SYSTEMD_UNIT", entry.unit);
    put_journal_field(out, "SYSLOG_IDENTIFIER",
                      !entry.identifier.empty()     ? entry.identifier
                      : entry.unit == "ssh.service" ? "sshd"
                                                    : "other");
    if (!entry.comm.empty()) put_journal_field(out, "_COMM", entry.comm);
    if (entry.message) put_journal_field(out, "MESSAGE", *entry.message);
    out += "\n";
  }
  return out;
}

class JournalReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(::access(k_journal_remote, X_OK), 0)
        << k_journal_remote << " is missing: apt-get install systemd-journal-remote";
    m_dir = secondsight::testing::make_temp_dir("secondsight-journal");
  }
  void TearDown() override {
    std::error_code ec;
    if (!m_dir.empty()) fs::remove_all(m_dir, ec);
  }

  // Writes (or appends to) DIR/journal/NAME; the name must end in .journal.
  fs::path write_journal(const std::vector<ExportEntry>& entries,
                         const std::string& name = "test.journal") {
    const fs::path output = journal_dir() / name;
    const std::string failed = testing::write_journal_file(export_text(entries), output, m_dir);
    EXPECT_EQ(failed, "");
    return output;
  }

  fs::path journal_dir() const { return m_dir / "journal"; }

  std::unique_ptr<JournalReader> open_ok(const fs::path& path,
                                         const std::vector<std::string>& matches = {}) {
    auto reader = JournalReader::open(path, matches);
    EXPECT_TRUE(reader) << reader.error().message;
    return reader ? std::move(*reader) : nullptr;
  }

  static std::vector<JournalEntry> batch(JournalReader& reader, const std::string& cursor,
                                         std::size_t max = 100) {
    auto entries = reader.next_batch(cursor, max);
    EXPECT_TRUE(entries) << entries.error().message;
    return entries ? std::move(*entries) : std::vector<JournalEntry>{};
  }

  static std::vector<std::string> messages(const std::vector<JournalEntry>& entries) {
    std::vector<std::string> out;
    for (const auto& entry : entries) out.push_back(entry.message);
    return out;
  }

  static Instant at(std::uint64_t seconds) {
    return Instant(std::chrono::seconds(static_cast<std::int64_t>(k_base_seconds + seconds)));
  }

  fs::path m_dir;
};

TEST_F(JournalReaderTest, ReadsEntriesInOrderWithTimeHostAndMessage) {
  const auto file = write_journal(
      {login(0, "frank"), login(5, "grace", "pay-2"), from_unit(9, "cron.service", "job ran")});
  auto reader = open_ok(file);
  ASSERT_NE(reader, nullptr);
  const auto entries = batch(*reader, "");
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].time, at(0));
  EXPECT_EQ(entries[0].hostname, "pay-1");
  EXPECT_EQ(entries[0].message,
            "Accepted publickey for frank from 10.1.4.66 port 57028 ssh2: ED25519 SHA256:x");
  EXPECT_EQ(entries[1].time, at(5));
  EXPECT_EQ(entries[1].hostname, "pay-2");
  EXPECT_EQ(entries[2].time, at(9));
  EXPECT_EQ(entries[2].message, "job ran");
  for (const auto& entry : entries) EXPECT_FALSE(entry.cursor.empty());
  EXPECT_NE(entries[0].cursor, entries[1].cursor);
}

// _COMM is journald's own record of who logged an entry; SYSLOG_IDENTIFIER is what the client
// says (`logger -t sshd`), taken only when there is no _COMM.
TEST_F(JournalReaderTest, TheProgramIsJournaldsOwnRecordOfItBeforeWhatTheClientClaims) {
  ExportEntry forged = login(1, "frank");
  forged.unit = "session-4.scope";
  forged.identifier = "sshd";
  forged.comm = "logger";
  ExportEntry real = login(2, "grace");
  real.comm = "sshd-session";
  const auto file = write_journal({login(0, "frank"), forged, real});
  auto reader = open_ok(file);
  ASSERT_NE(reader, nullptr);
  const auto entries = batch(*reader, "");
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].program, "sshd");  // no _COMM: the identifier
  EXPECT_EQ(entries[1].program, "logger");
  EXPECT_EQ(entries[2].program, "sshd-session");
  EXPECT_TRUE(journal_event(entries[0]));
  EXPECT_FALSE(journal_event(entries[1]));
  EXPECT_TRUE(journal_event(entries[2]));
}

TEST_F(JournalReaderTest, SubsecondTimestampsAreTruncatedToSeconds) {
  ExportEntry late = login(0, "frank");
  late.extra_usec = 999'999;  // 12:00:00.999999 is still second 0
  auto reader = open_ok(write_journal({late}));
  ASSERT_NE(reader, nullptr);
  const auto entries = batch(*reader, "");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].time, at(0));
}

TEST_F(JournalReaderTest, OpensADirectoryOfJournalFiles) {
  write_journal({login(0, "frank"), login(2, "grace")}, "a.journal");
  write_journal({login(1, "heidi", "pay-3")}, "b.journal");
  auto reader = open_ok(journal_dir());
  ASSERT_NE(reader, nullptr);
  const auto entries = batch(*reader, "");
  ASSERT_EQ(entries.size(), 3u);
  // Files are interleaved by time (same boot: by monotonic clock).
  EXPECT_EQ(entries[0].time, at(0));
  EXPECT_EQ(entries[1].time, at(1));
  EXPECT_EQ(entries[1].hostname, "pay-3");
  EXPECT_EQ(entries[2].time, at(2));
}

TEST_F(JournalReaderTest, MatchKeepsOnlyThatUnit) {
  const auto file = write_journal({login(0, "frank"), from_unit(1, "cron.service", "job ran"),
                                   login(2, "grace"), from_unit(3, "nginx.service", "GET /")});
  auto reader = open_ok(file, {"_SYSTEMD_UNIT=ssh.service"});
  ASSERT_NE(reader, nullptr);
  const auto entries = batch(*reader, "");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].time, at(0));
  EXPECT_EQ(entries[1].time, at(2));
}

TEST_F(JournalReaderTest, TwoValuesOfOneFieldMatchEitherAndOtherFieldsMustAllMatch) {
  const auto file =
      write_journal({login(0, "frank"), from_unit(1, "cron.service", "job ran"),
                     from_unit(2, "nginx.service", "GET /"), login(3, "grace", "pay-2")});
  auto either = open_ok(file, {"_SYSTEMD_UNIT=ssh.service", "_SYSTEMD_UNIT=cron.service"});
  ASSERT_NE(either, nullptr);
  const auto both = batch(*either, "");
  ASSERT_EQ(both.size(), 3u);
  EXPECT_EQ(both[0].time, at(0));
  EXPECT_EQ(both[1].message, "job ran");
  EXPECT_EQ(both[2].time, at(3));

  auto narrowed = open_ok(file, {"_SYSTEMD_UNIT=ssh.service", "_HOSTNAME=pay-2"});
  ASSERT_NE(narrowed, nullptr);
  const auto one = batch(*narrowed, "");
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].hostname, "pay-2");
}

TEST_F(JournalReaderTest, ContinuesFromACursorWithoutDuplicatesOrLoss) {
  std::vector<ExportEntry> written;
  for (std::uint64_t i = 0; i < 8; ++i) written.push_back(login(i, "user" + std::to_string(i)));
  const auto file = write_journal(written);
  auto reader = open_ok(file);
  ASSERT_NE(reader, nullptr);

  const auto first = batch(*reader, "", 3);
  ASSERT_EQ(first.size(), 3u);
  const auto rest = batch(*reader, first.back().cursor);
  ASSERT_EQ(rest.size(), 5u);
  EXPECT_EQ(rest.front().time, at(3));
  EXPECT_EQ(rest.back().time, at(7));

  // The same in small steps, from a new reader as after a restart.
  auto again = open_ok(file);
  ASSERT_NE(again, nullptr);
  std::vector<Instant> seen;
  std::string cursor;
  for (int round = 0; round < 10; ++round) {
    const auto entries = batch(*again, cursor, 3);
    if (entries.empty()) break;
    EXPECT_LE(entries.size(), 3u);
    for (const auto& entry : entries) seen.push_back(entry.time);
    cursor = entries.back().cursor;
  }
  std::vector<Instant> expected;
  for (std::uint64_t i = 0; i < 8; ++i) expected.push_back(at(i));
  EXPECT_EQ(seen, expected);
}

TEST_F(JournalReaderTest, ACursorAtTheLastEntryReturnsNothing) {
  const auto file = write_journal({login(0, "frank"), login(1, "grace")});
  auto reader = open_ok(file);
  ASSERT_NE(reader, nullptr);
  const auto entries = batch(*reader, "");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_TRUE(batch(*reader, entries.back().cursor).empty());
  EXPECT_TRUE(batch(*reader, entries.back().cursor).empty());
}

TEST_F(JournalReaderTest, AtMostMaxEntriesPerBatch) {
  const auto file = write_journal({login(0, "a"), login(1, "b"), login(2, "c")});
  auto reader = open_ok(file);
  ASSERT_NE(reader, nullptr);
  EXPECT_TRUE(batch(*reader, "", 0).empty());
  EXPECT_EQ(batch(*reader, "", 2).size(), 2u);
}

TEST_F(JournalReaderTest, SeesEntriesAndFilesAddedAfterOpening) {
  write_journal({login(0, "frank")});
  auto reader = open_ok(journal_dir());
  ASSERT_NE(reader, nullptr);
  const auto first = batch(*reader, "");
  ASSERT_EQ(first.size(), 1u);

  write_journal({login(1, "grace")});                     // appended to the same file
  write_journal({login(2, "heidi")}, "rotated.journal");  // a new file, as after rotation
  const auto more = batch(*reader, first.back().cursor);
  ASSERT_EQ(more.size(), 2u);
  EXPECT_EQ(more[0].time, at(1));
  EXPECT_EQ(more[1].time, at(2));
}

TEST_F(JournalReaderTest, AVacuumedCursorContinuesAfterItsTime) {
  write_journal({login(0, "a"), login(1, "b"), login(2, "c")}, "old.journal");
  write_journal({login(3, "d"), login(4, "e")}, "new.journal");
  std::string cursor;
  {
    auto reader = open_ok(journal_dir());
    ASSERT_NE(reader, nullptr);
    const auto entries = batch(*reader, "", 2);
    ASSERT_EQ(entries.size(), 2u);
    cursor = entries.back().cursor;  // at second 1, in old.journal
  }
  fs::remove(journal_dir() / "old.journal");

  auto reader = open_ok(journal_dir());
  ASSERT_NE(reader, nullptr);
  const auto entries = batch(*reader, cursor);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].time, at(3));
  EXPECT_EQ(entries[1].time, at(4));
}

TEST_F(JournalReaderTest, AfterAVacuumedCursorNothingAtOrBeforeItsTimeIsReturned) {
  // The cursor's entry: second 10 of the boot. Its file is vacuumed; what is left is a later
  // part of the same boot in which the wall clock was stepped back: sd-journal orders that
  // after the cursor (by the monotonic clock), the reader holds back what is not later than
  // the cursor's time so nothing read before comes back.
  write_journal({login(10, "a")}, "old.journal");
  ExportEntry stepped_back = login(5, "b");
  stepped_back.monotonic_usec = 1'000'000 + 20'000'000;
  ExportEntry at_cursor_time = login(10, "c");
  at_cursor_time.monotonic_usec = 1'000'000 + 21'000'000;
  ExportEntry later = login(30, "d");
  later.monotonic_usec = 1'000'000 + 30'000'000;
  write_journal({stepped_back, at_cursor_time, later}, "new.journal");
  std::string cursor;
  {
    auto reader = open_ok(journal_dir() / "old.journal");
    ASSERT_NE(reader, nullptr);
    const auto entries = batch(*reader, "");
    ASSERT_EQ(entries.size(), 1u);
    cursor = entries.back().cursor;
  }
  fs::remove(journal_dir() / "old.journal");

  auto reader = open_ok(journal_dir());
  ASSERT_NE(reader, nullptr);
  const auto entries = batch(*reader, cursor);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].time, at(30));
  // The recovered position is a real cursor again: nothing after it.
  EXPECT_TRUE(batch(*reader, entries[0].cursor).empty());
}

TEST_F(JournalReaderTest, ACursorOfAnotherBootContinuesByTime) {
  write_journal({login(0, "a"), login(1, "b")}, "old.journal");
  std::string cursor;
  {
    auto reader = open_ok(journal_dir() / "old.journal");
    ASSERT_NE(reader, nullptr);
    const auto entries = batch(*reader, "");
    ASSERT_EQ(entries.size(), 2u);
    cursor = entries[0].cursor;
  }
  fs::remove(journal_dir() / "old.journal");
  ExportEntry next_boot = login(60, "c");
  next_boot.boot = k_other_boot;
  write_journal({next_boot}, "new.journal");
  auto reader = open_ok(journal_dir());
  ASSERT_NE(reader, nullptr);
  const auto entries = batch(*reader, cursor);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].time, at(60));
}

TEST_F(JournalReaderTest, EntryWithoutMessageHasAnEmptyMessageAndBytesAreKeptAsTheyAre) {
  ExportEntry silent = login(0, "x");
  silent.message.reset();
  ExportEntry binary = login(1, "x");
  binary.message = std::string("line one\nline \xff\xfe two\x01", 20);
  const auto file = write_journal({silent, binary});
  auto reader = open_ok(file);
  ASSERT_NE(reader, nullptr);
  const auto entries = batch(*reader, "");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].message, "");
  EXPECT_EQ(entries[0].hostname, "pay-1");
  EXPECT_EQ(entries[1].message, *binary.message);
}

TEST_F(JournalReaderTest, AFieldOverTheLimitMarksItsEntryTooLongAndReadingGoesOn) {
  const std::string login_text =
      "Accepted publickey for frank from 10.1.4.66 port 57028 ssh2: ED25519 SHA256:x ";
  ExportEntry at_limit = login(0, "frank");
  at_limit.message = login_text + std::string(k_max_line_bytes - login_text.size(), 'a');
  ExportEntry over = login(1, "grace");
  over.message = login_text + std::string(k_max_line_bytes, 'b');
  ExportEntry long_host = login(2, "heidi", std::string(k_max_line_bytes + 1, 'h'));
  const auto file = write_journal({at_limit, over, long_host, login(3, "ivan")});
  auto reader = open_ok(file);
  ASSERT_NE(reader, nullptr);
  const auto entries = batch(*reader, "");
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_FALSE(entries[0].too_long);
  EXPECT_TRUE(entries[0].message == *at_limit.message)
      << "a value at the limit comes whole, not " << entries[0].message.size() << " bytes";
  for (std::size_t i : {1u, 2u}) {
    EXPECT_TRUE(entries[i].too_long) << i;
    EXPECT_TRUE(entries[i].message.empty()) << i << ": " << entries[i].message.size() << " bytes";
    EXPECT_TRUE(entries[i].hostname.empty()) << i << ": " << entries[i].hostname.size() << " bytes";
    EXPECT_EQ(entries[i].time, at(i));
    EXPECT_FALSE(entries[i].cursor.empty());
  }
  EXPECT_FALSE(entries[3].too_long);
  EXPECT_EQ(entries[3].hostname, "pay-1");
}

TEST_F(JournalReaderTest, AMissingPathIsAnErrorNamingIt) {
  for (const fs::path& path : {m_dir / "nowhere", m_dir / "nowhere.journal"}) {
    auto reader = JournalReader::open(path, {});
    ASSERT_FALSE(reader);
    EXPECT_EQ(reader.error().message,
              "cannot open the journal at " + path.string() + ": No such file or directory");
  }
}

// What JournalReader::open says to a user who may not read `path`. Run as root, the open
// happens in a child that has become nobody, since root reads everything.
std::string open_error_unprivileged(const fs::path& path) {
  if (::geteuid() != 0) {
    auto reader = JournalReader::open(path, {});
    return reader ? std::string() : reader.error().message;
  }
  int fds[2];
  if (::pipe(fds) != 0) return "pipe failed";
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0) _exit(2);
    auto reader = JournalReader::open(path, {});
    const std::string message = reader ? std::string() : reader.error().message;
    const bool written =
        ::write(fds[1], message.data(), message.size()) == static_cast<ssize_t>(message.size());
    _exit(written ? 0 : 3);
  }
  ::close(fds[1]);
  std::string message;
  char buffer[512];
  for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;) {
    message.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
  return message;
}

TEST_F(JournalReaderTest, AnUnreadableJournalSaysWhichGroupToJoin) {
  const auto file = write_journal({login(0, "frank")});
  fs::permissions(m_dir, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                             fs::perms::others_read | fs::perms::others_exec);
  fs::permissions(file, fs::perms::none);
  const std::string hint = " \u2014 add the service user to the systemd-journal group";
  EXPECT_EQ(open_error_unprivileged(file),
            "cannot open the journal at " + file.string() + ": Permission denied" + hint);
  // sd-journal would open the folder and silently leave the file out.
  EXPECT_EQ(open_error_unprivileged(journal_dir()),
            "cannot open the journal at " + journal_dir().string() + ": " + file.string() +
                " is not readable (Permission denied)" + hint);
}

TEST_F(JournalReaderTest, AFileThatIsNoJournalIsAnError) {
  const fs::path path = m_dir / "notes.txt";
  std::ofstream(path) << "not a journal\n";
  auto reader = JournalReader::open(path, {});
  ASSERT_FALSE(reader);
  EXPECT_NE(reader.error().message.find("cannot open the journal at " + path.string() + ": "),
            std::string::npos)
      << reader.error().message;
}

TEST_F(JournalReaderTest, ABadMatchIsAnErrorNamingIt) {
  const auto file = write_journal({login(0, "frank")});
  for (const std::string match :
       {"ssh.service", "_systemd_unit=ssh.service", "1UNIT=x", "=x", "UNIT-X=y", ""}) {
    auto reader = JournalReader::open(file, {"_HOSTNAME=pay-1", match});
    ASSERT_FALSE(reader) << match;
    EXPECT_EQ(reader.error().message.rfind("journal match \"" + match + "\" is not FIELD=value", 0),
              0u)
        << reader.error().message;
  }
  // An empty value is a valid match (entries whose field is empty).
  EXPECT_TRUE(JournalReader::open(file, {"MESSAGE="}));
}

TEST_F(JournalReaderTest, AnUnknownCursorShapeIsAnError) {
  const auto file = write_journal({login(0, "frank")});
  auto reader = open_ok(file);
  ASSERT_NE(reader, nullptr);
  auto entries = reader->next_batch("not a cursor", 10);
  ASSERT_FALSE(entries);
  EXPECT_NE(entries.error().message.find("\"not a cursor\""), std::string::npos)
      << entries.error().message;
}

TEST(JournalFields, ValuesAreTheBytesAfterTheFieldsName) {
  EXPECT_EQ(journal_field_value("MESSAGE=Accepted x", "MESSAGE"), "Accepted x");
  EXPECT_EQ(journal_field_value(std::string_view("MESSAGE=a\0\xff", 11), "MESSAGE"),
            std::string_view("a\0\xff", 3));
  EXPECT_EQ(journal_field_value("MESSAGE=", "MESSAGE"), "");
  for (const char* other : {"MESSAGE_ID=1", "MESSAG", "_HOSTNAME=pay-1", ""})
    EXPECT_EQ(journal_field_value(other, "MESSAGE"), "") << other;
}

TEST(JournalFields, ACursorsTimeIsItsHexTPart) {
  EXPECT_EQ(journal_cursor_realtime("s=ab;i=1;b=cd;m=ef;t=5f1e2d3c4b5a6;x=12"), 0x5f1e2d3c4b5a6u);
  for (const char* none : {"", "t=", "s=1;i=2", "t=12G4", "t=10000000000000000", "x=1;t=-1"})
    EXPECT_EQ(journal_cursor_realtime(none), std::nullopt) << none;
}

TEST(JournalFields, AnSshdLoginInTheMessageIsAnEventOnTheEntrysHost) {
  JournalEntry entry;
  entry.time = journal_time(1'773'662'400'999'999);
  entry.message = "Accepted publickey for frank from 10.0.0.1 port 22 ssh2: ED25519 SHA256:x";
  entry.hostname = "pay-1";
  entry.program = "sshd";
  const auto event = journal_event(entry);
  ASSERT_TRUE(event);
  EXPECT_EQ(event->time, Instant{std::chrono::seconds{1'773'662'400}});
  EXPECT_EQ(event->user, "frank");
  EXPECT_EQ(event->host, "pay-1");
  EXPECT_EQ(event->action, "login");
  entry.program = "sshd-session";  // OpenSSH 9.8 and later
  EXPECT_TRUE(journal_event(entry));
  entry.message = "Failed password for frank from 10.0.0.1 port 22 ssh2";
  EXPECT_FALSE(journal_event(entry));
}

// Anyone may write to the journal (`logger -t sshd …`): only sshd's own entries are logins.
TEST(JournalFields, ALoginMessageFromAnotherProgramIsNoEvent) {
  JournalEntry entry;
  entry.message = "Accepted password for frank from 10.0.0.1 port 22 ssh2";
  entry.hostname = "pay-1";
  for (const char* program : {"logger", "", "sshd2", "bash"}) {
    entry.program = program;
    EXPECT_FALSE(journal_event(entry)) << program;
  }
}

}  // namespace
}  // namespace secondsight::activity
