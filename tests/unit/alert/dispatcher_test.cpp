// The dispatcher against a scripted sink: order, backoff, refusals, deadlines, sinks that
// cannot deliver.
#include "secondsight/alert/dispatcher.hpp"

#include <gmock/gmock.h>

#include <deque>

#include "outbox_fixture.hpp"

namespace secondsight::alert::testing {
namespace {

using ::testing::HasSubstr;

// Answers with the outcomes it is given (delivered once they are used up); records the ids of
// the alerts it was asked to deliver.
struct ScriptedSink final : Sink {
  std::deque<Delivery> script;
  std::vector<std::string>* seen;
  explicit ScriptedSink(std::vector<std::string>* log) : seen(log) {}
  Delivery deliver(const store::OutboxEntry& alert, Deadline) override {
    seen->push_back(alert.idempotency_key);
    if (script.empty()) return Delivery::ok();
    Delivery next = script.front();
    script.pop_front();
    return next;
  }
};

class DispatcherTest : public OutboxTest {
 protected:
  ScriptedSink* add_sink(const std::string& key) {
    auto sink = std::make_unique<ScriptedSink>(&m_seen[key]);
    ScriptedSink* raw = sink.get();
    m_sinks.push_back(ConfiguredSink{key, "config.yaml:1", std::move(sink), ""});
    return raw;
  }
  Dispatcher dispatcher(RetryPolicy policy = no_jitter()) {
    return Dispatcher(*m_db, std::move(m_sinks), std::move(policy));
  }

  std::vector<ConfiguredSink> m_sinks;
  std::map<std::string, std::vector<std::string>> m_seen;
};

TEST(RetryDelay, DoublesFromOneSecondToFiveMinutesWithJitter) {
  RetryPolicy policy;
  std::vector<long> delays;
  for (int failures = 1; failures <= 12; ++failures)
    delays.push_back(retry_delay(policy, failures, 0.0).count());
  EXPECT_EQ(delays, (std::vector<long>{1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300}));
  EXPECT_EQ(retry_delay(policy, 1000000, 0.0).count(), 300);
  // Jitter takes up to a quarter off, never below one second.
  EXPECT_EQ(retry_delay(policy, 9, 0.99).count(), 192);
  EXPECT_EQ(retry_delay(policy, 12, 0.5).count(), 262);
  EXPECT_EQ(retry_delay(policy, 1, 0.99).count(), 1);
}

TEST_F(DispatcherTest, DeliversEachSinksAlertsInOrder) {
  for (int n = 1; n <= 3; ++n) enqueue("a", n);
  enqueue("b", 4);
  add_sink("a");
  add_sink("b");
  auto pass = dispatcher().deliver_due(k_t0);
  ASSERT_TRUE(pass) << pass.error().message;
  EXPECT_EQ(pass->delivered, 4u);
  EXPECT_FALSE(pass->next_due);
  EXPECT_EQ(m_seen["a"], (std::vector<std::string>{"alert-1", "alert-2", "alert-3"}));
  EXPECT_EQ(m_seen["b"], std::vector<std::string>{"alert-4"});
  for (const auto& row : rows()) {
    EXPECT_EQ(row.delivered_at, k_t0);
    EXPECT_EQ(row.attempts, 1);
  }
}

TEST_F(DispatcherTest, AFailureHoldsBackTheAlertsAfterItAndBacksOff) {
  for (int n = 1; n <= 3; ++n) enqueue("a", n);
  enqueue("b", 4);
  auto* a = add_sink("a");
  add_sink("b");
  for (int i = 0; i < 4; ++i) a->script.push_back(Delivery::failed("receiver down"));
  auto d = dispatcher();

  std::vector<Instant> due;
  Instant now = k_t0;
  for (int attempt = 1; attempt <= 4; ++attempt) {
    auto pass = d.deliver_due(now);
    ASSERT_TRUE(pass);
    EXPECT_EQ(pass->failed, 1u);
    ASSERT_TRUE(pass->next_due);
    due.push_back(*pass->next_due);
    // Not due in between: nothing is tried.
    auto early = d.deliver_due(*pass->next_due - 1s);
    ASSERT_TRUE(early);
    EXPECT_EQ(early->failed + early->delivered, 0u);
    now = *pass->next_due;
  }
  EXPECT_EQ(due, (std::vector<Instant>{k_t0 + 1s, k_t0 + 3s, k_t0 + 7s, k_t0 + 15s}));
  // The other sink was not held up.
  EXPECT_EQ(m_seen["b"], std::vector<std::string>{"alert-4"});
  auto head = rows()[0];
  EXPECT_EQ(head.attempts, 4);
  EXPECT_EQ(head.last_error, "receiver down");
  EXPECT_EQ(head.next_attempt_at, k_t0 + 15s);
  EXPECT_FALSE(head.failed_at);

  auto pass = d.deliver_due(now);  // back
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->delivered, 3u);
  EXPECT_EQ(m_seen["a"], (std::vector<std::string>{"alert-1", "alert-1", "alert-1", "alert-1",
                                                   "alert-1", "alert-2", "alert-3"}));
}

TEST_F(DispatcherTest, ARefusalWaitsTheLongestAndStaysFirstInLine) {
  enqueue("a", 1);
  enqueue("a", 2);
  auto* a = add_sink("a");
  a->script.push_back({Delivery::Outcome::refused, "HTTP 401 Unauthorized", {}});
  auto d = dispatcher();
  auto pass = d.deliver_due(k_t0);
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->next_due, k_t0 + 300s);
  ASSERT_EQ(pass->problems.size(), 1u);
  EXPECT_THAT(pass->problems[0], HasSubstr("HTTP 401 Unauthorized"));
  EXPECT_THAT(pass->problems[0], HasSubstr("2 alerts queued"));
  EXPECT_EQ(rows()[0].failed_at, k_t0);
  EXPECT_FALSE(rows()[1].delivered_at);

  pass = d.deliver_due(k_t0 + 300s);  // the receiver was fixed
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->delivered, 2u);
  EXPECT_EQ(m_seen["a"], (std::vector<std::string>{"alert-1", "alert-1", "alert-2"}));
}

TEST_F(DispatcherTest, RetryAfterIsHonouredUpToTheCap) {
  enqueue("a", 1);
  auto* a = add_sink("a");
  Delivery busy = Delivery::failed("HTTP 429");
  busy.retry_after = 30s;
  Delivery very_busy = Delivery::failed("HTTP 503");
  very_busy.retry_after = 3600s;
  a->script = {busy, very_busy};
  auto d = dispatcher();
  EXPECT_EQ(d.deliver_due(k_t0)->next_due, k_t0 + 30s);
  EXPECT_EQ(d.deliver_due(k_t0 + 30s)->next_due, k_t0 + 30s + 300s);
}

TEST_F(DispatcherTest, APassEndsAtItsDeadline) {
  enqueue("a", 1);
  enqueue("a", 2);
  add_sink("a");
  auto pass = dispatcher().deliver_due(k_t0, std::chrono::steady_clock::now() - 1s);
  ASSERT_TRUE(pass);
  EXPECT_TRUE(pass->out_of_time);
  EXPECT_EQ(pass->delivered, 0u);
  EXPECT_EQ(pass->next_due, k_t0);
  EXPECT_TRUE(m_seen["a"].empty());
}

TEST_F(DispatcherTest, AlertsOfSinksThatCannotDeliverStayQueued) {
  enqueue("broken", 1);
  enqueue("gone", 2);
  m_sinks.push_back(ConfiguredSink{"broken", "config.yaml:7", nullptr,
                                   "config.yaml:7: cannot read hmac_secret_file /x"});
  auto pass = dispatcher().deliver_due(k_t0);
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->problems,
            (std::vector<std::string>{
                "1 alert for broken stay queued: config.yaml:7: cannot read hmac_secret_file /x",
                "1 alert for gone stay queued: that sink is no longer configured"}));
  for (const auto& row : rows()) {
    EXPECT_FALSE(row.delivered_at);
    EXPECT_EQ(row.attempts, 0);
  }
}

TEST_F(DispatcherTest, ARestartDeliversWhatIsLeftAndNothingTwice) {
  for (int n = 1; n <= 3; ++n) enqueue("a", n);
  {
    auto* a = add_sink("a");
    a->script = {Delivery::ok(), Delivery::failed("down")};
    auto pass = dispatcher().deliver_due(k_t0);
    ASSERT_TRUE(pass);
    EXPECT_EQ(pass->delivered, 1u);
  }
  reopen();  // a new process
  add_sink("a");
  auto pass = dispatcher().deliver_due(k_t0 + 1h);
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->delivered, 2u);
  EXPECT_EQ(m_seen["a"], (std::vector<std::string>{"alert-1", "alert-2", "alert-2", "alert-3"}));
}

}  // namespace
}  // namespace secondsight::alert::testing
