// A clock behind the state (a machine that boots before its clock is synced, a mistyped
// --now): the scan changes nothing, says so in one sentence and exits 5; the daemon shows it in
// health until its clock has passed the latest scan, then scans again by itself. Replaying the
// past is asked for with --replay.
#include <gmock/gmock.h>

#include "fixtures/daemon_process.hpp"
#include "fixtures/scenario.hpp"

namespace secondsight::testing {
namespace {

using ::testing::HasSubstr;

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

class Clock : public ::testing::Test {
 protected:
  void SetUp() override { m_sample = copy_sample(); }
  void TearDown() override { fs::remove_all(m_sample); }

  Outcome secondsight(const std::string& arguments) {
    const fs::path out = m_sample / "out";
    const fs::path err = m_sample / "err";
    const int code = shell(std::string("'") + SECONDSIGHT_BINARY + "' " + arguments +
                           " --config '" + (m_sample / "config.yaml").string() + "' >'" +
                           out.string() + "' 2>'" + err.string() + "'");
    return {code, read_file(out), read_file(err)};
  }

  std::set<FindingKey> open_findings() {
    std::istringstream lines(secondsight("findings list --format jsonl").out);
    return finding_keys(lines);
  }

  fs::path m_sample;
};

TEST_F(Clock, AScanBehindItsStateChangesNothingAndSaysSo) {
  const auto first = secondsight("scan --now 2026-06-01 --format jsonl");
  ASSERT_EQ(first.code, 0) << first.err;
  const auto before = open_findings();
  ASSERT_EQ(before.size(), 12u);
  ASSERT_EQ(before.count({"unused_access", "gerrit", "scada", "medium"}), 1u);

  // gerrit uses SCADA: a line the scan behind must not read (it would take its year from a
  // wrong clock) and the next right one must.
  std::ofstream(m_sample / "logs" / "auth.log", std::ios::app)
      << "May 31 10:00:00 scada-2 sshd[7000]: Accepted publickey for gerrit from 10.20.0.9 port "
         "50000 ssh2\n";
  const std::string history = secondsight("findings history --all --format jsonl").out;

  const auto behind = secondsight("scan --now 2026-05-01 --format jsonl");
  EXPECT_EQ(behind.code, 5);
  EXPECT_EQ(behind.err,
            "secondsight: the clock (2026-04-30T22:00:00Z) is behind the latest scan of this "
            "state (2026-05-31T22:00:00Z), so nothing was read, opened or resolved; set the clock "
            "right, or pass --replay to scan the past on purpose\n");
  std::istringstream reported(behind.out);
  EXPECT_EQ(finding_keys(reported), before);  // what is stored, as it is
  EXPECT_EQ(open_findings(), before);
  EXPECT_EQ(secondsight("findings history --all --format jsonl").out, history);
  // A checklist that ticks runs a scan: the same. One that only shows changes nothing at all.
  EXPECT_EQ(secondsight("checklist dirk --now 2026-05-01 --done policy:1").code, 5);
  EXPECT_EQ(secondsight("checklist dirk --now 2026-05-01").code, 0);
  EXPECT_EQ(secondsight("findings history --all --format jsonl").out, history);

  // The clock right again: the line is read, and gerrit's access is used.
  const auto after = secondsight("scan --now 2026-06-01T01:00:00Z --format jsonl");
  EXPECT_EQ(after.code, 0) << after.err;
  EXPECT_EQ(open_findings().count({"unused_access", "gerrit", "scada", "medium"}), 0u);

  // The past, replayed on purpose.
  const auto replay = secondsight("scan --now 2026-05-01 --replay --format jsonl");
  EXPECT_EQ(replay.code, 0) << replay.err;
  EXPECT_NE(open_findings(), before);
}

TEST_F(Clock, ADaemonBehindItsStateIsDegradedUntilItsClockHasPassed) {
  ASSERT_EQ(secondsight("scan --now 2026-06-01T00:00:00Z").code, 0);  // the state's latest scan
  const auto before = open_findings();
  std::ofstream(m_sample / "config.yaml", std::ios::app) << "daemon: { safety_interval: 1s }\n";

  // 20 seconds behind the state: the first scans change nothing, and the log says why once.
  DaemonProcess daemon(SECONDSIGHT_BINARY, m_sample / "config.yaml", m_sample,
                       "2026-05-31T23:59:40Z");
  ASSERT_TRUE(daemon.wait_for_notification("READY=1")) << read_file(daemon.log_path());
  EXPECT_TRUE(daemon.wait_for_notification("degraded: clock: the clock ("))
      << read_file(daemon.log_path());
  EXPECT_EQ(open_findings(), before);
  // Once its clock has passed the state's, it scans again by itself.
  EXPECT_TRUE(DaemonProcess::eventually(
      [&] {
        return read_file(daemon.log_path())
                   .find("the clock has passed the latest scan of the state") != std::string::npos;
      },
      std::chrono::seconds(120)))
      << read_file(daemon.log_path());
  const std::string log = read_file(daemon.log_path());
  const std::string behind = "is behind the latest scan of this state (2026-06-01T00:00:00Z)";
  EXPECT_EQ(log.find(behind), log.rfind(behind)) << log;  // once, not every scan
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_exit(), 0) << read_file(daemon.log_path());
}

}  // namespace
}  // namespace secondsight::testing
