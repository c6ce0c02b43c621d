// `alerts list`, `alerts retry` and `alerts skip` through the real binary, with a real HTTPS
// receiver on 127.0.0.1 that turns alerts away until told otherwise; and the daemon told to
// retry by the command, by SIGUSR1 and by SIGHUP, its /metrics counting what happened.
#include <gmock/gmock.h>
#include <sys/stat.h>

#include "fixtures/daemon_process.hpp"
#include "fixtures/https_receiver.hpp"
#include "fixtures/scenario.hpp"
#include "fixtures/test_pki.hpp"

namespace secondsight::testing {
namespace {

using alert::testing::HttpsReceiver;
using alert::testing::TestPki;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* k_token = "alerts-queue-token";

class AlertsQueue : public ::testing::Test {
 protected:
  void SetUp() override {
    m_pki = TestPki::make();
    m_sample = copy_sample();
    m_hook = std::make_unique<HttpsReceiver>(m_pki.server_cert, m_pki.server_key);
    m_api_port = free_loopback_port();
    write_file(m_sample / "hook-secret", "alerts-queue-secret\n");
    write_file(m_sample / "api-token", std::string(k_token) + "\n");
    ::chmod((m_sample / "hook-secret").c_str(), 0600);
    ::chmod((m_sample / "api-token").c_str(), 0600);
    std::ofstream(m_sample / "config.yaml", std::ios::app)
        << "alerts:\n"
           "  - { type: jsonl, path: alerts.jsonl }\n"
           "  - { type: webhook, url: \"https://127.0.0.1:"
        << m_hook->port() << "/hooks/TOKEN-IN-PATH\", hmac_secret_file: hook-secret, ca_file: \""
        << m_pki.ca_cert.string() << "\" }\n"
        << "api: { listen: \"127.0.0.1:" << m_api_port << "\", token_file: api-token }\n";
  }
  void TearDown() override {
    m_hook.reset();
    fs::remove_all(m_sample);
    m_pki.remove();
  }

  std::string config() const { return " --config '" + (m_sample / "config.yaml").string() + "'"; }
  Process run(const std::string& arguments) { return run_binary(arguments + config()); }
  nlohmann::json listed(const std::string& extra = "") {
    auto list = run("alerts list --format json" + extra);
    EXPECT_EQ(list.code, 0) << list.out;
    return nlohmann::json::parse(list.out, nullptr, false);
  }
  nlohmann::json webhook_of(const nlohmann::json& list) {
    for (const auto& sink : list["sinks"])
      if (sink["sink"].get<std::string>().rfind("webhook ", 0) == 0) return sink;
    ADD_FAILURE() << "no webhook sink in " << list;
    return {};
  }
  std::set<std::string> keys_received_with(unsigned status) {
    std::set<std::string> out;
    for (const auto& request : m_hook->requests())
      if (request.answered == status) out.insert(request.headers.at("idempotency-key"));
    return out;
  }

  TestPki m_pki;
  fs::path m_sample;
  std::unique_ptr<HttpsReceiver> m_hook;
  unsigned short m_api_port = 0;
};

TEST_F(AlertsQueue, ListSkipAndRetryWithoutADaemon) {
  m_hook->retry_after("3600");
  m_hook->answer_with({503});
  ASSERT_EQ(run("scan --now 2026-06-01").code, 0);
  ASSERT_EQ(m_hook->requests().size(), 1u);  // the first alert failed and holds up the rest

  // The list: every configured sink, the webhook's queue with its error and next try; no token.
  auto list = listed();
  ASSERT_FALSE(list.is_discarded());
  ASSERT_EQ(list["sinks"].size(), 2u) << list;
  EXPECT_EQ(list["sinks"][0]["queued"], 0) << list;  // the jsonl sink delivered at once
  const auto hook = webhook_of(list);
  const auto queued = hook["queued"].get<std::size_t>();
  ASSERT_GE(queued, 2u) << hook;
  EXPECT_EQ(hook["alerts"].size(), queued);
  EXPECT_THAT(hook["last_error"].get<std::string>(), HasSubstr("503"));
  EXPECT_TRUE(hook["next_try"].is_string());
  EXPECT_TRUE(hook["oldest_age_seconds"].is_number());
  EXPECT_EQ(hook["oldest"]["attempts"], 1);
  auto table = run("alerts list");
  EXPECT_EQ(table.code, 0) << table.out;
  EXPECT_THAT(table.out, HasSubstr("SINK"));
  EXPECT_THAT(table.out, HasSubstr("LAST ERROR"));
  EXPECT_THAT(table.out, HasSubstr(std::to_string(queued) + " alerts waiting"));
  EXPECT_THAT(table.out + list.dump(), Not(HasSubstr("TOKEN-IN-PATH")));

  // --sink by type, by part of a name, and a name no sink has.
  EXPECT_EQ(listed(" --sink webhook")["sinks"].size(), 1u);
  EXPECT_EQ(listed(" --sink 127.0.0.1")["sinks"].size(), 1u);
  auto unknown = run("alerts list --sink slack");
  EXPECT_EQ(unknown.code, 2);
  EXPECT_THAT(unknown.out, HasSubstr("no sink is named 'slack'"));
  EXPECT_THAT(unknown.out, HasSubstr("alerts.jsonl"));  // the sinks there are

  // Skipping the stuck alert: recorded with who and why, in the history and the evidence log.
  const auto stuck = hook["alerts"][0];
  const std::string id = std::to_string(stuck["id"].get<std::int64_t>());
  EXPECT_EQ(run("alerts skip " + id + " --reason ' '").code, 2);
  auto nobody = run("alerts skip 999999 --reason gone");
  EXPECT_EQ(nobody.code, 2);
  EXPECT_THAT(nobody.out, HasSubstr("no alert has the id 999999"));
  auto skip = run("alerts skip " + id + " --reason 'receiver rejects this payload'");
  ASSERT_EQ(skip.code, 0) << skip.out;
  EXPECT_THAT(skip.out, HasSubstr("skipped alert " + id));
  auto again = run("alerts skip " + id + " --reason twice");
  EXPECT_EQ(again.code, 2);
  EXPECT_THAT(again.out, HasSubstr("skipped already"));
  EXPECT_EQ(webhook_of(listed())["queued"].get<std::size_t>(), queued - 1);
  auto history = run("findings history --all");
  EXPECT_EQ(history.code, 0) << history.out;
  EXPECT_THAT(history.out, HasSubstr("alert_skipped"));
  EXPECT_THAT(history.out, HasSubstr("receiver rejects this payload"));
  EXPECT_THAT(history.out, HasSubstr("skipped"));
  EXPECT_EQ(run("evidence verify").code, 0);

  // Retry: the receiver is back; with no daemon, the command delivers what waits itself.
  auto retry = run("alerts retry --sink webhook");
  EXPECT_EQ(retry.code, 0) << retry.out;
  EXPECT_THAT(retry.out, HasSubstr(std::to_string(queued - 1) + " alerts delivered, 0 still"));
  const auto delivered = keys_received_with(200);
  EXPECT_EQ(delivered.size(), queued - 1);
  EXPECT_EQ(delivered.count(m_hook->requests().front().headers.at("idempotency-key")), 0u);
  EXPECT_EQ(webhook_of(listed())["queued"], 0);
  auto idle = run("alerts retry");
  EXPECT_EQ(idle.code, 0);
  EXPECT_THAT(idle.out, HasSubstr("No alert waits"));
}

TEST_F(AlertsQueue, CommandsThatReadTheQueueRefuseAStateThatIsNotThere) {
  for (const std::string command : {"alerts list", "alerts retry", "alerts skip 1 --reason x"}) {
    auto missing = run(command);
    EXPECT_EQ(missing.code, 2) << command;
    EXPECT_THAT(missing.out, HasSubstr("does not exist")) << command;
  }
  EXPECT_FALSE(fs::exists(m_sample / "state")) << "a command created the state folder";
}

TEST_F(AlertsQueue, TheDaemonRetriesWhenToldAndCountsItInItsMetrics) {
  // An hour's wait after each 503: only being told makes the daemon try again soon.
  m_hook->retry_after("3600");
  m_hook->answer_with({503, 503});
  DaemonProcess daemon(SECONDSIGHT_BINARY, m_sample / "config.yaml", m_sample, "2026-06-01");
  ASSERT_TRUE(daemon.wait_for_notification("READY=1")) << read_file(daemon.log_path());
  const auto metrics = [&] { return http_get(m_api_port, "/metrics", k_token).body; };
  // The sinks deliver on their own: the file takes every alert while the receiver refuses one.
  const std::string hook_failed_once =
      "secondsight_alert_delivery_failures_total{sink=\"webhook "
      "https://127.0.0.1:" +
      std::to_string(m_hook->port()) + "/...\"} 1\n";
  const std::string file_emptied =
      "secondsight_outbox_depth{sink=\"jsonl:" + (m_sample / "alerts.jsonl").string() + "\"} 0\n";
  ASSERT_TRUE(DaemonProcess::eventually([&] {
    const std::string text = metrics();
    return text.find(hook_failed_once) != std::string::npos &&
           text.find(file_emptied) != std::string::npos;
  })) << metrics();
  const std::string text = metrics();
  EXPECT_THAT(text, HasSubstr("secondsight_outbox_oldest_age_seconds{sink=\"webhook "));
  EXPECT_THAT(text, HasSubstr("secondsight_build_info{version=\""));
  EXPECT_THAT(text, HasSubstr("\nprocess_resident_memory_bytes "));
  EXPECT_THAT(text, HasSubstr("\nprocess_cpu_seconds_total "));
  EXPECT_THAT(text, HasSubstr("\nprocess_open_fds "));
  EXPECT_THAT(text, Not(HasSubstr("TOKEN-IN-PATH")));

  // `alerts retry` finds the daemon and tells it (SIGUSR1, no reload); the second try meets the
  // second 503.
  auto retry = run("alerts retry");
  EXPECT_EQ(retry.code, 0) << retry.out;
  EXPECT_THAT(retry.out, HasSubstr("the daemon (pid " + std::to_string(daemon.pid()) + ")"));
  ASSERT_TRUE(DaemonProcess::eventually([&] { return m_hook->requests().size() >= 2; }))
      << read_file(daemon.log_path());

  // SIGHUP does the same: the receiver takes everything now.
  daemon.signal(SIGHUP);
  ASSERT_TRUE(DaemonProcess::eventually([&] {
    return metrics().find("secondsight_outbox_depth{sink=\"webhook ") != std::string::npos &&
           metrics().find("secondsight_outbox_depth{sink=\"webhook https://127.0.0.1:" +
                          std::to_string(m_hook->port()) + "/...\"} 0\n") != std::string::npos;
  })) << metrics()
      << read_file(daemon.log_path());
  EXPECT_THAT(metrics(), HasSubstr("secondsight_alert_delivery_failures_total{sink=\"webhook "
                                   "https://127.0.0.1:" +
                                   std::to_string(m_hook->port()) + "/...\"} 2\n"));
  const auto delivered = keys_received_with(200);
  EXPECT_GE(delivered.size(), 2u);

  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_exit(), 0) << read_file(daemon.log_path());
  EXPECT_THAT(read_file(daemon.log_path()), Not(HasSubstr("TOKEN-IN-PATH")));
}

}  // namespace
}  // namespace secondsight::testing
