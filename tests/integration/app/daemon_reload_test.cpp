// The real daemon on the bundled sample company under reloads: every setting of the config is
// applied by SIGHUP (the API's token and address, intervals, sources and their watches), what
// only a restart can change is refused and shown, and one daemon holds a state folder.
#include <gmock/gmock.h>
#include <sys/stat.h>

#include <boost/asio/ip/tcp.hpp>
#include <regex>

#include "fixtures/daemon_process.hpp"
#include "fixtures/scenario.hpp"

namespace secondsight::testing {
namespace {

using ::testing::HasSubstr;

std::string with_api(const std::string& config, unsigned short port) {
  return config + "api: { listen: \"127.0.0.1:" + std::to_string(port) +
         "\", token_file: api-token }\n";
}

class DaemonReload : public ::testing::Test {
 protected:
  void SetUp() override {
    m_sample = copy_sample();
    m_config = read_file(m_sample / "config.yaml");
    // No safety scans: what a test sees after a log grows comes from following the log.
    m_config += "daemon: { safety_interval: 1d }\n";
    m_port = free_loopback_port();
    write_token("first-token-1234");
    write_file(m_sample / "config.yaml", with_api(m_config, m_port));
  }
  void TearDown() override { fs::remove_all(m_sample); }

  void write_token(const std::string& token) {
    write_file(m_sample / "api-token", token + "\n");
    ::chmod((m_sample / "api-token").c_str(), 0600);
  }

  // SIGHUP, then the READY=1 that ends the reload.
  void reload(DaemonProcess& daemon) {
    daemon.clear_notifications();
    daemon.signal(SIGHUP);
    ASSERT_TRUE(daemon.wait_for_notification("RELOADING=1")) << read_file(daemon.log_path());
    ASSERT_TRUE(daemon.wait_for_notification("READY=1")) << read_file(daemon.log_path());
  }

  nlohmann::json health(unsigned short port, const std::string& token) {
    auto answer = http_get(port, "/healthz", token);
    auto json = nlohmann::json::parse(answer.body, nullptr, false);
    return json.is_discarded() ? nlohmann::json::object() : json;
  }

  // A reload, and the scan it asks for done.
  void reload_and_scan(DaemonProcess& daemon, unsigned short port, const std::string& token) {
    const long before = scans_done(port, token);
    reload(daemon);
    EXPECT_TRUE(DaemonProcess::eventually([&] { return scans_done(port, token) > before; }))
        << read_file(daemon.log_path());
  }

  bool has_finding(unsigned short port, const std::string& token, const std::string& kind,
                   const std::string& person) {
    auto answer = http_get(port, "/api/v1/findings", token);
    auto json = nlohmann::json::parse(answer.body, nullptr, false);
    if (json.is_discarded()) return false;
    for (const auto& f : json["findings"])
      if (f["kind"] == kind && f["person"] == person) return true;
    return false;
  }

  fs::path m_sample;
  std::string m_config;
  unsigned short m_port = 0;
};

TEST_F(DaemonReload, ARotatedTokenAndANewAddressTakeEffect) {
  DaemonProcess daemon(SECONDSIGHT_BINARY, m_sample / "config.yaml", m_sample, "2026-06-01");
  ASSERT_TRUE(daemon.wait_for_notification("READY=1")) << read_file(daemon.log_path());
  EXPECT_EQ(http_get(m_port, "/healthz", "first-token-1234").status, 200u);

  // The token alone.
  write_token("second-token-5678");
  reload(daemon);
  EXPECT_EQ(http_get(m_port, "/healthz", "first-token-1234").status, 401u);
  EXPECT_EQ(http_get(m_port, "/healthz", "second-token-5678").status, 200u);

  // The address: the old one closes, the new one answers, in the same process.
  const unsigned short moved = free_loopback_port();
  write_file(m_sample / "config.yaml", with_api(m_config, moved));
  reload(daemon);
  EXPECT_EQ(http_get(moved, "/healthz", "second-token-5678").status, 200u)
      << read_file(daemon.log_path());
  EXPECT_EQ(http_get(m_port, "/healthz", "second-token-5678").status, 0u);

  // A token file that cannot be read: the reload fails as a whole, the last good settings stay.
  fs::remove(m_sample / "api-token");
  reload(daemon);
  EXPECT_EQ(health(moved, "second-token-5678")["status"], "degraded");
  EXPECT_THAT(read_file(daemon.log_path()), HasSubstr("api token_file"));
  write_token("third-token-9012");
  reload(daemon);
  EXPECT_EQ(health(moved, "third-token-9012")["status"], "ok");

  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_exit(), 0) << read_file(daemon.log_path());
}

TEST_F(DaemonReload, AnAddressInUseKeepsTheOldOne) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor taken(
      io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  DaemonProcess daemon(SECONDSIGHT_BINARY, m_sample / "config.yaml", m_sample, "2026-06-01");
  ASSERT_TRUE(daemon.wait_for_notification("READY=1")) << read_file(daemon.log_path());
  write_file(m_sample / "config.yaml", with_api(m_config, taken.local_endpoint().port()));
  reload(daemon);
  const auto answer = health(m_port, "first-token-1234");
  EXPECT_EQ(answer["status"], "degraded");
  EXPECT_THAT(answer["problems"].dump(), HasSubstr("cannot listen on 127.0.0.1:"));
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_exit(), 0) << read_file(daemon.log_path());
}

TEST_F(DaemonReload, LogsAreFollowedAtOnceAfterAReload) {
  DaemonProcess daemon(SECONDSIGHT_BINARY, m_sample / "config.yaml", m_sample, "2026-06-01");
  ASSERT_TRUE(daemon.wait_for_notification("READY=1")) << read_file(daemon.log_path());
  ASSERT_TRUE(has_finding(m_port, "first-token-1234", "unused_access", "gerrit"));
  for (int i = 0; i < 3; ++i) reload_and_scan(daemon, m_port, "first-token-1234");

  // gerrit logs into SCADA: his unused access is used. With no safety scans, only following
  // the log can see it.
  std::ofstream(m_sample / "logs" / "auth.log", std::ios::app)
      << "May 31 10:00:00 scada-2 sshd[7000]: Accepted publickey for gerrit from 10.20.0.9 port "
         "50000 ssh2\n";
  EXPECT_TRUE(DaemonProcess::eventually(
      [&] { return !has_finding(m_port, "first-token-1234", "unused_access", "gerrit"); },
      std::chrono::seconds(120)))
      << read_file(daemon.log_path());

  // A source added at reload is followed too.
  write_file(m_sample / "logs" / "extra.log", "");
  std::string config = m_config;
  config.replace(config.find("audit_logs:\n"), std::string("audit_logs:\n").size(),
                 "audit_logs:\n  - { path: logs/extra.log, format: sshd }\n");
  write_file(m_sample / "config.yaml", with_api(config, m_port));
  reload_and_scan(daemon, m_port, "first-token-1234");
  std::ofstream(m_sample / "logs" / "extra.log", std::ios::app)
      << "May 31 11:00:00 scada-1 sshd[7001]: Accepted publickey for hanna from 10.20.0.9 port "
         "50001 ssh2\n";
  EXPECT_TRUE(DaemonProcess::eventually(
      [&] {
        auto answer = http_get(m_port, "/metrics", "first-token-1234");
        return answer.body.find(
                   "secondsight_lines_read_total{source=\"logs/extra.log\","
                   "format=\"sshd\"} 1\n") != std::string::npos;
      },
      std::chrono::seconds(120)))
      << read_file(daemon.log_path());

  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_exit(), 0) << read_file(daemon.log_path());
}

TEST_F(DaemonReload, SinksAndTheDirectoryOfTheNewConfigAreUsed) {
  DaemonProcess daemon(SECONDSIGHT_BINARY, m_sample / "config.yaml", m_sample, "2026-06-01");
  ASSERT_TRUE(daemon.wait_for_notification("READY=1")) << read_file(daemon.log_path());
  const std::string token = "first-token-1234";
  EXPECT_EQ(health(m_port, token)["directory"]["people"], 8);

  // Another directory export, with one person less (eva, the contractor whose engagement
  // ends), and a jsonl sink: the change it makes is alerted there.
  const std::string ldif = read_file(m_sample / "directory.ldif");
  const auto eva = ldif.find("dn: uid=eva,");
  ASSERT_NE(eva, std::string::npos);
  const auto next = ldif.find("\n\n", eva);
  write_file(m_sample / "smaller.ldif",
             ldif.substr(0, eva) + (next == std::string::npos ? "" : ldif.substr(next + 2)));
  std::string config = m_config;
  config.replace(config.find("ldif:directory.ldif"), std::string("ldif:directory.ldif").size(),
                 "ldif:smaller.ldif");
  config += "alerts:\n  - { type: jsonl, path: alerts.jsonl }\n";
  write_file(m_sample / "config.yaml", with_api(config, m_port));
  reload_and_scan(daemon, m_port, token);

  EXPECT_TRUE(DaemonProcess::eventually([&] {
    return health(m_port, token)["directory"]["people"] == 7;
  })) << health(m_port, token).dump();
  EXPECT_FALSE(has_finding(m_port, token, "engagement_ending", "eva"));
  EXPECT_TRUE(DaemonProcess::eventually([&] {
    return read_file(m_sample / "alerts.jsonl").find("\"engagement_ending\"") != std::string::npos;
  })) << read_file(daemon.log_path());
  EXPECT_THAT(read_file(m_sample / "alerts.jsonl"), HasSubstr("\"resolved\""));
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_exit(), 0) << read_file(daemon.log_path());
}

TEST_F(DaemonReload, AConfigOrPolicyGoneAtReloadKeepsTheLastGoodOnes) {
  DaemonProcess daemon(SECONDSIGHT_BINARY, m_sample / "config.yaml", m_sample, "2026-06-01");
  ASSERT_TRUE(daemon.wait_for_notification("READY=1")) << read_file(daemon.log_path());
  const std::string token = "first-token-1234";
  for (const fs::path& away : {m_sample / "config.yaml", m_sample / "policies"}) {
    fs::rename(away, m_sample / "away");
    reload(daemon);
    const auto answer = health(m_port, token);
    EXPECT_EQ(answer["status"], "degraded") << away;
    EXPECT_THAT(answer["problems"].dump(), HasSubstr("reload: ")) << away;
    EXPECT_TRUE(has_finding(m_port, token, "unused_access", "gerrit")) << away;
    EXPECT_TRUE(daemon.running());
    fs::rename(m_sample / "away", away);
    reload(daemon);
    EXPECT_EQ(health(m_port, token)["status"], "ok") << away;
  }
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_exit(), 0) << read_file(daemon.log_path());
}

TEST_F(DaemonReload, AStateFolderChangeNeedsARestartAndSaysSo) {
  DaemonProcess daemon(SECONDSIGHT_BINARY, m_sample / "config.yaml", m_sample, "2026-06-01");
  ASSERT_TRUE(daemon.wait_for_notification("READY=1")) << read_file(daemon.log_path());
  std::string config = m_config;
  config.replace(config.find("state_dir: state"), std::string("state_dir: state").size(),
                 "state_dir: elsewhere");
  write_file(m_sample / "config.yaml", with_api(config, m_port));
  reload(daemon);
  auto answer = health(m_port, "first-token-1234");
  EXPECT_EQ(answer["status"], "degraded");
  EXPECT_THAT(answer["problems"].dump(), HasSubstr("state_dir"));
  EXPECT_THAT(answer["problems"].dump(), HasSubstr("restart"));
  EXPECT_FALSE(fs::exists(m_sample / "elsewhere"));
  // Back as it was: nothing waits for a restart.
  write_file(m_sample / "config.yaml", with_api(m_config, m_port));
  reload(daemon);
  EXPECT_EQ(health(m_port, "first-token-1234")["status"], "ok");
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_exit(), 0) << read_file(daemon.log_path());
}

TEST_F(DaemonReload, ASecondDaemonOnTheSameStateFolderIsRefused) {
  DaemonProcess first(SECONDSIGHT_BINARY, m_sample / "config.yaml", m_sample, "2026-06-01");
  ASSERT_TRUE(first.wait_for_notification("READY=1")) << read_file(first.log_path());
  const fs::path other = make_temp_dir("second-daemon");
  DaemonProcess second(SECONDSIGHT_BINARY, m_sample / "config.yaml", other, "2026-06-01");
  EXPECT_EQ(second.wait_exit(), 3);
  EXPECT_THAT(read_file(second.log_path()),
              HasSubstr("a daemon already runs on the state folder " +
                        (m_sample / "state").string() + ": the daemon with pid "));
  EXPECT_TRUE(first.running());
  // A scan beside it still runs, and leaves the alerts to the daemon.
  EXPECT_EQ(shell(std::string("'") + SECONDSIGHT_BINARY + "' scan --config '" +
                  (m_sample / "config.yaml").string() + "' --now 2026-06-02 >/dev/null 2>&1"),
            0);
  first.signal(SIGTERM);
  EXPECT_EQ(first.wait_exit(), 0) << read_file(first.log_path());
  fs::remove_all(other);
}

}  // namespace
}  // namespace secondsight::testing
