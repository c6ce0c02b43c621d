// The webhook sink: an HTTPS POST per alert with Boost.Beast over OpenSSL. The server's
// certificate is always verified (ca_file, or the system's store) and so is its name (the
// URL's host, DNS name or IP address); there is no way to turn either off. The body is the
// alert, signed with HMAC-SHA256; the Idempotency-Key lets a receiver drop a repeat. Through an
// HTTP proxy it asks for a tunnel (CONNECT) and runs the same TLS, verified the same way, end to
// end with the receiver inside it.
//
// Boost.Beast and Asio are kept to this file.
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <fstream>
#include <optional>
#include <sstream>
#include <tuple>

#include "secondsight/alert/sink.hpp"
#include "sink_types.hpp"

namespace secondsight::alert {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr std::chrono::seconds k_connect_timeout{10};
constexpr std::chrono::seconds k_handshake_timeout{10};
constexpr std::chrono::seconds k_write_timeout{10};
constexpr std::chrono::seconds k_response_timeout{30};
constexpr std::chrono::seconds k_body_timeout{5};  // the rest of a refusal, for its words
constexpr std::size_t k_response_body_limit = 64 * 1024;
constexpr std::size_t k_error_excerpt = 200;

std::string hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < size; ++i) {
    out += k_hex[bytes[i] >> 4];
    out += k_hex[bytes[i] & 0xf];
  }
  return out;
}

// A receiver's words in our messages: one line, printable, short.
std::string excerpt(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (out.size() >= k_error_excerpt) {
      out += "...";
      break;
    }
    auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7f) ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();  // a body's last line end
  return out;
}

// A receiver's answer body, of which the first k_response_body_limit bytes are kept (for the
// error's excerpt). Beast's string_body reserves what Content-Length announces before the
// parser's body limit is applied to a response (Boost 1.74), so a receiver announcing gigabytes
// would have them allocated; this body never makes room beyond the limit and stops there.
struct AnswerBody {
  using value_type = std::string;

  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(http::header<isRequest, Fields>&, value_type& body) : m_body(body) {}

    void init(const boost::optional<std::uint64_t>& length, beast::error_code& ec) {
      ec = {};
      if (length)
        m_body.reserve(
            static_cast<std::size_t>(std::min<std::uint64_t>(*length, k_response_body_limit)));
    }

    template <class Buffers>
    std::size_t put(const Buffers& buffers, beast::error_code& ec) {
      ec = {};
      std::size_t taken = 0;
      for (auto it = net::buffer_sequence_begin(buffers); it != net::buffer_sequence_end(buffers);
           ++it) {
        const net::const_buffer part = *it;
        const std::size_t room = k_response_body_limit - m_body.size();
        const std::size_t size = std::min(room, part.size());
        m_body.append(static_cast<const char*>(part.data()), size);
        taken += size;
        if (size < part.size()) {
          ec = http::error::body_limit;  // what was kept is the start, for the excerpt
          break;
        }
      }
      return taken;
    }

    void finish(beast::error_code& ec) { ec = {}; }

   private:
    value_type& m_body;
  };
};

// An interim answer (RFC 9110 15.2): the final one follows. 101 switches protocols, which an
// alert never asks for, so it is final (and no success).
bool is_interim(unsigned status) {
  return status >= 100 && status < 200 && status != 101;
}

bool is_ip_address(const std::string& host) {
  boost::system::error_code ec;
  net::ip::make_address(host, ec);
  return !ec;
}

// Retry-After (RFC 9110 10.2.3): a number of seconds, or an HTTP-date read against this
// machine's clock (a date already past asks for no wait).
std::optional<std::chrono::seconds> retry_after(std::string_view value, Instant now) {
  if (value.empty()) return std::nullopt;
  if (value.find_first_not_of("0123456789") == std::string_view::npos) {
    if (value.size() > 9) return std::nullopt;
    long seconds = 0;
    for (char c : value) seconds = seconds * 10 + (c - '0');
    return std::chrono::seconds(seconds);
  }
  auto at = parse_http_date(value);
  if (!at) return std::nullopt;
  return std::max(std::chrono::seconds(0), *at - now);
}

// What the receiver's response means for the alert.
Delivery read_answer(const std::string& who, const http::response<AnswerBody>& response,
                     Instant now) {
  const unsigned status = response.result_int();
  const std::string words = excerpt(response.body());
  const std::string answer = "HTTP " + std::to_string(status) + " " +
                             excerpt({response.reason().data(), response.reason().size()}) +
                             (words.empty() ? "" : ": " + words);
  if (status >= 200 && status < 300) return Delivery::ok();
  if (status == 408 || status == 429 || status >= 500) {
    Delivery out = Delivery::failed(who + " answered " + answer);
    out.retry_after = retry_after(std::string(response[http::field::retry_after]), now);
    return out;
  }
  if (status >= 300 && status < 400)
    return {Delivery::Outcome::refused,
            who + " answered " + answer + "; redirects are not followed (to " +
                excerpt(std::string(response[http::field::location])) + ")",
            {}};
  if (status >= 400) return {Delivery::Outcome::refused, who + " refused the alert: " + answer, {}};
  return Delivery::failed(who + " answered " + answer);
}

// A secret from the file that `key` names; a trailing line end is no part of it.
Result<std::string> read_secret(const std::filesystem::path& file, std::string_view key) {
  const std::string named = std::string(key) + " " + file.string();
  std::ifstream in(file, std::ios::binary);
  if (!in) return make_error("cannot read " + named);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string secret = buffer.str();
  // `echo secret > file` adds a line end that is no part of the secret.
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  if (secret.empty()) return make_error(named + " is empty");
  return secret;
}

std::string base64(std::string_view text) {
  std::string out(4 * ((text.size() + 2) / 3) + 1, '\0');
  const int size = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                   reinterpret_cast<const unsigned char*>(text.data()),
                                   static_cast<int>(text.size()));
  out.resize(static_cast<std::size_t>(size));
  return out;
}

// HOST:PORT as a request names it, an IPv6 address in brackets.
std::string host_and_port(const std::string& host, const std::string& port) {
  return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + port;
}

// The proxy a webhook goes through, as the sink holds it.
struct Proxy {
  config::ProxyUrl url;
  std::string authorization;  // the Proxy-Authorization value; empty without credentials
};

class Attempt;

class WebhookSink final : public Sink {
 public:
  WebhookSink(WebhookUrl url, std::string secret, std::optional<Proxy> proxy)
      : m_url(std::move(url)),
        m_secret(std::move(secret)),
        m_proxy(std::move(proxy)),
        m_tls(ssl::context::tls_client) {}

  Result<void> set_up(const std::filesystem::path& ca_file) {
    boost::system::error_code ec;
    m_tls.set_verify_mode(ssl::verify_peer, ec);
    if (!ec) {
      if (ca_file.empty())
        m_tls.set_default_verify_paths(ec);
      else
        m_tls.load_verify_file(ca_file.string(), ec);
    }
    if (ec)
      return make_error(ca_file.empty()
                            ? "cannot load the system's CA certificates: " + ec.message()
                            : "cannot read ca_file " + ca_file.string() + ": " + ec.message());
    SSL_CTX_set_min_proto_version(m_tls.native_handle(), TLS1_2_VERSION);
    m_ip = is_ip_address(m_url.host);
    return {};
  }

  Delivery deliver(const store::OutboxEntry& alert, Deadline deadline) override;

 private:
  friend class Attempt;
  WebhookUrl m_url;
  std::string m_secret;
  std::optional<Proxy> m_proxy;
  ssl::context m_tls;
  bool m_ip = false;
};

// One delivery attempt, a chain of steps on one io_context: resolve, connect, open a tunnel
// through the proxy (when there is one), TLS handshake with the receiver, send, read the answer.
// Each step starts the next when it succeeds; the first failure, or the answer, ends the chain.
class Attempt {
 public:
  Attempt(WebhookSink& sink, const store::OutboxEntry& alert, Deadline deadline)
      : m_sink(sink),
        m_deadline(deadline),
        m_stream(m_io, sink.m_tls),
        m_resolver(m_io),
        m_peer(host_and_port(sink.m_url.host, sink.m_url.port)),
        m_who("webhook " + m_peer +
              (sink.m_proxy ? " through proxy " + sink.m_proxy->url.redacted() : "")) {
    const WebhookUrl& url = sink.m_url;
    SSL* ssl_handle = m_stream.native_handle();
    // The name the certificate must carry, checked by OpenSSL during the handshake; SNI for
    // DNS names (RFC 6066 forbids it for addresses). Through a proxy the same: TLS is end to end
    // with the receiver, the proxy only carries its bytes.
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl_handle);
    if (sink.m_ip) {
      X509_VERIFY_PARAM_set1_ip_asc(param, url.host.c_str());
    } else {
      X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      X509_VERIFY_PARAM_set1_host(param, url.host.c_str(), 0);
      // SSL_set_tlsext_host_name, without the macro's C cast.
      SSL_ctrl(ssl_handle, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
               const_cast<char*>(url.host.c_str()));
    }

    m_request = {http::verb::post, url.target, 11};
    m_request.set(http::field::host,
                  url.port == "443" ? m_peer.substr(0, m_peer.rfind(':')) : m_peer);
    m_request.set(http::field::user_agent, "secondsight/" SECONDSIGHT_VERSION);
    m_request.set(http::field::content_type, "application/json");
    m_request.set("X-Secondsight-Signature", webhook_signature(sink.m_secret, alert.payload));
    m_request.set("Idempotency-Key", alert.idempotency_key);
    m_request.body() = alert.payload;
    m_request.prepare_payload();
  }

  Delivery run() {
    resolve();
    // The resolver has no timeout of its own: the deadline bounds the whole attempt.
    m_io.run_until(m_deadline);
    if (!m_io.stopped()) {
      m_resolver.cancel();
      beast::error_code ignored;
      tcp_layer().socket().close(ignored);
      m_io.restart();
      m_io.run();
      if (!m_answered) return Delivery::failed(m_who + ": out of time " + m_stage);
    }
    if (m_refusal) return Delivery::failed(m_who + ": " + *m_refusal);
    if (!m_answered) {
      std::string why = m_failure == beast::error::timeout ? "timed out" : m_failure.message();
      if (m_failure.category() == net::error::get_ssl_category() ||
          m_stage.rfind("TLS handshake", 0) == 0) {
        long verify = SSL_get_verify_result(m_stream.native_handle());
        if (verify != X509_V_OK)
          why += std::string(" (") + X509_verify_cert_error_string(verify) + ")";
      }
      return Delivery::failed(m_who + ": " + m_stage + " failed: " + why);
    }
    beast::error_code ignored;
    tcp_layer().socket().close(ignored);
    return read_answer(m_who, m_parser->get(), system_now());
  }

 private:
  beast::tcp_stream& tcp_layer() { return beast::get_lowest_layer(m_stream); }

  // The next step gets `timeout`, or what is left of the attempt when that is less.
  void limit(std::chrono::seconds timeout) {
    auto left = std::chrono::duration_cast<Clock::duration>(m_deadline - Clock::now());
    tcp_layer().expires_after(
        std::max(Clock::duration::zero(), std::min<Clock::duration>(timeout, left)));
  }

  // False, with the failure kept, when `ec` is one.
  bool fine(beast::error_code ec) {
    if (ec) m_failure = ec;
    return !ec;
  }

  void resolve() {
    const std::string& host = m_sink.m_proxy ? m_sink.m_proxy->url.host : m_sink.m_url.host;
    const std::string& port = m_sink.m_proxy ? m_sink.m_proxy->url.port : m_sink.m_url.port;
    m_stage = m_sink.m_proxy ? "resolving the proxy" : "resolving " + host;
    m_resolver.async_resolve(host, port,
                             [this](beast::error_code ec, tcp::resolver::results_type endpoints) {
                               if (fine(ec)) connect(endpoints);
                             });
  }

  void connect(const tcp::resolver::results_type& endpoints) {
    m_stage = m_sink.m_proxy ? "connecting to the proxy" : "connecting to " + m_peer;
    limit(k_connect_timeout);
    tcp_layer().async_connect(endpoints, [this](beast::error_code ec, const tcp::endpoint&) {
      if (!fine(ec)) return;
      if (m_sink.m_proxy)
        open_tunnel();
      else
        handshake();
    });
  }

  // CONNECT HOST:PORT (RFC 9110 9.3.6): the proxy opens a TCP connection to the receiver and
  // from its 2xx on carries bytes both ways; what it answers otherwise is a refusal.
  void open_tunnel() {
    m_stage = "asking the proxy for a tunnel to " + m_peer;
    m_connect = {http::verb::connect, m_peer, 11};
    m_connect.set(http::field::host, m_peer);
    m_connect.set(http::field::user_agent, "secondsight/" SECONDSIGHT_VERSION);
    if (!m_sink.m_proxy->authorization.empty())
      m_connect.set(http::field::proxy_authorization, m_sink.m_proxy->authorization);
    limit(k_write_timeout);
    http::async_write(tcp_layer(), m_connect, [this](beast::error_code ec, std::size_t) {
      if (!fine(ec)) return;
      m_stage = "waiting for the proxy's answer";
      // The proxy connects to the receiver before it answers: the time a direct connect has.
      limit(k_connect_timeout);
      m_tunnel_answer.skip(true);  // an answer to CONNECT has no body (RFC 9110 6.4.1)
      http::async_read_header(tcp_layer(), m_tunnel_buffer, m_tunnel_answer,
                              [this](beast::error_code ec2, std::size_t) {
                                if (fine(ec2)) tunnel_answered();
                              });
    });
  }

  void tunnel_answered() {
    const auto& answer = m_tunnel_answer.get();
    const unsigned status = answer.result_int();
    if (status < 200 || status >= 300) {
      m_refusal = "the proxy refused the tunnel to " + m_peer + ": HTTP " + std::to_string(status) +
                  " " + excerpt({answer.reason().data(), answer.reason().size()});
      return;
    }
    // The receiver speaks only after our TLS hello: anything more from the proxy is not its.
    if (m_tunnel_buffer.size() != 0) {
      m_refusal = "the proxy sent bytes after its answer to CONNECT";
      return;
    }
    handshake();
  }

  void handshake() {
    m_stage = "TLS handshake with " + m_peer;
    limit(k_handshake_timeout);
    m_stream.async_handshake(ssl::stream_base::client, [this](beast::error_code ec) {
      if (fine(ec)) send();
    });
  }

  void send() {
    m_stage = "sending to " + m_peer;
    limit(k_write_timeout);
    http::async_write(m_stream, m_request, [this](beast::error_code ec, std::size_t) {
      if (!fine(ec)) return;
      m_stage = "waiting for the answer of " + m_peer;
      limit(k_response_timeout);
      read_header();
    });
  }

  // The status line decides; a body is read only for the words of a refusal or a failure, as
  // far as it comes: to its length, to its last chunk, or until the receiver closes, with TLS
  // close_notify or without. Interim answers (1xx, RFC 9110 15.2) come before the final one,
  // asked for or not, and are passed over within the same time.
  void read_header() {
    m_parser.emplace();
    m_parser->body_limit(k_response_body_limit);
    http::async_read_header(
        m_stream, m_buffer, *m_parser, [this](beast::error_code ec, std::size_t) {
          if (!fine(ec)) return;
          const unsigned status = m_parser->get().result_int();
          if (is_interim(status)) return read_header();
          m_answered = true;
          if (status >= 200 && status < 300) return;
          limit(k_body_timeout);
          http::async_read(m_stream, m_buffer, *m_parser, [](beast::error_code, std::size_t) {});
        });
  }

  const WebhookSink& m_sink;
  Deadline m_deadline;
  net::io_context m_io;
  beast::ssl_stream<beast::tcp_stream> m_stream;
  tcp::resolver m_resolver;
  std::string m_peer;  // the receiver, HOST:PORT
  std::string m_who;   // the receiver and the proxy, for messages
  http::request<http::string_body> m_request;
  http::request<http::empty_body> m_connect;
  beast::flat_buffer m_tunnel_buffer;
  http::response_parser<http::empty_body> m_tunnel_answer;
  beast::flat_buffer m_buffer;
  std::optional<http::response_parser<AnswerBody>> m_parser;

  std::string m_stage;
  beast::error_code m_failure;
  std::optional<std::string> m_refusal;  // the proxy's, when it would not carry the alert
  bool m_answered = false;
};

Delivery WebhookSink::deliver(const store::OutboxEntry& alert, Deadline deadline) {
  return Attempt(*this, alert, deadline).run();
}

// USER:PASSWORD for the proxy, from proxy_credentials_file.
Result<std::pair<std::string, std::string>> read_proxy_credentials(
    const std::filesystem::path& file) {
  auto text = read_secret(file, "proxy_credentials_file");
  if (!text) return text.error();
  const auto colon = text->find(':');
  if (colon == std::string::npos || colon == 0)
    return make_error("proxy_credentials_file " + file.string() + " must hold USER:PASSWORD");
  return std::pair{text->substr(0, colon), text->substr(colon + 1)};
}

}  // namespace

std::string webhook_signature(std::string_view secret, std::string_view body) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac.data(), &length);
  return "sha256=" + hex(mac.data(), length);
}

Delivery webhook_answer(std::string_view who, std::string_view response, Instant now) {
  net::const_buffer rest(response.data(), response.size());
  for (;;) {
    http::response_parser<AnswerBody> parser;
    parser.body_limit(k_response_body_limit);
    parser.eager(true);
    beast::error_code ec;
    while (!parser.is_done()) {
      const std::size_t used = parser.put(rest, ec);
      rest += used;
      if (!ec && used > 0) continue;
      if (ec && ec != http::error::need_more) break;
      // Every byte there is has been offered and more are needed (offering the same bytes
      // again breaks the parser's contract): the receiver ended the connection here.
      if (!parser.got_some()) {
        ec = http::error::end_of_stream;
        break;
      }
      ec = {};
      parser.put_eof(ec);
      break;
    }
    // The status line decides; of the body, what came before the end or an error is kept.
    if (!parser.is_header_done()) {
      if (!ec) ec = http::error::partial_message;
      return Delivery::failed(std::string(who) + ": unreadable answer: " + ec.message());
    }
    if (!is_interim(parser.get().result_int()))
      return read_answer(std::string(who), parser.get(), now);
  }
}

Result<WebhookUrl> parse_webhook_url(std::string_view url) {
  constexpr std::string_view scheme = "https://";
  auto bad = [&](const std::string& why) { return make_error("webhook url: " + why); };
  if (url.size() < scheme.size() ||
      !std::equal(scheme.begin(), scheme.end(), url.begin(),
                  [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); }))
    return bad("must start with https://: alerts carry personal data and are never sent in clear");
  std::string_view rest = url.substr(scheme.size());
  const auto end_of_authority = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end_of_authority);
  WebhookUrl out;
  out.target =
      end_of_authority == std::string_view::npos ? "/" : std::string(rest.substr(end_of_authority));
  if (auto hash = out.target.find('#'); hash != std::string::npos) out.target.resize(hash);
  if (out.target.empty() || out.target[0] != '/') out.target.insert(0, "/");
  if (authority.find('@') != std::string_view::npos)
    return bad("user names and passwords do not belong in the URL");
  std::string_view port;
  if (!authority.empty() && authority[0] == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return bad("unclosed [ in the host");
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return bad("unexpected text after the host");
      port = after.substr(1);
    }
  } else {
    auto colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (out.host.empty()) return bad("no host");
  out.port = port.empty() ? "443" : std::string(port);
  for (char c : out.port)
    if (c < '0' || c > '9') return bad("the port must be a number");
  if (out.port.size() > 5 || std::stoul(out.port) == 0 || std::stoul(out.port) > 65535)
    return bad("the port must be 1 to 65535");
  return out;
}

Result<std::unique_ptr<Sink>> make_webhook_sink(const config::AlertSinkConfig& config) {
  auto url = parse_webhook_url(config.url);
  if (!url) return url.error();
  auto secret = read_secret(config.hmac_secret_file, "hmac_secret_file");
  if (!secret) return secret.error();
  std::optional<Proxy> proxy;
  if (config.proxy.url && !config::bypasses_proxy(config.proxy.no_proxy, url->host, url->port)) {
    proxy = Proxy{*config.proxy.url, {}};
    if (!config.proxy_credentials_file.empty()) {
      auto credentials = read_proxy_credentials(config.proxy_credentials_file);
      if (!credentials) return credentials.error();
      std::tie(proxy->url.user, proxy->url.password) = std::move(*credentials);
    }
    if (proxy->url.has_credentials())
      proxy->authorization = "Basic " + base64(proxy->url.user + ":" + proxy->url.password);
  }
  auto sink = std::make_unique<WebhookSink>(std::move(*url), std::move(*secret), std::move(proxy));
  if (auto ready = sink->set_up(config.ca_file); !ready) return ready.error();
  return std::unique_ptr<Sink>(std::move(sink));
}

}  // namespace secondsight::alert
