// The real daemon process on the test company: readiness through NOTIFY_SOCKET, the local
// API, logs followed as they grow, SIGHUP with a broken policy, SIGTERM.
#include <gmock/gmock.h>
#include <sys/stat.h>

#include <boost/asio/ip/tcp.hpp>

#include "fixtures/daemon_process.hpp"
#include "fixtures/scenario.hpp"

namespace secondsight::testing {
namespace {

using ::testing::HasSubstr;

std::set<FindingKey> keys_of(const nlohmann::json& findings) {
  std::set<FindingKey> out;
  for (const auto& f : findings)
    out.emplace(f["kind"], or_dash(f["person"]), or_dash(f["system"]), f["severity"]);
  return out;
}

class Daemon : public ::testing::Test {
 protected:
  void SetUp() override {
    m_company = setup_company();
    m_port = free_loopback_port();
    write_file(m_company / "api-token", "test-token-1234\n");
    ::chmod((m_company / "api-token").c_str(), 0600);
    std::ofstream(m_company / "config.yaml", std::ios::app)
        << "api: { listen: \"127.0.0.1:" << m_port << "\", token_file: api-token }\n";
  }
  void TearDown() override { fs::remove_all(m_company); }

  nlohmann::json findings() {
    auto answer = http_get(m_port, "/api/v1/findings", m_token);
    EXPECT_EQ(answer.status, 200u) << answer.body;
    auto json = nlohmann::json::parse(answer.body, nullptr, false);
    return json.is_discarded() ? nlohmann::json::array() : json["findings"];
  }

  fs::path m_company;
  unsigned short m_port = 0;
  std::string m_token = "test-token-1234";
};

std::set<FindingKey> expected_findings() {
  return company_expected_findings();
}

TEST_F(Daemon, ServesTheFindingsFollowsTheLogsAndStopsCleanly) {
  DaemonProcess daemon(SECONDSIGHT_BINARY, m_company / "config.yaml", m_company, k_company_now);
  ASSERT_TRUE(daemon.wait_for_notification("READY=1")) << read_file(daemon.log_path());
  EXPECT_TRUE(daemon.wait_for_notification("STATUS=21 open findings"));

  // Every request needs the token.
  EXPECT_EQ(http_get(m_port, "/healthz", "").status, 401u);
  EXPECT_EQ(http_get(m_port, "/healthz", "wrong").status, 401u);
  auto health = http_get(m_port, "/healthz", m_token);
  EXPECT_EQ(health.status, 200u) << health.body;
  EXPECT_EQ(nlohmann::json::parse(health.body)["status"], "ok");
  EXPECT_EQ(keys_of(findings()), expected_findings());
  auto metrics = http_get(m_port, "/metrics", m_token);
  EXPECT_EQ(metrics.status, 200u);
  EXPECT_THAT(
      metrics.body,
      HasSubstr("secondsight_findings_open{kind=\"access_after_end\",severity=\"critical\"} 1\n"));
  EXPECT_THAT(metrics.body, HasSubstr("secondsight_directory_up 1\n"));
  EXPECT_THAT(metrics.body, HasSubstr("secondsight_lines_skipped_total{source=\"logs/auth.log\","
                                      "format=\"sshd\"} 1\n"));
  EXPECT_EQ(http_get(m_port, "/nothing", m_token).status, 404u);

  // noor (billing) logs into a telemetry host: a new finding, seen as the log grows.
  std::ofstream(m_company / "logs" / "auth.log", std::ios::app)
      << "May 18 10:59:00 tlm-3 sshd[777]: Accepted publickey for noor from 10.20.2.3 port "
         "51000 ssh2\n";
  EXPECT_TRUE(DaemonProcess::eventually([&] {
    return keys_of(findings()).count({"need_to_know_violation", "noor", "telemetry", "high"}) > 0;
  })) << read_file(daemon.log_path());

  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_exit(), 0) << read_file(daemon.log_path());
  EXPECT_TRUE(daemon.wait_for_notification("STOPPING=1"));
}

TEST_F(Daemon, ABrokenPolicyOnReloadKeepsTheLastGoodOne) {
  DaemonProcess daemon(SECONDSIGHT_BINARY, m_company / "config.yaml", m_company, k_company_now);
  ASSERT_TRUE(daemon.wait_for_notification("READY=1")) << read_file(daemon.log_path());
  const fs::path policy = m_company / "policies" / "harbour.yaml";
  ASSERT_TRUE(fs::exists(policy));
  const std::string original = read_file(policy);
  write_file(policy, original + "\nsystems_typo: []\n");
  daemon.clear_notifications();
  daemon.signal(SIGHUP);
  ASSERT_TRUE(daemon.wait_for_notification("RELOADING=1"));
  EXPECT_TRUE(daemon.wait_for_notification("READY=1"));
  EXPECT_TRUE(daemon.running());
  EXPECT_TRUE(DaemonProcess::eventually([&] {
    auto health = nlohmann::json::parse(http_get(m_port, "/healthz", m_token).body);
    return health["status"] == "degraded";
  }));
  EXPECT_THAT(read_file(daemon.log_path()), HasSubstr("systems_typo"));
  EXPECT_EQ(keys_of(findings()), expected_findings());

  write_file(policy, original);
  daemon.signal(SIGHUP);
  EXPECT_TRUE(DaemonProcess::eventually([&] {
    auto health = nlohmann::json::parse(http_get(m_port, "/healthz", m_token).body);
    return health["status"] == "ok";
  }));
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_exit(), 0);
}

TEST_F(Daemon, ABrokenConfigRefusesToStart) {
  write_file(m_company / "config.yaml", "state_dir: state\npolicies: nowhere\nbogus: 1\n");
  DaemonProcess daemon(SECONDSIGHT_BINARY, m_company / "config.yaml", m_company, k_company_now);
  EXPECT_EQ(daemon.wait_exit(), 2);
  EXPECT_THAT(read_file(daemon.log_path()), HasSubstr("config.yaml:3:1"));
}

}  // namespace
}  // namespace secondsight::testing
