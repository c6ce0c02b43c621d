// The real daemon following a real slapd's changes (content synchronisation): a contractor put
// into a group that grants a system externals may not use is alerted without a poll; a restart
// resumes from the kept cookie and catches up with what changed while it was down; a slapd that
// goes away and comes back is followed again by itself.
#include <gmock/gmock.h>
#include <sys/stat.h>

#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <regex>

#include "fixtures/daemon_process.hpp"
#include "fixtures/plant_company.hpp"
#include "fixtures/scenario.hpp"
#include "fixtures/slapd_fixture.hpp"

namespace secondsight::testing {
namespace {

using ::testing::HasSubstr;

constexpr const char* k_token = "sync-token-1234";
const std::string k_admin = "the admin's password";

constexpr const char* k_ria_joins = R"(dn: cn=plant-operators,ou=Groups,dc=example,dc=com
changetype: modify
add: member
member: uid=ria,ou=People,dc=example,dc=com
)";

constexpr const char* k_ria_leaves = R"(dn: cn=plant-operators,ou=Groups,dc=example,dc=com
changetype: modify
delete: member
member: uid=ria,ou=People,dc=example,dc=com
)";

class DaemonSync : public ::testing::Test {
 protected:
  void SetUp() override {
    m_folder = make_temp_dir("daemon-sync");
    write_file(m_folder / "directory.ldif", plant_company_ldif(false));
    fs::create_directory(m_folder / "policies");
    write_file(m_folder / "policies" / "plant.yaml", k_plant_policy);
    write_file(m_folder / "token", std::string(k_token) + "\n");
    ::chmod((m_folder / "token").c_str(), 0600);
    SlapdOptions options;
    options.data = {m_folder / "directory.ldif"};
    options.syncprov = true;
    options.admin_password = k_admin;
    m_slapd = Slapd::start(options);
    ASSERT_TRUE(m_slapd);
    m_port = free_loopback_port();
    // An hour between polls and between safety scans: only a change can bring a finding soon.
    write_file(m_folder / "config.yaml",
               "state_dir: state\npolicies: policies\ndirectory:\n  uri: " + m_slapd->ldap_uri() +
                   "\n  people: { base: \"ou=People,dc=example,dc=com\" }\n"
                   "  groups: { base: \"ou=Groups,dc=example,dc=com\" }\n"
                   "  poll_interval: 1h\n  timeout: 5s\n"
                   "daemon: { safety_interval: 1h }\n"
                   "alerts:\n  - { type: jsonl, path: alerts.jsonl }\n"
                   "api: { listen: \"127.0.0.1:" +
                   std::to_string(m_port) + "\", token_file: token }\n");
  }

  void TearDown() override {
    m_slapd.reset();
    fs::remove_all(m_folder);
  }

  std::string metrics() const { return http_get(m_port, "/metrics", k_token).body; }

  // The value of a metric line that starts with `name` ("" when there is none).
  std::string metric(const std::string& name) const { return metric_value(metrics(), name); }

  // The daemon follows the directory's changes (within two minutes: it reads it whole first).
  ::testing::AssertionResult following(const DaemonProcess& daemon) const {
    if (DaemonProcess::eventually([&] { return metric("secondsight_directory_sync_up") == "1"; }))
      return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "not following:\n"
                                         << metrics() << read_file(daemon.log_path());
  }

  // The alerts of ria's need-to-know finding, in the order they came.
  std::vector<nlohmann::json> ria_alert_lines() const {
    std::vector<nlohmann::json> out;
    std::istringstream lines(read_file(m_folder / "alerts.jsonl"));
    for (std::string line; std::getline(lines, line);) {
      auto json = nlohmann::json::parse(line, nullptr, false);
      if (json.is_discarded()) continue;
      if (json.value("kind", "") == "need_to_know_violation" && json["person"] == "ria")
        out.push_back(std::move(json));
    }
    return out;
  }
  // The changes they announce.
  std::vector<std::string> ria_alerts() const {
    std::vector<std::string> out;
    for (const auto& alert : ria_alert_lines()) out.push_back(alert.value("change", ""));
    return out;
  }
  // The first that announces `change`; null when none does.
  nlohmann::json ria_alert(const std::string& change) const {
    for (auto& alert : ria_alert_lines())
      if (alert.value("change", "") == change) return alert;
    return nullptr;
  }

  fs::path m_folder;
  std::unique_ptr<Slapd> m_slapd;
  unsigned short m_port = 0;
};

TEST_F(DaemonSync, AChangeIsAlertedAtOnceAndARestartResumesFromTheCookie) {
  {
    DaemonProcess daemon(SECONDSIGHT_BINARY, m_folder / "config.yaml", m_folder, "2026-06-01");
    ASSERT_TRUE(daemon.wait_for_notification("READY=1")) << read_file(daemon.log_path());
    ASSERT_TRUE(following(daemon));
    EXPECT_EQ(metric("secondsight_directory_sync_refreshes_total{from=\"whole\"}"), "1")
        << metrics() << read_file(daemon.log_path());
    const std::string polls = metric("secondsight_directory_polls_total");
    EXPECT_TRUE(ria_alerts().empty());

    ASSERT_EQ(m_slapd->modify(k_ria_joins), "");
    const auto changed = std::chrono::steady_clock::now();
    ASSERT_TRUE(DaemonProcess::eventually([&] { return !ria_alerts().empty(); }))
        << read_file(daemon.log_path());
    const auto seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - changed).count();
    RecordProperty("change_to_alert_seconds", std::to_string(seconds));
    EXPECT_EQ(ria_alerts().front(), "opened");
    // The membership was first seen by the scan the change brought, which alerted it.
    const auto opened = ria_alert("opened");
    const auto& membership = opened["evidence"]["held"]["memberships"][0];
    EXPECT_EQ(membership["held"]["since"], opened["at"]) << opened.dump(2);
    EXPECT_EQ(membership["held"]["since_first_read"], false);
    EXPECT_THAT(membership.value("text", ""),
                HasSubstr("member of cn=plant-operators,ou=Groups,dc=example,dc=com since "));
    // No whole read brought it: the poll count is what it was.
    EXPECT_EQ(metric("secondsight_directory_polls_total"), polls)
        << metrics() << read_file(daemon.log_path());
    EXPECT_NE(metric("secondsight_directory_sync_updates_total"), "0");

    daemon.signal(SIGTERM);
    ASSERT_EQ(daemon.wait_exit(), 0) << read_file(daemon.log_path());
  }

  // While no daemon runs, ria leaves the group again.
  ASSERT_EQ(m_slapd->modify(k_ria_leaves), "");
  DaemonProcess daemon(SECONDSIGHT_BINARY, m_folder / "config.yaml", m_folder, "2026-06-01");
  ASSERT_TRUE(daemon.wait_for_notification("READY=1")) << read_file(daemon.log_path());
  ASSERT_TRUE(following(daemon));
  EXPECT_EQ(metric("secondsight_directory_sync_refreshes_total{from=\"cookie\"}"), "1")
      << metrics() << read_file(daemon.log_path());
  EXPECT_EQ(metric("secondsight_directory_sync_refreshes_total{from=\"whole\"}"), "0");
  EXPECT_TRUE(DaemonProcess::eventually([&] {
    const auto alerts = ria_alerts();
    return alerts.size() == 2 && alerts.back() == "resolved";
  })) << read_file(m_folder / "alerts.jsonl");
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_exit(), 0) << read_file(daemon.log_path());
}

TEST_F(DaemonSync, ASlapdThatGoesAwayIsFollowedAgainWhenItIsBack) {
  DaemonProcess daemon(SECONDSIGHT_BINARY, m_folder / "config.yaml", m_folder, "2026-06-01");
  ASSERT_TRUE(daemon.wait_for_notification("READY=1")) << read_file(daemon.log_path());
  ASSERT_TRUE(following(daemon));

  m_slapd->kill();
  ASSERT_TRUE(DaemonProcess::eventually([&] {
    return metric("secondsight_directory_sync_up") == "0";
  })) << metrics();
  EXPECT_NE(metric("secondsight_directory_sync_lost_total"), "0");

  ASSERT_TRUE(m_slapd->restart());
  ASSERT_TRUE(following(daemon));
  // And what changes now still arrives.
  ASSERT_EQ(m_slapd->modify(k_ria_joins), "");
  EXPECT_TRUE(DaemonProcess::eventually([&] { return !ria_alerts().empty(); }))
      << read_file(daemon.log_path());

  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_exit(), 0) << read_file(daemon.log_path());
  // The outage was logged once, however many times the follower tried again.
  const std::string log = read_file(daemon.log_path());
  std::size_t said = 0;
  for (auto at = log.find("following again in"); at != std::string::npos;
       at = log.find("following again in", at + 1))
    ++said;
  EXPECT_EQ(said, 1u) << log;
}

}  // namespace
}  // namespace secondsight::testing
