// The real daemon keeps personal data off the wire: with a certificate and key its API speaks
// TLS only (every route, verified by a client that trusts the test CA), plain HTTP gets nothing
// from it, a certificate or key it cannot use stops it at start with exit 2, and a plain
// listener off loopback is refused by the daemon and by `policy check` alike.
#include <gmock/gmock.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "fixtures/daemon_process.hpp"
#include "fixtures/scenario.hpp"
#include "fixtures/test_pki.hpp"

namespace secondsight::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* k_token = "tls-token-5678";

struct TlsAnswer {
  std::string failure;   // where the exchange broke off, "" when it did not
  std::string protocol;  // "TLSv1.3"
  unsigned status = 0;
  std::string body;
};

TlsAnswer broke_off(const std::string& where, const boost::system::error_code& ec) {
  TlsAnswer answer;
  answer.failure = where + ": " + ec.message();
  return answer;
}

// GET https://127.0.0.1:PORT/TARGET with `authorization` (no header when empty), the server's
// certificate verified against `ca` and required to name 127.0.0.1. `max_version` caps what the
// client offers (0: no cap).
TlsAnswer https_get(unsigned short port, const std::string& target,
                    const std::string& authorization, const fs::path& ca, int max_version = 0) {
  asio::io_context io;
  ssl::context tls(ssl::context::tls_client);
  tls.set_verify_mode(ssl::verify_peer);
  tls.load_verify_file(ca.string());
  if (max_version != 0) {
    // Offer the old version for real: OpenSSL's own floor would refuse it on our side first.
    SSL_CTX_set_security_level(tls.native_handle(), 0);
    SSL_CTX_set_min_proto_version(tls.native_handle(), 0);
    SSL_CTX_set_max_proto_version(tls.native_handle(), max_version);
  }
  beast::ssl_stream<beast::tcp_stream> stream(io, tls);
  X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(stream.native_handle()), "127.0.0.1");
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(30));
  TlsAnswer answer;
  beast::error_code ec;
  beast::get_lowest_layer(stream).connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                                          ec);
  if (ec) return broke_off("connect", ec);
  stream.handshake(ssl::stream_base::client, ec);
  if (ec) return broke_off("handshake", ec);
  answer.protocol = SSL_get_version(stream.native_handle());
  http::request<http::empty_body> request(http::verb::get, target, 11);
  request.set(http::field::host, "127.0.0.1");
  if (!authorization.empty()) request.set(http::field::authorization, authorization);
  http::write(stream, request, ec);
  if (ec) return broke_off("write", ec);
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(stream, buffer, response, ec);
  if (ec) return broke_off("read", ec);
  answer.status = response.result_int();
  answer.body = response.body();
  stream.shutdown(ec);  // the server's close_notify; how it ends does not matter here
  return answer;
}

// Every byte a plain HTTP request gets back from 127.0.0.1:PORT before the connection ends.
std::string plain_exchange(unsigned short port, const std::string& target) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(30));
  beast::error_code ec;
  stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
  if (ec) return "connect: " + ec.message();
  const std::string request = "GET " + target +
                              " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + k_token +
                              "\r\n\r\n";
  asio::write(stream, asio::buffer(request), ec);
  std::string received;
  char chunk[4096];
  while (!ec) {
    const std::size_t got = stream.read_some(asio::buffer(chunk), ec);
    received.append(chunk, got);
  }
  return received;
}

class DaemonApiTls : public ::testing::Test {
 protected:
  void SetUp() override {
    m_pki = alert::testing::TestPki::make();
    m_sample = copy_sample();
    m_port = free_loopback_port();
    write_file(m_sample / "token", std::string(k_token) + "\n");
    ::chmod((m_sample / "token").c_str(), 0600);
  }
  void TearDown() override {
    fs::remove_all(m_sample);
    m_pki.remove();
  }

  // The sample's config with `api` as given, on its last line (the line number errors name).
  int write_api(const std::string& fields) {
    const std::string config = read_file(m_sample / "config.yaml");
    write_file(m_sample / "config.yaml", config + "api: { " + fields + " }\n");
    return static_cast<int>(std::count(config.begin(), config.end(), '\n')) + 1;
  }
  std::string tls_fields(const fs::path& cert, const fs::path& key) const {
    return "listen: \"127.0.0.1:" + std::to_string(m_port) +
           "\", token_file: token, tls_cert_file: '" + cert.string() + "', tls_key_file: '" +
           key.string() + "'";
  }
  TlsAnswer get(const std::string& target, const std::string& scheme = "Bearer") const {
    return https_get(m_port, target, scheme + " " + k_token, m_pki.ca_cert);
  }

  alert::testing::TestPki m_pki;
  fs::path m_sample;
  unsigned short m_port = 0;
};

TEST_F(DaemonApiTls, ServesEveryRouteOverVerifiedTlsAndNothingOverPlainHttp) {
  write_api(tls_fields(m_pki.server_cert, m_pki.server_key));
  DaemonProcess daemon(SECONDSIGHT_BINARY, m_sample / "config.yaml", m_sample, "2026-06-01");
  ASSERT_TRUE(daemon.wait_for_notification("READY=1")) << read_file(daemon.log_path());
  EXPECT_THAT(read_file(daemon.log_path()),
              HasSubstr("api listening on 127.0.0.1:" + std::to_string(m_port) + " (TLS)"));

  // The findings of the first scan, over TLS that the client verified.
  nlohmann::json findings;
  ASSERT_TRUE(DaemonProcess::eventually([&] {
    const auto answer = get("/api/v1/findings");
    if (answer.status != 200) return false;
    findings = nlohmann::json::parse(answer.body, nullptr, false);
    return !findings.is_discarded() && findings["findings"].size() == 12u;
  })) << get("/api/v1/findings").failure
      << read_file(daemon.log_path());

  const auto health = get("/healthz");
  EXPECT_EQ(health.failure, "");
  EXPECT_THAT(health.protocol, ::testing::AnyOf("TLSv1.2", "TLSv1.3"));
  EXPECT_THAT(health.body, HasSubstr("\"status\""));
  const auto metrics = get("/metrics");
  EXPECT_EQ(metrics.status, 200u) << metrics.failure;
  EXPECT_THAT(metrics.body, HasSubstr("\nsecondsight_scans_total "));

  // The scheme's name in any case; the token exactly.
  for (const std::string scheme : {"bearer", "BEARER", "BeArEr"}) {
    const auto answer = get("/api/v1/findings", scheme);
    EXPECT_EQ(answer.status, 200u) << scheme << ": " << answer.failure;
    EXPECT_THAT(answer.body, HasSubstr("\"fingerprint\"")) << scheme;
  }
  for (const std::string& authorization :
       {std::string("Bearer ") + k_token + "x", std::string("Bearer TLS-TOKEN-5678"),
        std::string("Basic ") + k_token, std::string(k_token), std::string()}) {
    const auto denied = https_get(m_port, "/api/v1/findings", authorization, m_pki.ca_cert);
    EXPECT_EQ(denied.status, 401u) << authorization << ": " << denied.failure;
    EXPECT_THAT(denied.body, Not(HasSubstr("fingerprint"))) << authorization;
  }

  // Plain HTTP to the TLS listener, with the right token: not a byte of HTTP, let alone data.
  for (const std::string target : {"/api/v1/findings", "/healthz", "/metrics"}) {
    const std::string plain = plain_exchange(m_port, target);
    EXPECT_THAT(plain, Not(HasSubstr("HTTP/"))) << target;
    EXPECT_THAT(plain, Not(HasSubstr("fingerprint"))) << target;
    EXPECT_THAT(plain, Not(HasSubstr("secondsight_"))) << target;
  }
  // A client that trusts another CA refuses the server: the certificate is what is verified.
  const auto other =
      https_get(m_port, "/healthz", std::string("Bearer ") + k_token, m_pki.other_ca_cert);
  EXPECT_THAT(other.failure, HasSubstr("handshake: "));
  EXPECT_EQ(other.status, 0u);
  // Nothing older than TLS 1.2 is spoken.
  const auto old = https_get(m_port, "/healthz", std::string("Bearer ") + k_token, m_pki.ca_cert,
                             TLS1_1_VERSION);
  EXPECT_THAT(old.failure, HasSubstr("handshake: "));
  EXPECT_EQ(old.status, 0u);

  // The daemon serves on after all of that.
  EXPECT_EQ(get("/healthz").failure, "");
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_exit(), 0) << read_file(daemon.log_path());
}

TEST_F(DaemonApiTls, AReloadPutsANewCertificateInForceAndKeepsTheOldOneWhenTheNewIsBroken) {
  const fs::path cert = m_sample / "api.crt";
  const fs::path key = m_sample / "api.key";
  fs::copy_file(m_pki.server_cert, cert);
  fs::copy_file(m_pki.server_key, key);
  write_api(tls_fields(cert, key));
  DaemonProcess daemon(SECONDSIGHT_BINARY, m_sample / "config.yaml", m_sample, "2026-06-01");
  ASSERT_TRUE(daemon.wait_for_notification("READY=1")) << read_file(daemon.log_path());
  ASSERT_EQ(get("/healthz").failure, "");

  // A key that is not the certificate's: the reload is refused, the old pair serves on.
  fs::copy_file(m_pki.wrong_name_key, key, fs::copy_options::overwrite_existing);
  daemon.clear_notifications();
  daemon.signal(SIGHUP);
  ASSERT_TRUE(daemon.wait_for_notification("READY=1")) << read_file(daemon.log_path());
  const auto kept = get("/healthz");
  EXPECT_EQ(kept.failure, "");
  EXPECT_THAT(kept.body,
              HasSubstr("reload: api: tls_key_file " + key.string() +
                        " does not belong to the certificate in tls_cert_file " + cert.string()));

  // A good pair for another name: in force from the reload on, so this client refuses it.
  fs::copy_file(m_pki.wrong_name_cert, cert, fs::copy_options::overwrite_existing);
  daemon.clear_notifications();
  daemon.signal(SIGHUP);
  ASSERT_TRUE(daemon.wait_for_notification("READY=1")) << read_file(daemon.log_path());
  const auto renewed = get("/healthz");
  EXPECT_THAT(renewed.failure, HasSubstr("handshake: ")) << read_file(daemon.log_path());

  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_exit(), 0) << read_file(daemon.log_path());
}

TEST_F(DaemonApiTls, ACertificateOrKeyItCannotUseStopsItAtStartWithExit2) {
  const fs::path missing = m_sample / "no-such.crt";
  const fs::path encrypted = m_sample / "encrypted.key";
  ASSERT_EQ(shell("openssl pkey -in '" + m_pki.server_key.string() +
                  "' -aes256 -passout pass:secret -out '" + encrypted.string() + "' 2>/dev/null"),
            0);
  const struct {
    fs::path cert, key;
    std::string says;
  } cases[] = {
      {missing, m_pki.server_key,
       "api: cannot read tls_cert_file " + missing.string() + ": No such file or directory"},
      {m_pki.server_key, m_pki.server_key,
       "api: tls_cert_file " + m_pki.server_key.string() + " holds no certificate in PEM"},
      {m_pki.server_cert, m_pki.server_cert,
       "api: tls_key_file " + m_pki.server_cert.string() + " holds no private key in PEM"},
      {m_pki.server_cert, encrypted,
       "api: tls_key_file " + encrypted.string() + " holds no private key in PEM"},
      {m_pki.server_cert, m_pki.wrong_name_key,
       "api: tls_key_file " + m_pki.wrong_name_key.string() +
           " does not belong to the certificate in tls_cert_file " + m_pki.server_cert.string()},
  };
  const std::string config = read_file(m_sample / "config.yaml");
  for (const auto& c : cases) {
    write_file(m_sample / "config.yaml", config);
    write_api(tls_fields(c.cert, c.key));
    fs::remove(m_sample / "daemon.log");
    DaemonProcess daemon(SECONDSIGHT_BINARY, m_sample / "config.yaml", m_sample, "2026-06-01");
    EXPECT_EQ(daemon.wait_exit(), 2) << c.says;
    const std::string log = read_file(daemon.log_path());
    EXPECT_THAT(log, HasSubstr(c.says));
    // Not a line of the key's content.
    std::istringstream key(read_file(c.key));
    for (std::string line; std::getline(key, line);) {
      if (!line.starts_with("-----") && line.size() > 8) {
        EXPECT_THAT(log, Not(HasSubstr(line))) << c.says;
      }
    }
  }
}

TEST_F(DaemonApiTls, ADashboardTokensFileItCannotUseStopsItAtStartWithExit2) {
  const std::string secret = "alice-secret-0123456789";
  const struct {
    std::string text;
    mode_t mode;
    std::string says;
  } cases[] = {
      {"alice: " + secret + "\n", 0644, "may be read by others"},
      {"# people\nalice " + secret + "\n", 0600, "tokens:2: expected NAME: TOKEN"},
      {"alice: " + secret + "\nbob: " + secret + "\n", 0600,
       "tokens:2: bob has the same token as alice"},
  };
  const std::string config = read_file(m_sample / "config.yaml");
  for (const auto& c : cases) {
    write_file(m_sample / "config.yaml", config);
    write_file(m_sample / "tokens", c.text);
    ::chmod((m_sample / "tokens").c_str(), c.mode);
    write_api(tls_fields(m_pki.server_cert, m_pki.server_key) + ", dashboard_tokens_file: tokens");
    fs::remove(m_sample / "daemon.log");
    DaemonProcess daemon(SECONDSIGHT_BINARY, m_sample / "config.yaml", m_sample, "2026-06-01");
    EXPECT_EQ(daemon.wait_exit(), 2) << c.says;
    const std::string log = read_file(daemon.log_path());
    EXPECT_THAT(log, HasSubstr("dashboard_tokens_file")) << c.says;
    EXPECT_THAT(log, HasSubstr(c.says));
    EXPECT_THAT(log, Not(HasSubstr(secret))) << c.says;
  }
}

TEST_F(DaemonApiTls, APlainListenerOffLoopbackIsRefusedByTheDaemonAndPolicyCheck) {
  // A documentation address (TEST-NET-1), which no machine has: should the refusal ever go, the
  // daemon fails to listen instead of opening a port to the network.
  const std::string listen = "192.0.2.1:" + std::to_string(m_port);
  const int line = write_api("listen: \"" + listen + "\", token_file: token");
  const std::string says = (m_sample / "config.yaml").string() + ":" + std::to_string(line) +
                           ":16: error: 'listen' " + listen +
                           " is not a loopback address, and the API serves personal data: set "
                           "tls_cert_file and tls_key_file to serve it over TLS, or listen on "
                           "127.0.0.1 or [::1]";
  const auto check =
      run_binary("policy check --config '" + (m_sample / "config.yaml").string() + "'");
  EXPECT_EQ(check.code, 2);
  EXPECT_THAT(check.out, HasSubstr(says));

  DaemonProcess daemon(SECONDSIGHT_BINARY, m_sample / "config.yaml", m_sample, "2026-06-01");
  EXPECT_EQ(daemon.wait_exit(), 2);
  EXPECT_THAT(read_file(daemon.log_path()), HasSubstr(says));
}

}  // namespace
}  // namespace secondsight::testing
