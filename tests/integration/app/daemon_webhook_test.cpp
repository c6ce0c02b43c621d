// End to end: the real daemon on the test company, alerts to a real HTTPS receiver on
// 127.0.0.1 (a test CA), each signed and delivered once — also across a receiver that is down
// while the daemon restarts.
#include <gmock/gmock.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/stat.h>

#include <boost/asio/ip/tcp.hpp>
#include <cstring>

#include "fixtures/daemon_process.hpp"
#include "fixtures/https_receiver.hpp"
#include "fixtures/scenario.hpp"
#include "fixtures/test_pki.hpp"

namespace secondsight::testing {
namespace {

using alert::testing::HttpsReceiver;
using alert::testing::ReceivedRequest;
using alert::testing::TestPki;

constexpr const char* k_secret = "webhook-secret-for-the-daemon-test";

std::string signature_of(const std::string& body) {
  return alert::testing::expected_signature(k_secret, body);
}

using AlertKey = std::tuple<std::string, std::string, std::string, std::string>;

class DaemonWebhook : public ::testing::Test {
 protected:
  void SetUp() override {
    m_pki = TestPki::make();
    m_company = setup_company();
    m_hook_port = free_loopback_port();
    m_api_port = free_loopback_port();
    write_file(m_company / "hook-secret", std::string(k_secret) + "\n");
    write_file(m_company / "api-token", "daemon-test-token\n");
    ::chmod((m_company / "hook-secret").c_str(), 0600);
    ::chmod((m_company / "api-token").c_str(), 0600);
    // The scenario's config ends with its alerts list: one more sink, and the API.
    std::ofstream(m_company / "config.yaml", std::ios::app)
        << "  - { type: webhook, url: \"https://127.0.0.1:" << m_hook_port
        << "/hooks/secondsight\", hmac_secret_file: hook-secret, ca_file: \""
        << m_pki.ca_cert.string() << "\" }\n"
        << "api: { listen: \"127.0.0.1:" << m_api_port << "\", token_file: api-token }\n";
  }
  void TearDown() override {
    fs::remove_all(m_company);
    m_pki.remove();
  }

  std::unique_ptr<HttpsReceiver> receiver() {
    return std::make_unique<HttpsReceiver>(m_pki.server_cert, m_pki.server_key, m_hook_port);
  }
  std::unique_ptr<DaemonProcess> daemon() {
    auto process = std::make_unique<DaemonProcess>(SECONDSIGHT_BINARY, m_company / "config.yaml",
                                                   m_company, k_company_now);
    EXPECT_TRUE(process->wait_for_notification("READY=1")) << read_file(process->log_path());
    return process;
  }
  std::set<FindingKey> open_findings() {
    auto answer = http_get(m_api_port, "/api/v1/findings", "daemon-test-token");
    std::set<FindingKey> out;
    auto json = nlohmann::json::parse(answer.body, nullptr, false);
    if (json.is_discarded()) return out;
    for (const auto& f : json["findings"])
      out.emplace(f["kind"], or_dash(f["person"]), or_dash(f["system"]), f["severity"]);
    return out;
  }
  // Checks every request as a receiver would (signature, idempotency key, body) and adds its
  // alert to `seen`; a repeated idempotency key is a failure.
  void take(const std::vector<ReceivedRequest>& requests, std::size_t from) {
    for (std::size_t i = from; i < requests.size(); ++i) {
      const auto& request = requests[i];
      EXPECT_EQ(request.method, "POST");
      EXPECT_EQ(request.target, "/hooks/secondsight");
      EXPECT_EQ(request.headers.at("x-secondsight-signature"), signature_of(request.body));
      const std::string key = request.headers.at("idempotency-key");
      EXPECT_TRUE(m_keys.insert(key).second) << "delivered twice: " << request.body;
      auto alert = nlohmann::json::parse(request.body);
      EXPECT_EQ(alert["id"], key);
      EXPECT_FALSE(alert["text"].get<std::string>().empty());
      m_seen.emplace_back(alert["change"], alert["kind"], or_dash(alert["person"]),
                          or_dash(alert["system"]));
    }
  }
  std::multiset<AlertKey> seen() const { return {m_seen.begin(), m_seen.end()}; }

  TestPki m_pki;
  fs::path m_company;
  unsigned short m_hook_port = 0;
  unsigned short m_api_port = 0;
  std::set<std::string> m_keys;
  std::vector<AlertKey> m_seen;
};

std::multiset<AlertKey> opened(const std::set<FindingKey>& findings) {
  std::multiset<AlertKey> out;
  for (const auto& [kind, person, system, severity] : findings)
    out.emplace("opened", kind, person, system);
  return out;
}

TEST_F(DaemonWebhook, EveryAlertArrivesSignedOnceEvenAcrossADownReceiverAndARestart) {
  const auto expected = company_expected_findings();
  auto hook = receiver();
  auto process = daemon();

  // The first scan: one alert per expected finding.
  // ... and one per offboarding checklist that appears (within 30 days of the end or past it).
  auto first = opened(expected);
  for (const char* person : {"bram", "eliska", "femke", "ilse", "ravi", "tim"})
    first.emplace("opened", "offboarding_checklist", person, "-");
  ASSERT_TRUE(DaemonProcess::eventually([&] { return hook->requests().size() >= first.size(); }))
      << hook->requests().size() << "\n"
      << read_file(process->log_path());
  take(hook->requests(), 0);
  EXPECT_EQ(seen(), first);
  const std::size_t after_first = m_seen.size();

  // noor logs into a telemetry host: one new alert.
  std::ofstream(m_company / "logs" / "auth.log", std::ios::app)
      << "May 18 10:59:00 tlm-3 sshd[777]: Accepted publickey for noor from 10.20.2.3 port "
         "51000 ssh2\n";
  ASSERT_TRUE(DaemonProcess::eventually([&] { return hook->requests().size() >= after_first + 1; }))
      << read_file(process->log_path());
  take(hook->requests(), after_first);
  EXPECT_EQ(m_seen.back(), AlertKey("opened", "need_to_know_violation", "noor", "telemetry"));

  // bram's account is disabled and his groups emptied; the directory is read again (SIGHUP).
  std::string ldif = read_file(m_company / "directory.ldif");
  const std::string marker = "contractEndDate: 2026-04-30\n";
  ldif.replace(ldif.find(marker), marker.size(),
               marker + "pwdAccountLockedTime: 20260518090000Z\n");
  const std::string member = "member: uid=bram,ou=people,dc=harbour,dc=example\n";
  for (auto at = ldif.find(member); at != std::string::npos; at = ldif.find(member))
    ldif.erase(at, member.size());
  const auto open_before = open_findings();
  write_file(m_company / "directory.ldif", ldif);
  process->signal(SIGHUP);
  ASSERT_TRUE(DaemonProcess::eventually([&] {
    return !open_findings().count({"access_after_end", "bram", "-", "critical"});
  })) << read_file(process->log_path());
  // Every resolution arrives before the receiver goes down, whatever batches they come in.
  const auto open_after = open_findings();
  std::size_t resolutions = 0;
  for (const auto& key : open_before) resolutions += open_after.count(key) == 0 ? 1u : 0u;
  ASSERT_TRUE(DaemonProcess::eventually([&] {
    return hook->requests().size() >= after_first + 1 + resolutions;
  })) << resolutions
      << " resolutions\n"
      << read_file(process->log_path());
  take(hook->requests(), after_first + 1);
  const auto before_down = m_seen.size();
  EXPECT_EQ(std::count(m_seen.begin(), m_seen.end(),
                       AlertKey("resolved", "access_after_end", "bram", "-")),
            1);
  // Each resolution is of a finding that was open, each once.
  for (std::size_t i = after_first + 1; i < m_seen.size(); ++i)
    EXPECT_EQ(std::get<0>(m_seen[i]), "resolved") << std::get<1>(m_seen[i]);

  // The receiver goes down; milan logs into a billing host; the daemon is restarted.
  hook.reset();
  std::ofstream(m_company / "logs" / "auth.log", std::ios::app)
      << "May 18 10:58:00 bill-1 sshd[778]: Accepted publickey for milan from 10.20.2.4 port "
         "51001 ssh2\n";
  ASSERT_TRUE(DaemonProcess::eventually([&] {
    return open_findings().count({"need_to_know_violation", "milan", "billing-engine", "high"}) > 0;
  })) << read_file(process->log_path());
  process->signal(SIGTERM);
  ASSERT_EQ(process->wait_exit(), 0) << read_file(process->log_path());
  process = daemon();

  // It comes back: what was queued arrives, once, and nothing else.
  hook = receiver();
  ASSERT_TRUE(DaemonProcess::eventually([&] { return !hook->requests().empty(); },
                                        std::chrono::seconds(90)))
      << read_file(process->log_path());
  // Give a repeat, if there were one, the time to show.
  DaemonProcess::eventually([] { return false; }, std::chrono::seconds(2));
  take(hook->requests(), 0);
  EXPECT_EQ(m_seen.back(), AlertKey("opened", "need_to_know_violation", "milan", "billing-engine"));
  EXPECT_EQ(m_seen.size(), before_down + 1);

  // What arrived is exactly what the evidence log says was alerted.
  process->signal(SIGTERM);
  EXPECT_EQ(process->wait_exit(), 0);
  auto history_file = m_company / "history.json";
  ASSERT_EQ(shell("'" SECONDSIGHT_BINARY "' findings history --all --format json --config '" +
                  (m_company / "config.yaml").string() + "' > '" + history_file.string() + "'"),
            0);
  // Checklist announcements are no finding changes: the evidence log does not hold them.
  std::multiset<AlertKey> alerted;
  for (const auto& key : m_seen)
    if (std::get<1>(key) == "offboarding_checklist") alerted.insert(key);
  for (const auto& entry : nlohmann::json::parse(read_file(history_file))) {
    for (const auto& alert : entry.value("alerts", nlohmann::json::array())) {
      if (alert["sink"].get<std::string>().rfind("webhook", 0) != 0) continue;
      EXPECT_EQ(alert["status"], "delivered") << entry;
      alerted.emplace(entry["change"], entry["kind"], or_dash(entry["person"]),
                      or_dash(entry["system"]));
    }
  }
  EXPECT_EQ(alerted, seen());
}

TEST(DaemonWebhookRefusal, ARefusalEndedByTheReceiversCloseIsARefusalLoggedOnce) {
  // The sample company, a receiver that answers 401 without Content-Length and closes the TLS
  // stream without close_notify.
  const TestPki pki = TestPki::make();
  const fs::path sample = copy_sample();
  HttpsReceiver hook(pki.server_cert, pki.server_key);
  hook.close_abruptly();
  hook.answer_with({401, 401, 401});
  const unsigned short api = free_loopback_port();
  write_file(sample / "hook-secret", std::string(k_secret) + "\n");
  write_file(sample / "api-token", "refusal-token-1234\n");
  ::chmod((sample / "hook-secret").c_str(), 0600);
  ::chmod((sample / "api-token").c_str(), 0600);
  std::ofstream(sample / "config.yaml", std::ios::app)
      << "alerts:\n  - { type: webhook, url: \"https://127.0.0.1:" << hook.port()
      << "/hooks/secondsight\", hmac_secret_file: hook-secret, ca_file: \"" << pki.ca_cert.string()
      << "\" }\n"
      << "api: { listen: \"127.0.0.1:" << api << "\", token_file: api-token }\n";

  DaemonProcess daemon(SECONDSIGHT_BINARY, sample / "config.yaml", sample, "2026-06-01");
  ASSERT_TRUE(daemon.wait_for_notification("READY=1")) << read_file(daemon.log_path());
  // The pass that met the refusal counts the failed attempt once it has logged it.
  const std::string failed_once =
      "secondsight_alert_delivery_failures_total{sink=\"webhook "
      "https://127.0.0.1:" +
      std::to_string(hook.port()) + "/...\"} 1\n";
  ASSERT_TRUE(DaemonProcess::eventually([&] {
    return http_get(api, "/metrics", "refusal-token-1234").body.find(failed_once) !=
           std::string::npos;
  })) << read_file(daemon.log_path());
  const std::string log = read_file(daemon.log_path());
  const std::string refusal = "refused the alert: HTTP 401 Unauthorized: wrong signature";
  EXPECT_EQ(hook.requests().size(), 1u);  // a refusal waits its 5 minutes, not a quick retry
  EXPECT_NE(log.find(refusal), std::string::npos) << log;
  EXPECT_EQ(log.find(refusal), log.rfind(refusal)) << log;  // logged once
  EXPECT_THAT(log, ::testing::HasSubstr("next try at"));
  EXPECT_EQ(log.find("stream truncated"), std::string::npos) << log;
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_exit(), 0) << read_file(daemon.log_path());
  fs::remove_all(sample);
  pki.remove();
}

}  // namespace
}  // namespace secondsight::testing
