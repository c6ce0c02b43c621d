// The webhook sink through a real HTTP proxy (tinyproxy) to a real HTTPS receiver, all on
// loopback: the tunnel, what the proxy refuses, TLS verified end to end with the receiver, and
// the proxy's credentials kept out of every message.
#include <gmock/gmock.h>

#include <fstream>
#include <string>
#include <vector>

#include "fixtures/https_receiver.hpp"
#include "fixtures/test_pki.hpp"
#include "fixtures/tinyproxy.hpp"
#include "outbox_fixture.hpp"
#include "secondsight/alert/sink.hpp"

namespace secondsight::alert::testing {
namespace {

using secondsight::testing::k_proxy_outgoing_address;
using secondsight::testing::Tinyproxy;
using secondsight::testing::TinyproxyOptions;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* k_secret = "s3cret-for-tests";
constexpr const char* k_proxy_password = "hunter2-proxy-pw";

class WebhookProxyTest : public OutboxTest {
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

  // A webhook to the receiver on 127.0.0.1:`port`, through `proxy` (a URL as https_proxy would
  // hold it), with the environment's `no_proxy`.
  config::AlertSinkConfig webhook(unsigned short port, const std::string& proxy,
                                  const std::string& no_proxy = "",
                                  const std::filesystem::path& ca = {}) {
    config::AlertSinkConfig sink;
    sink.type = "webhook";
    sink.url = "https://127.0.0.1:" + std::to_string(port) + "/hooks/secondsight";
    sink.hmac_secret_file = m_dir / "secret";
    sink.ca_file = ca.empty() ? s_pki->ca_cert : ca;
    if (!proxy.empty()) {
      auto url = config::parse_proxy_url(proxy);
      EXPECT_TRUE(url) << url.error().message;
      if (url) sink.proxy.url = *url;
      sink.proxy.source = "https_proxy";
      sink.proxy.no_proxy = no_proxy;
    }
    return sink;
  }

  // One delivery pass of alert `n` to `sink`; the problems it reported.
  DeliveryPass deliver(const config::AlertSinkConfig& sink, int n = 1) {
    enqueue(sink_key(sink), n);
    auto sinks = make_sinks({sink});
    EXPECT_EQ(sinks.size(), 1u);
    EXPECT_TRUE(sinks[0].sink) << sinks[0].error;
    Dispatcher dispatcher(*m_db, std::move(sinks), no_jitter());
    auto pass = dispatcher.deliver_due(k_t0 + std::chrono::hours(n));
    EXPECT_TRUE(pass) << pass.error().message;
    return pass ? *pass : DeliveryPass{};
  }

  static std::string connect_line(const HttpsReceiver& receiver) {
    return "CONNECT 127.0.0.1:" + std::to_string(receiver.port()) + " HTTP/1.1";
  }

  static TestPki* s_pki;
};
TestPki* WebhookProxyTest::s_pki = nullptr;

TEST_F(WebhookProxyTest, TheProxyCarriesTheAlert) {
  auto proxy = Tinyproxy::start();
  ASSERT_TRUE(proxy);
  HttpsReceiver receiver(s_pki->server_cert, s_pki->server_key);

  auto pass = deliver(webhook(receiver.port(), proxy->url()));
  EXPECT_EQ(pass.delivered, 1u) << ::testing::PrintToString(pass.problems);
  auto got = receiver.requests();
  ASSERT_EQ(got.size(), 1u);
  // The receiver saw the proxy's address, and the proxy logged the tunnel it opened.
  EXPECT_EQ(got[0].peer, k_proxy_outgoing_address);
  EXPECT_THAT(proxy->log(), HasSubstr(connect_line(receiver)));
  // What arrived is the alert as sent directly: signed, with its key, for its receiver.
  EXPECT_EQ(got[0].target, "/hooks/secondsight");
  EXPECT_EQ(got[0].headers.at("host"), "127.0.0.1:" + std::to_string(receiver.port()));
  EXPECT_EQ(got[0].headers.at("x-secondsight-signature"),
            expected_signature(k_secret, got[0].body));
  EXPECT_EQ(got[0].headers.at("idempotency-key"), "alert-1");
  EXPECT_FALSE(got[0].headers.contains("proxy-authorization"));
  EXPECT_EQ(got[0].body, rows()[0].payload);

  // Without a proxy the receiver sees this process's own address.
  deliver(webhook(receiver.port(), ""), 2);
  ASSERT_EQ(receiver.requests().size(), 2u);
  EXPECT_EQ(receiver.requests()[1].peer, "127.0.0.1");
}

TEST_F(WebhookProxyTest, NoProxyGoesDirectly) {
  auto proxy = Tinyproxy::start();
  ASSERT_TRUE(proxy);
  HttpsReceiver receiver(s_pki->server_cert, s_pki->server_key);
  const std::string port = std::to_string(receiver.port());

  int n = 0;
  for (const std::string& no_proxy : std::vector<std::string>{
           "127.0.0.1", "intranet.example, 127.0.0.1:" + port, "*", "10.0.0.0/8,127.0.0.0/8"}) {
    auto pass = deliver(webhook(receiver.port(), proxy->url(), no_proxy), ++n);
    EXPECT_EQ(pass.delivered, 1u) << no_proxy << ::testing::PrintToString(pass.problems);
    EXPECT_EQ(receiver.requests().back().peer, "127.0.0.1") << no_proxy;
  }
  EXPECT_THAT(proxy->log(), Not(HasSubstr("CONNECT 127.0.0.1")));

  // An entry for another port, or another host, does not cover this receiver.
  for (const char* no_proxy : {"127.0.0.1:1", "localhost", "27.0.0.1"}) {
    auto pass = deliver(webhook(receiver.port(), proxy->url(), no_proxy), ++n);
    EXPECT_EQ(pass.delivered, 1u) << no_proxy << ::testing::PrintToString(pass.problems);
    EXPECT_EQ(receiver.requests().back().peer, k_proxy_outgoing_address) << no_proxy;
  }
}

TEST_F(WebhookProxyTest, AProxyThatRefusesTheTunnelIsAFailureToRetry) {
  auto proxy = Tinyproxy::start({.user = {}, .password = {}, .deny_all = true});
  ASSERT_TRUE(proxy);
  HttpsReceiver receiver(s_pki->server_cert, s_pki->server_key);

  auto pass = deliver(webhook(receiver.port(), proxy->url()));
  EXPECT_EQ(pass.delivered, 0u);
  EXPECT_EQ(pass.failed, 1u);
  EXPECT_TRUE(receiver.requests().empty());
  const auto row = rows()[0];
  EXPECT_EQ(row.last_error, "webhook 127.0.0.1:" + std::to_string(receiver.port()) +
                                " through proxy " + proxy->url() +
                                ": the proxy refused the tunnel to 127.0.0.1:" +
                                std::to_string(receiver.port()) + ": HTTP 403 Access denied");
  EXPECT_FALSE(row.failed_at);  // like any failure to get through: retried soon
  EXPECT_EQ(row.next_attempt_at, k_t0 + std::chrono::hours(1) + std::chrono::seconds(1));
}

TEST_F(WebhookProxyTest, ProxyCredentialsOpenTheTunnelAndNeverShow) {
  auto proxy = Tinyproxy::start({.user = "alice", .password = k_proxy_password, .deny_all = false});
  ASSERT_TRUE(proxy);
  HttpsReceiver receiver(s_pki->server_cert, s_pki->server_key);

  // Without credentials, and with a wrong password: 407, named, with the proxy redacted.
  auto pass = deliver(webhook(receiver.port(), proxy->url()), 1);
  EXPECT_EQ(pass.delivered, 0u);
  EXPECT_THAT(rows()[0].last_error, HasSubstr("the proxy refused the tunnel to 127.0.0.1:" +
                                              std::to_string(receiver.port()) +
                                              ": HTTP 407 Proxy Authentication Required"));
  pass = deliver(
      webhook(receiver.port(), proxy->url("alice:wrong-" + std::string(k_proxy_password))), 2);
  EXPECT_EQ(pass.delivered, 0u);
  const auto refused = rows()[0].last_error;  // alert 1 is still first in line
  EXPECT_THAT(
      refused,
      HasSubstr("through proxy http://***@127.0.0.1:" + std::to_string(proxy->port()) + ":"));
  EXPECT_THAT(refused, HasSubstr("the proxy refused the tunnel"));  // tinyproxy says 401 here
  for (const auto& problem : pass.problems) {
    EXPECT_THAT(problem, Not(HasSubstr(k_proxy_password)));
    EXPECT_THAT(problem, Not(HasSubstr("alice")));
  }
  for (const auto& row : rows()) {
    EXPECT_THAT(row.last_error, Not(HasSubstr(k_proxy_password)));
    EXPECT_THAT(row.last_error, Not(HasSubstr("alice")));
  }
  EXPECT_TRUE(receiver.requests().empty());

  // The right ones, in the URL (percent-encoded as a URL has them) or in a file.
  pass = deliver(webhook(receiver.port(), proxy->url("alice:" + std::string(k_proxy_password))), 3);
  EXPECT_EQ(pass.delivered, 3u) << ::testing::PrintToString(pass.problems);
  std::ofstream(m_dir / "proxy-credentials") << "alice:" << k_proxy_password << "\n";
  auto from_file = webhook(receiver.port(), proxy->url());
  from_file.proxy.source = "proxy";
  from_file.proxy_credentials_file = m_dir / "proxy-credentials";
  pass = deliver(from_file, 4);
  EXPECT_EQ(pass.delivered, 1u) << ::testing::PrintToString(pass.problems);
  ASSERT_EQ(receiver.requests().size(), 4u);
  for (const auto& request : receiver.requests()) {
    EXPECT_EQ(request.peer, k_proxy_outgoing_address);
    // The proxy's credentials are for the proxy: none reaches the receiver.
    EXPECT_FALSE(request.headers.contains("proxy-authorization"));
    EXPECT_THAT(request.body + request.target, Not(HasSubstr(k_proxy_password)));
  }

  // A credentials file that is no USER:PASSWORD is a sink that cannot be set up.
  std::ofstream(m_dir / "proxy-credentials") << k_proxy_password << "\n";
  auto sinks = make_sinks({from_file});
  ASSERT_EQ(sinks.size(), 1u);
  EXPECT_FALSE(sinks[0].sink);
  EXPECT_THAT(sinks[0].error, HasSubstr("must hold USER:PASSWORD"));
  EXPECT_THAT(sinks[0].error, Not(HasSubstr(k_proxy_password)));
}

TEST_F(WebhookProxyTest, TlsIsVerifiedEndToEndWithTheReceiver) {
  auto proxy = Tinyproxy::start();
  ASSERT_TRUE(proxy);
  // A receiver whose certificate names another host: the proxy carries the handshake, and the
  // sink refuses it as it would directly.
  HttpsReceiver wrong_name(s_pki->wrong_name_cert, s_pki->wrong_name_key);
  auto pass = deliver(webhook(wrong_name.port(), proxy->url()), 1);
  EXPECT_EQ(pass.delivered, 0u);
  EXPECT_TRUE(wrong_name.requests().empty());
  EXPECT_THAT(rows()[0].last_error, HasSubstr("TLS handshake with 127.0.0.1:"));
  EXPECT_THAT(rows()[0].last_error, HasSubstr("IP address mismatch"));
  EXPECT_THAT(proxy->log(), HasSubstr(connect_line(wrong_name)));

  // A receiver whose certificate is signed by a CA not trusted here.
  HttpsReceiver receiver(s_pki->server_cert, s_pki->server_key);
  auto untrusted = webhook(receiver.port(), proxy->url(), "", s_pki->other_ca_cert);
  pass = deliver(untrusted, 2);
  EXPECT_EQ(pass.delivered, 0u);
  EXPECT_TRUE(receiver.requests().empty());
  EXPECT_THAT(rows()[1].last_error, HasSubstr("certificate verify failed"));
}

TEST_F(WebhookProxyTest, ARedirectThroughTheProxyIsARefusalNamingWhereTo) {
  auto proxy = Tinyproxy::start();
  ASSERT_TRUE(proxy);
  HttpsReceiver receiver(s_pki->server_cert, s_pki->server_key);
  receiver.answer_with({307});
  auto pass = deliver(webhook(receiver.port(), proxy->url()));
  EXPECT_EQ(pass.delivered, 0u);
  EXPECT_EQ(receiver.requests().size(), 1u);  // not followed
  const auto row = rows()[0];
  EXPECT_EQ(row.failed_at, k_t0 + std::chrono::hours(1));  // a refusal
  EXPECT_THAT(row.last_error, HasSubstr("HTTP 307 Temporary Redirect"));
  EXPECT_THAT(row.last_error, HasSubstr(std::string("redirects are not followed (to ") +
                                        k_redirect_location + ")"));
}

TEST_F(WebhookProxyTest, AnswersEndedByTheConnectionOrInChunksAreRead) {
  auto proxy = Tinyproxy::start();
  ASSERT_TRUE(proxy);
  HttpsReceiver receiver(s_pki->server_cert, s_pki->server_key);
  // No Content-Length, the TLS stream closed without close_notify: the end of the connection
  // ends the body, and is no error.
  receiver.close_abruptly();
  receiver.answer_with({200, 401});
  EXPECT_EQ(deliver(webhook(receiver.port(), proxy->url()), 1).delivered, 1u);
  auto pass = deliver(webhook(receiver.port(), proxy->url()), 2);
  EXPECT_EQ(pass.delivered, 0u);
  EXPECT_THAT(rows()[1].last_error,
              HasSubstr("refused the alert: HTTP 401 Unauthorized: wrong signature"));
  EXPECT_THAT(rows()[1].last_error, Not(HasSubstr("stream truncated")));

  // Chunked, after interim answers.
  HttpsReceiver chunked(s_pki->server_cert, s_pki->server_key);
  chunked.answer_chunked();
  chunked.send_interim_answers();
  chunked.answer_with({200, 400});
  EXPECT_EQ(deliver(webhook(chunked.port(), proxy->url()), 3).delivered, 1u);
  pass = deliver(webhook(chunked.port(), proxy->url()), 4);
  EXPECT_EQ(pass.delivered, 0u);
  EXPECT_THAT(rows()[3].last_error,
              HasSubstr("refused the alert: HTTP 400 Bad Request: sorry, in chunks."));
}

TEST_F(WebhookProxyTest, AProxyThatIsDownIsAFailureNamingIt) {
  unsigned short closed = 0;
  {
    auto proxy = Tinyproxy::start();
    ASSERT_TRUE(proxy);
    closed = proxy->port();
  }  // stopped: connections to its port are refused
  HttpsReceiver receiver(s_pki->server_cert, s_pki->server_key);
  auto pass = deliver(webhook(receiver.port(), "http://127.0.0.1:" + std::to_string(closed)));
  EXPECT_EQ(pass.failed, 1u);
  EXPECT_FALSE(rows()[0].failed_at);
  EXPECT_THAT(rows()[0].last_error,
              HasSubstr("through proxy http://127.0.0.1:" + std::to_string(closed) +
                        ": connecting to the proxy failed: Connection refused"));
  EXPECT_TRUE(receiver.requests().empty());
}

}  // namespace
}  // namespace secondsight::alert::testing
