// The webhook sink against a real HTTPS receiver on 127.0.0.1 with certificates made for the
// test: what it sends, what it refuses to trust, and delivery through outages and restarts.
#include <gmock/gmock.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdio>
#include <cstring>
#include <fstream>

#include "fixtures/https_receiver.hpp"
#include "fixtures/test_pki.hpp"
#include "outbox_fixture.hpp"
#include "secondsight/alert/sink.hpp"

namespace secondsight::alert::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr const char* k_secret = "s3cret-for-tests";

std::string expected_signature(const std::string& body) {
  return alert::testing::expected_signature(k_secret, body);
}

class WebhookTest : public OutboxTest {
 protected:
  static void SetUpTestSuite() { s_pki = new TestPki(TestPki::make()); }
  static void TearDownTestSuite() {
    s_pki->remove();
    delete s_pki;
  }
  void SetUp() override {
    OutboxTest::SetUp();
    std::ofstream(m_dir / "secret") << k_secret << "\n";
  }

  config::AlertSinkConfig webhook(unsigned short port, const std::filesystem::path& ca,
                                  const std::string& host = "127.0.0.1") {
    config::AlertSinkConfig sink;
    sink.type = "webhook";
    sink.url = "https://" + host + ":" + std::to_string(port) + "/hooks/secondsight?team=sec";
    sink.hmac_secret_file = m_dir / "secret";
    sink.ca_file = ca;
    return sink;
  }

  Dispatcher dispatcher(const config::AlertSinkConfig& sink) {
    auto sinks = make_sinks({sink});
    EXPECT_EQ(sinks.size(), 1u);
    EXPECT_TRUE(sinks[0].sink) << sinks[0].error;
    return Dispatcher(*m_db, std::move(sinks), no_jitter());
  }

  static TestPki* s_pki;
};
TestPki* WebhookTest::s_pki = nullptr;

TEST_F(WebhookTest, PostsTheSignedAlertWithItsIdempotencyKey) {
  HttpsReceiver receiver(s_pki->server_cert, s_pki->server_key);
  auto sink = webhook(receiver.port(), s_pki->ca_cert);
  enqueue(sink_key(sink), 1);
  auto pass = dispatcher(sink).deliver_due(k_t0);
  ASSERT_TRUE(pass) << pass.error().message;
  EXPECT_EQ(pass->delivered, 1u) << ::testing::PrintToString(pass->problems);

  auto got = receiver.requests();
  ASSERT_EQ(got.size(), 1u);
  const auto& request = got[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.target, "/hooks/secondsight?team=sec");
  EXPECT_EQ(request.headers.at("content-type"), "application/json");
  EXPECT_EQ(request.headers.at("idempotency-key"), "alert-1");
  EXPECT_EQ(request.headers.at("host"), "127.0.0.1:" + std::to_string(receiver.port()));
  EXPECT_EQ(request.headers.at("x-secondsight-signature"), expected_signature(request.body));
  EXPECT_EQ(request.body, rows()[0].payload);
  auto body = nlohmann::json::parse(request.body);
  EXPECT_EQ(body["id"], "alert-1");
  EXPECT_EQ(body["text"], "secondsight: alert 1");
  EXPECT_EQ(body["severity"], "high");
  EXPECT_EQ(rows()[0].delivered_at, k_t0);
}

TEST_F(WebhookTest, AnUntrustedCertificateIsNotDeliveredTo) {
  HttpsReceiver receiver(s_pki->server_cert, s_pki->server_key);
  auto sink = webhook(receiver.port(), s_pki->other_ca_cert);
  enqueue(sink_key(sink), 1);
  auto pass = dispatcher(sink).deliver_due(k_t0);
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->delivered, 0u);
  EXPECT_TRUE(receiver.requests().empty());
  auto row = rows()[0];
  EXPECT_FALSE(row.delivered_at);
  EXPECT_EQ(row.attempts, 1);
  EXPECT_EQ(row.next_attempt_at, k_t0 + 1s);
  EXPECT_THAT(row.last_error, HasSubstr("127.0.0.1:" + std::to_string(receiver.port())));
  EXPECT_THAT(row.last_error, HasSubstr("TLS handshake"));
  EXPECT_THAT(row.last_error, HasSubstr("certificate verify failed"));
  EXPECT_THAT(row.last_error, HasSubstr("unable to get local issuer certificate"));
}

TEST_F(WebhookTest, TheSystemStoreDoesNotTrustATestCa) {
  HttpsReceiver receiver(s_pki->server_cert, s_pki->server_key);
  auto sink = webhook(receiver.port(), "");  // no ca_file: the system's store
  enqueue(sink_key(sink), 1);
  auto pass = dispatcher(sink).deliver_due(k_t0);
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->delivered, 0u);
  EXPECT_TRUE(receiver.requests().empty());
  EXPECT_THAT(rows()[0].last_error, HasSubstr("certificate verify failed"));
}

TEST_F(WebhookTest, ACertificateForAnotherNameIsNotDeliveredTo) {
  HttpsReceiver receiver(s_pki->wrong_name_cert, s_pki->wrong_name_key);
  auto sink = webhook(receiver.port(), s_pki->ca_cert);
  enqueue(sink_key(sink), 1);
  auto pass = dispatcher(sink).deliver_due(k_t0);
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->delivered, 0u);
  EXPECT_TRUE(receiver.requests().empty());
  EXPECT_THAT(rows()[0].last_error, HasSubstr("IP address mismatch"));

  auto by_name = webhook(receiver.port(), s_pki->ca_cert, "localhost");
  enqueue(sink_key(by_name), 2);
  pass = dispatcher(by_name).deliver_due(k_t0);
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->delivered, 0u);
  EXPECT_THAT(rows()[1].last_error, HasSubstr("hostname mismatch"));
}

TEST_F(WebhookTest, ByHostNameWithTheRightCertificate) {
  HttpsReceiver receiver(s_pki->server_cert, s_pki->server_key);
  auto sink = webhook(receiver.port(), s_pki->ca_cert, "localhost");
  enqueue(sink_key(sink), 1);
  auto pass = dispatcher(sink).deliver_due(k_t0);
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->delivered, 1u) << ::testing::PrintToString(pass->problems);
}

TEST_F(WebhookTest, AReceiverDownForHoursGetsEveryAlertOnceInOrderWhenItReturns) {
  unsigned short port = 0;
  {
    HttpsReceiver probe(s_pki->server_cert, s_pki->server_key);
    port = probe.port();
  }  // closed: connections to the port are refused from here on
  auto sink = webhook(port, s_pki->ca_cert);
  for (int n = 1; n <= 3; ++n) enqueue(sink_key(sink), n);
  auto d = dispatcher(sink);

  // Hours of failures, driven by the clock given to each pass.
  Instant now = k_t0;
  std::vector<Instant> tries;
  for (int attempt = 1; attempt <= 40; ++attempt) {
    auto pass = d.deliver_due(now);
    ASSERT_TRUE(pass);
    ASSERT_EQ(pass->failed, 1u);
    tries.push_back(now);
    now = *pass->next_due;
  }
  EXPECT_EQ(tries[1] - tries[0], 1s);
  EXPECT_EQ(tries[4] - tries[3], 8s);
  EXPECT_EQ(tries[39] - tries[38], 300s);  // capped
  EXPECT_GT(tries[39] - tries[0], 2h);
  auto head = rows()[0];
  EXPECT_EQ(head.attempts, 40);
  EXPECT_THAT(head.last_error, HasSubstr("connecting to 127.0.0.1:" + std::to_string(port)));
  EXPECT_THAT(head.last_error, HasSubstr("refused"));

  HttpsReceiver receiver(s_pki->server_cert, s_pki->server_key, port);
  auto early = d.deliver_due(now - 1s);  // not due yet: nothing sent
  ASSERT_TRUE(early);
  EXPECT_TRUE(receiver.requests().empty());
  auto pass = d.deliver_due(now + 3h);
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->delivered, 3u);
  auto got = receiver.requests();
  ASSERT_EQ(got.size(), 3u);
  for (int n = 1; n <= 3; ++n)
    EXPECT_EQ(got[static_cast<std::size_t>(n - 1)].headers.at("idempotency-key"),
              "alert-" + std::to_string(n));
  EXPECT_EQ(d.deliver_due(now + 4h)->delivered, 0u);
  EXPECT_EQ(receiver.requests().size(), 3u);
}

TEST_F(WebhookTest, ARetryAfterDateIsReadAgainstTheClock) {
  HttpsReceiver receiver(s_pki->server_cert, s_pki->server_key);
  receiver.answer_with({429, 429});
  receiver.retry_after(date::format("%a, %d %b %Y %H:%M:%S GMT", system_now() + 90s));
  auto sink = webhook(receiver.port(), s_pki->ca_cert);
  enqueue(sink_key(sink), 1);
  auto d = dispatcher(sink);
  auto pass = d.deliver_due(k_t0);
  ASSERT_TRUE(pass);
  ASSERT_TRUE(pass->next_due);
  EXPECT_GE(*pass->next_due, k_t0 + 85s);  // the date, less the moments this test took
  EXPECT_LE(*pass->next_due, k_t0 + 90s);

  receiver.retry_after("Sun, 06 Nov 1994 08:49:37 GMT");  // past: the usual backoff
  pass = d.deliver_due(k_t0 + 90s);
  ASSERT_TRUE(pass);
  ASSERT_TRUE(pass->next_due);
  EXPECT_LE(*pass->next_due, k_t0 + 90s + 2s);
}

TEST_F(WebhookTest, ServerErrorsAreRetriedWithTheSameKeyAndClientErrorsRefused) {
  HttpsReceiver receiver(s_pki->server_cert, s_pki->server_key);
  receiver.answer_with({503, 200, 404});
  auto sink = webhook(receiver.port(), s_pki->ca_cert);
  enqueue(sink_key(sink), 1);
  enqueue(sink_key(sink), 2);
  auto d = dispatcher(sink);

  auto pass = d.deliver_due(k_t0);
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->next_due, k_t0 + 7s);  // the receiver's Retry-After
  EXPECT_THAT(rows()[0].last_error, HasSubstr("HTTP 503 Service Unavailable: no thanks"));
  EXPECT_FALSE(rows()[0].failed_at);

  pass = d.deliver_due(k_t0 + 7s);  // 200 for alert 1, 404 for alert 2
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->delivered, 1u);
  EXPECT_EQ(pass->next_due, k_t0 + 7s + 300s);
  auto second = rows()[1];
  EXPECT_EQ(second.failed_at, k_t0 + 7s);
  EXPECT_FALSE(second.delivered_at);
  EXPECT_THAT(second.last_error, HasSubstr("refused the alert: HTTP 404 Not Found"));

  auto got = receiver.requests();
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].headers.at("idempotency-key"), "alert-1");
  EXPECT_EQ(got[1].headers.at("idempotency-key"), "alert-1");  // the retry: the same key
  EXPECT_EQ(got[0].body, got[1].body);
  EXPECT_EQ(got[2].headers.at("idempotency-key"), "alert-2");

  pass = d.deliver_due(k_t0 + 7s + 300s);  // fixed on the receiver's side
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->delivered, 1u);
}

TEST_F(WebhookTest, ARefusalThatEndsWithTheConnectionIsARefusal) {
  // 401 without Content-Length, and the TLS stream closed without close_notify: the status
  // line said it all; no transport error, no retry.
  HttpsReceiver receiver(s_pki->server_cert, s_pki->server_key);
  receiver.close_abruptly();
  receiver.answer_with({401, 200});
  auto sink = webhook(receiver.port(), s_pki->ca_cert);
  enqueue(sink_key(sink), 1);
  auto d = dispatcher(sink);
  auto pass = d.deliver_due(k_t0);
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->failed, 1u);
  ASSERT_EQ(pass->problems.size(), 1u);
  EXPECT_THAT(pass->problems[0],
              HasSubstr("refused the alert: HTTP 401 Unauthorized: wrong signature (alert 1"));
  EXPECT_THAT(pass->problems[0], HasSubstr("next try at"));
  EXPECT_EQ(rows()[0].failed_at, k_t0);  // a refusal, not a failure to retry soon
  EXPECT_EQ(pass->next_due, k_t0 + 300s);

  // A 200 the same way is a delivery.
  pass = d.deliver_due(k_t0 + 300s);
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->delivered, 1u) << (pass->problems.empty() ? "" : pass->problems[0]);
}

TEST_F(WebhookTest, ARedirectIsARefusalNamingWhereTo) {
  HttpsReceiver receiver(s_pki->server_cert, s_pki->server_key);
  receiver.answer_with({302});
  auto sink = webhook(receiver.port(), s_pki->ca_cert);
  enqueue(sink_key(sink), 1);
  auto pass = dispatcher(sink).deliver_due(k_t0);
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->delivered, 0u);
  EXPECT_EQ(receiver.requests().size(), 1u);  // not followed anywhere
  EXPECT_EQ(rows()[0].failed_at, k_t0);       // a refusal
  EXPECT_THAT(rows()[0].last_error,
              HasSubstr(std::string("HTTP 302 Found: no thanks; redirects are not followed (to ") +
                        k_redirect_location + ")"));
}

TEST_F(WebhookTest, InterimAnswersAndChunkedBodiesAreRead) {
  // 100 Continue and 103 Early Hints come before the final answer, asked for or not; the final
  // one's body comes in chunks.
  HttpsReceiver receiver(s_pki->server_cert, s_pki->server_key);
  receiver.send_interim_answers();
  receiver.answer_chunked();
  receiver.answer_with({200, 503, 422});
  auto sink = webhook(receiver.port(), s_pki->ca_cert);
  enqueue(sink_key(sink), 1);
  enqueue(sink_key(sink), 2);
  auto d = dispatcher(sink);
  auto pass = d.deliver_due(k_t0);
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->delivered, 1u) << ::testing::PrintToString(pass->problems);
  ASSERT_EQ(pass->problems.size(), 1u);
  EXPECT_THAT(pass->problems[0],
              HasSubstr("answered HTTP 503 Service Unavailable: sorry, in chunks."));
  EXPECT_FALSE(rows()[1].failed_at);  // 503: tried again
  pass = d.deliver_due(k_t0 + 1h);
  ASSERT_TRUE(pass);
  EXPECT_EQ(rows()[1].failed_at, k_t0 + 1h);  // 422: refused
  EXPECT_THAT(rows()[1].last_error,
              HasSubstr("refused the alert: HTTP 422 Unprocessable Entity: sorry, in chunks."));
  EXPECT_EQ(receiver.requests().size(), 3u);
}

TEST_F(WebhookTest, AReceiverThatHangsOrCutsItsAnswerShortIsTriedAgain) {
  HttpsReceiver receiver(s_pki->server_cert, s_pki->server_key);
  auto sink = webhook(receiver.port(), s_pki->ca_cert);
  enqueue(sink_key(sink), 1);
  auto d = dispatcher(sink);

  // Hangs: the pass's deadline ends the attempt, and the alert waits for its next try.
  receiver.hang();
  auto pass = d.deliver_due(k_t0, std::chrono::steady_clock::now() + 2s);
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->delivered, 0u);
  ASSERT_EQ(pass->problems.size(), 1u);
  EXPECT_THAT(pass->problems[0], HasSubstr("out of time waiting for the answer of 127.0.0.1:"));
  EXPECT_FALSE(rows()[0].failed_at);  // a failure to retry, not a refusal

  // Closes halfway through the status line: no answer, tried again.
  receiver.cut_mid_answer();
  pass = d.deliver_due(k_t0 + 1h);
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->delivered, 0u);
  ASSERT_EQ(pass->problems.size(), 1u);
  EXPECT_THAT(pass->problems[0], HasSubstr("waiting for the answer of 127.0.0.1:"));
  EXPECT_FALSE(rows()[0].failed_at);

  EXPECT_EQ(receiver.requests().size(), 2u);
  EXPECT_EQ(rows()[0].attempts, 2);
}

TEST_F(WebhookTest, ARestartDeliversWhatIsLeftNoneTwice) {
  HttpsReceiver receiver(s_pki->server_cert, s_pki->server_key);
  receiver.answer_with({200, 500});
  auto sink = webhook(receiver.port(), s_pki->ca_cert);
  for (int n = 1; n <= 3; ++n) enqueue(sink_key(sink), n);
  {
    auto pass = dispatcher(sink).deliver_due(k_t0);
    ASSERT_TRUE(pass);
    EXPECT_EQ(pass->delivered, 1u);
  }
  reopen();  // a new process: a new connection, new sinks, a new dispatcher
  auto pass = dispatcher(sink).deliver_due(k_t0 + 1min);
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->delivered, 2u);
  std::vector<std::string> delivered;
  for (const auto& request : receiver.requests())
    if (request.answered == 200) delivered.push_back(request.headers.at("idempotency-key"));
  EXPECT_EQ(delivered, (std::vector<std::string>{"alert-1", "alert-2", "alert-3"}));
}

TEST_F(WebhookTest, ASinkWithoutItsSecretCannotBeSetUp) {
  auto sink = webhook(443, s_pki->ca_cert);
  sink.hmac_secret_file = m_dir / "missing";
  sink.where = {"/etc/secondsight.yaml", 12, 5};
  auto sinks = make_sinks({sink});
  ASSERT_EQ(sinks.size(), 1u);
  EXPECT_FALSE(sinks[0].sink);
  EXPECT_EQ(sinks[0].error, "/etc/secondsight.yaml:12: cannot read hmac_secret_file " +
                                (m_dir / "missing").string());
  std::ofstream(m_dir / "empty") << "\n";
  sink.hmac_secret_file = m_dir / "empty";
  EXPECT_THAT(make_sinks({sink})[0].error, HasSubstr("is empty"));
  sink.hmac_secret_file = m_dir / "secret";
  sink.ca_file = m_dir / "no-such-ca.pem";
  EXPECT_THAT(make_sinks({sink})[0].error, HasSubstr("cannot read ca_file"));
}

TEST(WebhookSignature, IsTheHexHmacSha256OfTheBody) {
  // RFC 4231 test case 2.
  EXPECT_EQ(webhook_signature("Jefe", "what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(WebhookAnswer, TheReceiversResponseDecidesTheOutcome) {
  using namespace std::chrono_literals;
  const Instant now{std::chrono::seconds{1773662400}};  // 2026-03-16T12:00:00Z
  EXPECT_EQ(webhook_answer("w", "HTTP/1.1 204 No Content\r\n\r\n", now).outcome,
            Delivery::Outcome::delivered);
  const auto busy = webhook_answer(
      "w", "HTTP/1.1 503 Busy\r\nRetry-After: 120\r\nContent-Length: 5\r\n\r\nlater", now);
  EXPECT_EQ(busy.outcome, Delivery::Outcome::retry);
  EXPECT_EQ(busy.retry_after, 120s);
  EXPECT_EQ(busy.error, "w answered HTTP 503 Busy: later");
  const auto dated = webhook_answer(
      "w", "HTTP/1.1 429 Slow down\r\nRetry-After: Mon, 16 Mar 2026 12:01:00 GMT\r\n\r\n", now);
  EXPECT_EQ(dated.retry_after, 60s);
  const auto moved = webhook_answer(
      "w", "HTTP/1.1 301 Moved\r\nLocation: https://other.example/\r\nContent-Length: 0\r\n\r\n",
      now);
  EXPECT_EQ(moved.outcome, Delivery::Outcome::refused);
  EXPECT_THAT(moved.error, HasSubstr("redirects are not followed (to https://other.example/)"));
  EXPECT_EQ(webhook_answer("w", "HTTP/1.1 403 Forbidden\r\n\r\n", now).outcome,
            Delivery::Outcome::refused);
  // The status line decides: a body cut short after it changes nothing.
  EXPECT_EQ(webhook_answer("w", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", now).outcome,
            Delivery::Outcome::delivered);
  // A response cut short before its header ended, or none at all, was not an answer: the alert
  // is tried again.
  for (const char* cut : {"HTTP/1.1 200 OK\r\nContent-Le", "HTTP/1.1 20", ""}) {
    const auto answer = webhook_answer("w", cut, now);
    EXPECT_EQ(answer.outcome, Delivery::Outcome::retry) << cut;
    EXPECT_THAT(answer.error, HasSubstr("w: unreadable answer")) << cut;
  }
}

TEST(WebhookAnswer, InterimAnswersComeBeforeTheFinalOne) {
  const Instant now{std::chrono::seconds{1773662400}};
  EXPECT_EQ(webhook_answer("w",
                           "HTTP/1.1 100 Continue\r\n\r\n"
                           "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                           "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n",
                           now)
                .outcome,
            Delivery::Outcome::delivered);
  const auto refused = webhook_answer(
      "w", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 403 Forbidden\r\n\r\nnot you", now);
  EXPECT_EQ(refused.outcome, Delivery::Outcome::refused);
  EXPECT_EQ(refused.error, "w refused the alert: HTTP 403 Forbidden: not you");
  // Only an interim answer, and then the end: no answer.
  const auto none = webhook_answer("w", "HTTP/1.1 100 Continue\r\n\r\n", now);
  EXPECT_EQ(none.outcome, Delivery::Outcome::retry);
  EXPECT_THAT(none.error, HasSubstr("w: unreadable answer"));
  // 101 switches protocols, which an alert never asks for: no delivery.
  EXPECT_EQ(webhook_answer("w", "HTTP/1.1 101 Switching Protocols\r\n\r\n", now).outcome,
            Delivery::Outcome::retry);
}

TEST(WebhookAnswer, TheStatusLineDecidesAndABodyIsHeldToItsLimit) {
  const Instant now{std::chrono::seconds{1773662400}};
  // An announced length is never made room for: 2^64-1 bytes would not fit in any string.
  const auto huge = webhook_answer(
      "w", "HTTP/1.1 503 Busy\r\nContent-Length: 18446744073709551615\r\n\r\n`", now);
  EXPECT_EQ(huge.outcome, Delivery::Outcome::retry);
  EXPECT_EQ(huge.error, "w answered HTTP 503 Busy: `");
  // A body longer than the limit: its start is the excerpt; the status still decides.
  const auto chunk = [](char c) { return "10000\r\n" + std::string(0x10000, c) + "\r\n"; };
  for (const std::string& answer :
       {std::string("HTTP/1.1 200 OK\r\nContent-Length: 4499999999\r\n\r\n") +
            std::string(70000, 'x'),
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk('x') + chunk('x') +
            "0\r\n\r\n"}) {
    EXPECT_EQ(webhook_answer("w", answer, now).outcome, Delivery::Outcome::delivered)
        << answer.substr(0, 60);
  }
  const auto long_refusal = webhook_answer(
      "w", "HTTP/1.1 400 Bad\r\nContent-Length: 99999\r\n\r\n" + std::string(99999, 'y'), now);
  EXPECT_EQ(long_refusal.outcome, Delivery::Outcome::refused);
  EXPECT_THAT(long_refusal.error, StartsWith("w refused the alert: HTTP 400 Bad: yyy"));
  EXPECT_LT(long_refusal.error.size(), 300u);
  // A refusal whose body ends with the connection (no Content-Length): read to the end.
  const auto closed = webhook_answer("w", "HTTP/1.1 401 Unauthorized\r\n\r\nwrong signature", now);
  EXPECT_EQ(closed.outcome, Delivery::Outcome::refused);
  EXPECT_EQ(closed.error, "w refused the alert: HTTP 401 Unauthorized: wrong signature");
}

TEST(WebhookAnswer, TheReceiversWordsStayOnOnePrintableLine) {
  const Instant now{std::chrono::seconds{1773662400}};
  // HTTP lets a reason phrase hold a tab; a log line must not.
  const auto answer =
      webhook_answer("w", "HTTP/1.1 500 Broken\tdown\r\nContent-Length: 8\r\n\r\nline\ntwo", now);
  EXPECT_EQ(answer.error, "w answered HTTP 500 Broken down: line two");
}

TEST(WebhookUrl, OnlyHttpsWithAHost) {
  auto url = parse_webhook_url("https://siem.example.com/hooks/x?a=1#frag");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->host, "siem.example.com");
  EXPECT_EQ(url->port, "443");
  EXPECT_EQ(url->target, "/hooks/x?a=1");
  auto v6 = parse_webhook_url("HTTPS://[::1]:8443");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, "8443");
  EXPECT_EQ(v6->target, "/");
  EXPECT_FALSE(parse_webhook_url("http://127.0.0.1/x"));
  EXPECT_FALSE(parse_webhook_url("https://user:pw@host/x"));
  EXPECT_FALSE(parse_webhook_url("https:///x"));
  EXPECT_FALSE(parse_webhook_url("https://host:99999/"));
}

TEST(SinkKeys, NameTheReceiverAndHideWebhookPaths) {
  config::AlertSinkConfig a;
  a.type = "webhook";
  a.url = "https://hooks.slack.com/services/T0/B0/secret";
  a.min_severity = Severity::high;
  config::AlertSinkConfig b = a;
  b.min_severity = Severity::medium;
  config::AlertSinkConfig journal;
  journal.type = "journal";
  EXPECT_EQ(sink_key(a), "webhook:https://hooks.slack.com/services/T0/B0/secret");
  EXPECT_EQ(describe_sink(sink_key(a)), "webhook https://hooks.slack.com/...");
  auto routes = alert_routes({a, journal, b});
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0].min_severity, Severity::medium);  // the same receiver once
  EXPECT_EQ(routes[1].sink, "journal");
  EXPECT_EQ(routes[1].min_severity, Severity::info);
}

}  // namespace
}  // namespace secondsight::alert::testing
