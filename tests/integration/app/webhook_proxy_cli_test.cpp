// The real binary's webhook through the proxy its environment names (https_proxy, no_proxy), as
// under systemd with Environment=: tinyproxy and the HTTPS receiver on loopback, the sample
// company scanned. A broken https_proxy stops `policy check` and `scan` with exit 2, and the
// proxy's password shows nowhere: not in output, history or the state database.
#include <gmock/gmock.h>
#include <sys/stat.h>

#include "fixtures/https_receiver.hpp"
#include "fixtures/scenario.hpp"
#include "fixtures/test_pki.hpp"
#include "fixtures/tinyproxy.hpp"

namespace secondsight::testing {
namespace {

using alert::testing::HttpsReceiver;
using alert::testing::TestPki;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* k_password = "pr0xy-hunter2";

class WebhookProxyCli : public ::testing::Test {
 protected:
  void SetUp() override {
    m_pki = TestPki::make();
    m_sample = copy_sample();
    m_receiver = std::make_unique<HttpsReceiver>(m_pki.server_cert, m_pki.server_key);
    write_file(m_sample / "hook-secret", "proxy-test-secret\n");
    ::chmod((m_sample / "hook-secret").c_str(), 0600);
    std::ofstream(m_sample / "config.yaml", std::ios::app)
        << "alerts:\n  - { type: webhook, url: \"https://127.0.0.1:" << m_receiver->port()
        << "/hooks/secondsight\", hmac_secret_file: hook-secret, ca_file: \""
        << m_pki.ca_cert.string() << "\", min_severity: critical }\n";
  }
  void TearDown() override {
    m_receiver.reset();
    fs::remove_all(m_sample);
    m_pki.remove();
  }

  std::string config() const { return "--config '" + (m_sample / "config.yaml").string() + "'"; }

  // Everything the state folder holds, the database and its WAL included.
  std::string state_bytes() const {
    std::string all;
    for (const auto& entry : fs::recursive_directory_iterator(m_sample / "state"))
      if (entry.is_regular_file()) all += read_file(entry.path());
    return all;
  }

  TestPki m_pki;
  fs::path m_sample;
  std::unique_ptr<HttpsReceiver> m_receiver;
};

TEST_F(WebhookProxyCli, AScanAlertsThroughTheEnvironmentsProxy) {
  auto proxy = Tinyproxy::start({.user = "alice", .password = k_password, .deny_all = false});
  ASSERT_TRUE(proxy);
  const std::string environment =
      "https_proxy='" + proxy->url("alice:" + std::string(k_password)) + "' no_proxy=";
  const auto scan = run_binary("scan " + config() + " --now 2026-06-01", environment);
  EXPECT_EQ(scan.code, 0) << scan.out;
  const auto requests = m_receiver->requests();
  ASSERT_FALSE(requests.empty()) << scan.out << proxy->log();
  for (const auto& request : requests) {
    EXPECT_EQ(request.peer, k_proxy_outgoing_address);
    EXPECT_EQ(request.answered, 200u);
  }
  EXPECT_THAT(proxy->log(), HasSubstr("CONNECT 127.0.0.1:" + std::to_string(m_receiver->port())));
  EXPECT_THAT(scan.out, Not(HasSubstr(k_password)));
}

TEST_F(WebhookProxyCli, NoProxyNamingTheReceiverGoesDirectly) {
  auto proxy = Tinyproxy::start();
  ASSERT_TRUE(proxy);
  const auto scan = run_binary(
      "scan " + config() + " --now 2026-06-01",
      "https_proxy='" + proxy->url() + "' NO_PROXY=nothing.example no_proxy='intranet, 127.0.0.1'");
  EXPECT_EQ(scan.code, 0) << scan.out;
  const auto requests = m_receiver->requests();
  ASSERT_FALSE(requests.empty()) << scan.out;
  for (const auto& request : requests) EXPECT_EQ(request.peer, "127.0.0.1");
  EXPECT_THAT(proxy->log(), Not(HasSubstr("CONNECT 127.0.0.1")));
}

TEST_F(WebhookProxyCli, AWrongProxyPasswordIsAFailureThatNeverShowsIt) {
  auto proxy = Tinyproxy::start({.user = "alice", .password = "the-right-one", .deny_all = false});
  ASSERT_TRUE(proxy);
  const std::string environment =
      "HTTPS_PROXY='" + proxy->url("alice:" + std::string(k_password)) + "'";
  const auto scan =
      run_binary("--log-level info scan " + config() + " --now 2026-06-01", environment);
  EXPECT_TRUE(m_receiver->requests().empty()) << scan.out;
  const std::string refusal =
      "through proxy http://***@127.0.0.1:" + std::to_string(proxy->port()) +
      ": the proxy refused the tunnel";
  EXPECT_THAT(scan.out, HasSubstr(refusal));
  EXPECT_THAT(scan.out, HasSubstr("HTTP 401 Unauthorized"));  // tinyproxy's answer to a wrong one
  const auto history = run_binary("findings history --all --format json " + config());
  EXPECT_EQ(history.code, 0) << history.out;
  EXPECT_THAT(history.out, HasSubstr(refusal));
  for (const std::string& text : {scan.out, history.out, state_bytes()}) {
    EXPECT_THAT(text, Not(HasSubstr(k_password)));
    EXPECT_THAT(text, Not(HasSubstr("alice")));
  }
}

TEST_F(WebhookProxyCli, ABrokenHttpsProxyIsAConfigErrorNamingTheVariable) {
  const std::string environment =
      "https_proxy='https://alice:" + std::string(k_password) + "@proxy.corp.example:3128'";
  const auto check = run_binary("policy check " + config(), environment);
  EXPECT_EQ(check.code, 2) << check.out;
  EXPECT_THAT(check.out, HasSubstr("error: the environment's https_proxy, which this webhook would "
                                   "go through, must be http://[USER:PASSWORD@]HOST[:PORT]: "
                                   "https:// proxies are not supported"));
  EXPECT_THAT(check.out, Not(HasSubstr(k_password)));
  const auto scan = run_binary("scan " + config() + " --now 2026-06-01", environment);
  EXPECT_EQ(scan.code, 2) << scan.out;
  EXPECT_THAT(scan.out, HasSubstr("https_proxy"));
  EXPECT_THAT(scan.out, Not(HasSubstr(k_password)));
  EXPECT_TRUE(m_receiver->requests().empty());

  // The webhook's own `proxy: none` makes the environment's no concern of it.
  std::string text = read_file(m_sample / "config.yaml");
  text.insert(text.rfind(" }"), ", proxy: none");
  write_file(m_sample / "config.yaml", text);
  const auto fixed = run_binary("policy check " + config(), environment);
  EXPECT_EQ(fixed.code, 0) << fixed.out;
}

}  // namespace
}  // namespace secondsight::testing
