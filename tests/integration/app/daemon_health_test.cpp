// The real daemon tells the truth about its sources: a log that vanishes, stops being a regular
// file or becomes unreadable, and a directory export that goes away, show as degraded in
// /healthz and per source in /metrics within a safety-scan interval; nothing stored is lost
// meanwhile, and health recovers by itself when the fault ends.
#include <gmock/gmock.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>

#include "fixtures/daemon_process.hpp"
#include "fixtures/scenario.hpp"

namespace secondsight::testing {
namespace {

using ::testing::HasSubstr;

constexpr const char* k_token = "health-token-1234";

class DaemonHealth : public ::testing::Test {
 protected:
  void SetUp() override {
    m_sample = copy_sample();
    m_port = free_loopback_port();
    std::string config = read_file(m_sample / "config.yaml");
    const std::string uri = "  uri: ldif:directory.ldif\n";
    config.replace(config.find(uri), uri.size(), uri + "  poll_interval: 1s\n");
    config += "daemon: { safety_interval: 1s }\n";
    config += "api: { listen: \"127.0.0.1:" + std::to_string(m_port) + "\", token_file: token }\n";
    write_file(m_sample / "config.yaml", config);
    write_file(m_sample / "token", std::string(k_token) + "\n");
    ::chmod((m_sample / "token").c_str(), 0600);
  }
  void TearDown() override { fs::remove_all(m_sample); }

  nlohmann::json health() {
    auto json = nlohmann::json::parse(http_get(m_port, "/healthz", k_token).body, nullptr, false);
    return json.is_discarded() ? nlohmann::json::object() : json;
  }
  // Waits for /healthz to list a problem containing `text`, or none when `text` is empty, and
  // says how long that took (from a fault's start or end: how soon health told the truth).
  bool health_shows(const std::string& text) {
    const auto start = std::chrono::steady_clock::now();
    const bool shown = DaemonProcess::eventually(
        [&] {
          const auto now = health();
          if (text.empty()) return now["status"] == "ok";
          return now["status"] == "degraded" &&
                 now["problems"].dump().find(text) != std::string::npos;
        },
        std::chrono::seconds(120));
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    std::fprintf(stderr, "[ health ] %s after %lld ms\n",
                 text.empty() ? "ok" : ("'" + text + "'").c_str(),
                 static_cast<long long>(waited.count()));
    return shown;
  }
  std::string metrics() { return http_get(m_port, "/metrics", k_token).body; }
  std::set<std::string> findings() {
    std::set<std::string> out;
    auto json =
        nlohmann::json::parse(http_get(m_port, "/api/v1/findings", k_token).body, nullptr, false);
    if (json.is_discarded()) return out;
    for (const auto& f : json["findings"]) out.insert(f["fingerprint"].get<std::string>());
    return out;
  }

  fs::path m_sample;
  unsigned short m_port = 0;
};

TEST_F(DaemonHealth, AVanishedOrBrokenSourceIsDegradedUntilItIsBack) {
  DaemonProcess daemon(SECONDSIGHT_BINARY, m_sample / "config.yaml", m_sample, "2026-06-01");
  ASSERT_TRUE(daemon.wait_for_notification("READY=1")) << read_file(daemon.log_path());
  ASSERT_TRUE(health_shows("")) << health().dump();
  const auto before = findings();
  ASSERT_EQ(before.size(), 12u);
  const fs::path log = m_sample / "logs" / "auth.log";
  const std::string content = read_file(log);
  const std::string up = "secondsight_source_up{source=\"logs/auth.log\"} ";

  const auto scans = [&] { return scans_done(m_port, k_token); };

  // Deleted.
  fs::remove(log);
  EXPECT_TRUE(health_shows("log source logs/auth.log: " + log.string() + " does not exist"))
      << health().dump();
  EXPECT_THAT(metrics(), HasSubstr(up + "0\n"));
  EXPECT_EQ(findings(), before);  // the findings that need the log stay as they were
  // Logged when it began, not at every scan while it lasts.
  const long failing_since = scans();
  EXPECT_TRUE(DaemonProcess::eventually([&] { return scans() >= failing_since + 3; }));
  const std::string gone = "log source logs/auth.log: " + log.string() + " does not exist";
  const std::string logged = read_file(daemon.log_path());
  EXPECT_NE(logged.find(gone), std::string::npos) << logged;
  EXPECT_EQ(logged.find(gone), logged.rfind(gone)) << logged;
  write_file(log, content);
  EXPECT_TRUE(health_shows("")) << health().dump() << read_file(daemon.log_path());
  EXPECT_THAT(metrics(), HasSubstr(up + "1\n"));
  EXPECT_THAT(read_file(daemon.log_path()), HasSubstr("log source logs/auth.log is read again"));

  // No regular file any more.
  fs::remove(log);
  fs::create_directory(log);
  EXPECT_TRUE(health_shows("is not a regular file")) << health().dump();
  EXPECT_EQ(findings(), before);
  fs::remove(log);
  write_file(log, content);
  EXPECT_TRUE(health_shows("")) << health().dump();

  // Unreadable: without read permission, or (root reads any file) a path that cannot be
  // opened at all, a link to itself.
  if (::geteuid() != 0) {
    fs::permissions(log, fs::perms::none);
    EXPECT_TRUE(health_shows("cannot open")) << health().dump();
    fs::permissions(log, fs::perms::owner_read | fs::perms::owner_write);
    EXPECT_TRUE(health_shows("")) << health().dump();
  }
  fs::rename(log, m_sample / "auth.log.kept");
  fs::create_symlink(log.filename(), log);
  EXPECT_TRUE(health_shows("cannot open")) << health().dump();
  EXPECT_EQ(findings(), before);
  fs::remove(log);
  fs::rename(m_sample / "auth.log.kept", log);
  EXPECT_TRUE(health_shows("")) << health().dump();

  // Truncated in place: read again from its start, nothing to complain about, nothing new.
  fs::resize_file(log, 0);
  const long truncated_at = scans();
  EXPECT_TRUE(DaemonProcess::eventually([&] { return scans() >= truncated_at + 2; }));
  EXPECT_EQ(health()["status"], "ok") << health().dump();
  EXPECT_EQ(findings(), before);
  write_file(log, content);

  // The directory export gone: scans go on with the last good snapshot, and say so.
  const fs::path ldif = m_sample / "directory.ldif";
  fs::rename(ldif, m_sample / "directory.ldif.away");
  EXPECT_TRUE(health_shows("directory: ")) << health().dump();
  EXPECT_THAT(metrics(), HasSubstr("secondsight_directory_up 0\n"));
  EXPECT_EQ(findings(), before);
  fs::rename(m_sample / "directory.ldif.away", ldif);
  EXPECT_TRUE(health_shows("")) << health().dump();
  EXPECT_EQ(findings(), before);

  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_exit(), 0) << read_file(daemon.log_path());
}

TEST_F(DaemonHealth, AFullDiskFailsScansLosesNothingAndRecovers) {
  DaemonProcess daemon(SECONDSIGHT_BINARY, m_sample / "config.yaml", m_sample, "2026-06-01");
  ASSERT_TRUE(daemon.wait_for_notification("READY=1")) << read_file(daemon.log_path());
  ASSERT_TRUE(health_shows("")) << health().dump();
  const auto before = findings();
  ASSERT_EQ(before.size(), 12u);

  // No file of the daemon may grow any more (as on a full disk); then gerrit uses SCADA, in
  // more lines than the state's files have room for.
  const rlimit full{0, RLIM_INFINITY};
  ASSERT_EQ(::prlimit(daemon.pid(), RLIMIT_FSIZE, &full, nullptr), 0) << std::strerror(errno);
  // A full disk fails only the writes that need room, and the database's write-ahead log keeps
  // its size once grown: the daemon's next writes may fit in it. Another connection, which the
  // limit does not bind, empties it, so that every write the daemon makes needs room.
  const fs::path answer = m_sample / "checkpoint.out";
  const std::string checkpoint = "sqlite3 '" + (m_sample / "state" / "secondsight.db").string() +
                                 "' 'PRAGMA wal_checkpoint(TRUNCATE);' >'" + answer.string() +
                                 "' 2>&1";
  ASSERT_TRUE(DaemonProcess::eventually([&] {
    return shell(checkpoint) == 0 && read_file(answer) == "0|0|0\n";
  })) << read_file(answer);
  {
    std::ofstream log(m_sample / "logs" / "auth.log", std::ios::app);
    for (int i = 0; i < 5000; ++i)
      log << "May 31 10:" << (10 + i / 600) << ":" << (10 + i % 50) << " scada-2 sshd[" << 7000 + i
          << "]: Accepted publickey for gerrit from 10.20.0.9 port " << 50000 + i << " ssh2\n";
  }
  EXPECT_TRUE(health_shows("log source logs/auth.log: state database: "))
      << health().dump() << read_file(daemon.log_path());
  EXPECT_TRUE(daemon.running());
  EXPECT_EQ(findings(), before);  // nothing stored is lost, nothing half written shows

  // Room again: the lines are read (none was lost), and gerrit's access is used.
  const rlimit room{RLIM_INFINITY, RLIM_INFINITY};
  ASSERT_EQ(::prlimit(daemon.pid(), RLIMIT_FSIZE, &room, nullptr), 0) << std::strerror(errno);
  EXPECT_TRUE(health_shows("")) << health().dump() << read_file(daemon.log_path());
  EXPECT_TRUE(DaemonProcess::eventually([&] { return findings().size() == 11u; }));
  // Counted once: what could not be stored was read again, not counted twice.
  EXPECT_THAT(metrics(), HasSubstr("secondsight_events_ingested_total{source=\"logs/auth.log\","
                                   "format=\"sshd\"} 5007\n"));
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_exit(), 0) << read_file(daemon.log_path());
}

}  // namespace
}  // namespace secondsight::testing
