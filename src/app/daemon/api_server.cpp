#include "secondsight/app/api_server.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <type_traits>

#include "secondsight/core/logging.hpp"

namespace secondsight::app {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

struct ApiTls {
  ssl::context context{ssl::context::tls_server};
};

namespace {

constexpr auto k_request_timeout = std::chrono::seconds(10);
constexpr std::size_t k_max_request_bytes = 16 * 1024;

// What every session needs, kept alive by the sessions themselves.
struct Shared {
  std::string token;
  std::shared_ptr<ApiTls> tls;  // null: plain HTTP
  ApiHandler handler;
};

// The token of "Bearer TOKEN"; nullopt for another scheme. The scheme's name is matched without
// regard to case (RFC 7235), the token is left to be compared exactly.
std::optional<std::string_view> bearer_token(std::string_view authorization) {
  constexpr std::string_view scheme = "bearer";
  if (authorization.size() <= scheme.size() || authorization[scheme.size()] != ' ')
    return std::nullopt;
  for (std::size_t i = 0; i < scheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != scheme[i])
      return std::nullopt;
  const auto token = authorization.substr(scheme.size());
  const auto start = token.find_first_not_of(' ');
  return start == std::string_view::npos ? std::string_view() : token.substr(start);
}

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// What every answer says about how it may be used: never cached, never sniffed into another
// type, never framed, no referrer, and only this server's stylesheet and forms (no script, no
// inline style, nothing from elsewhere).
constexpr const char* k_content_security_policy =
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'";

template <class Field>
std::string header_text(const Request& request, Field field) {
  const auto value = request[field];
  return std::string(value.data(), value.size());
}

// The response to a request read whole: the handler's answer (500 when it throws), with the
// security headers.
std::shared_ptr<Response> respond(const Request& request, const Shared& shared, bool tls,
                                  const std::string& peer) {
  ApiResponse answer;
  ApiRequest asked;
  asked.method = std::string(request.method_string());
  asked.target = std::string(request.target());
  const auto authorization = header_text(request, http::field::authorization);
  const auto token = bearer_token(authorization);
  asked.bearer = token && constant_time_equal(*token, shared.token);
  asked.tls = tls;
  asked.peer = peer;
  asked.host = header_text(request, http::field::host);
  asked.cookie = header_text(request, http::field::cookie);
  asked.accept = header_text(request, http::field::accept);
  asked.content_type = header_text(request, http::field::content_type);
  asked.origin = header_text(request, http::field::origin);
  asked.fetch_site = header_text(request, "Sec-Fetch-Site");
  asked.body = request.body();
  try {
    answer = shared.handler(asked);
  } catch (const std::exception& e) {
    logger("api")->error("{} {}: {}", asked.method, asked.target, e.what());
    answer = {500, "application/json", R"({"error":"internal error"})"};
  }
  auto response =
      std::make_shared<Response>(static_cast<http::status>(answer.status), request.version());
  response->set(http::field::server, "secondsight");
  response->set(http::field::content_type, answer.content_type);
  response->set(http::field::cache_control, "no-store");
  response->set("X-Content-Type-Options", "nosniff");
  response->set(http::field::x_frame_options, "DENY");
  response->set("Referrer-Policy", "no-referrer");
  response->set("Content-Security-Policy", k_content_security_policy);
  if (tls) response->set(http::field::strict_transport_security, "max-age=31536000");
  for (const auto& [name, value] : answer.headers) response->insert(name, value);
  response->keep_alive(false);
  if (request.method() != http::verb::head) response->body() = std::move(answer.body);
  response->prepare_payload();
  return response;
}

void limit(http::request_parser<http::string_body>& parser) {
  parser.body_limit(k_max_request_bytes);
  parser.header_limit(k_max_request_bytes);
}

// One connection, one request: plain HTTP over a beast::tcp_stream, or TLS over a
// beast::ssl_stream of one (a handshake first, a close_notify last).
template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  static constexpr bool k_tls = !std::is_same_v<Stream, beast::tcp_stream>;

  Session(tcp::socket socket, std::shared_ptr<const Shared> shared)
      : m_shared(std::move(shared)), m_stream(make_stream(std::move(socket), *m_shared)) {}

  void start() {
    // One deadline for the handshake, the request and the answer.
    beast::get_lowest_layer(m_stream).expires_after(k_request_timeout);
    if constexpr (k_tls) {
      m_stream.async_handshake(ssl::stream_base::server,
                               [self = this->shared_from_this()](beast::error_code ec) {
                                 if (!ec) self->read();  // else not TLS, or refused: no word
                               });
    } else {
      read();
    }
  }

 private:
  static Stream make_stream(tcp::socket socket, const Shared& shared) {
    if constexpr (k_tls)
      return Stream(std::move(socket), shared.tls->context);
    else
      return Stream(std::move(socket));
  }

  void read() {
    m_parser.emplace();
    limit(*m_parser);
    http::async_read(m_stream, m_buffer, *m_parser,
                     [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                       self->on_read(ec);
                     });
  }

  void on_read(beast::error_code ec) {
    if (ec) return;  // closed, timed out or malformed: nothing to answer
    beast::error_code peer_error;
    const auto peer = beast::get_lowest_layer(m_stream).socket().remote_endpoint(peer_error);
    auto response = respond(m_parser->get(), *m_shared, k_tls,
                            peer_error ? std::string() : peer.address().to_string());
    http::async_write(m_stream, *response,
                      [self = this->shared_from_this(), response](beast::error_code, std::size_t) {
                        self->close();
                      });
  }

  void close() {
    if constexpr (k_tls) {
      m_stream.async_shutdown([self = this->shared_from_this()](beast::error_code) {});
    } else {
      beast::error_code ignored;
      m_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }
  }

  std::shared_ptr<const Shared> m_shared;  // before the stream: it holds the TLS context
  Stream m_stream;
  beast::flat_buffer m_buffer;
  std::optional<http::request_parser<http::string_body>> m_parser;
};

// The listening socket and what sessions need, kept alive by the accept in flight: a server
// stopped at reload goes away while its last accept is still to be called back.
struct Listener : std::enable_shared_from_this<Listener> {
  Listener(asio::io_context& io, std::shared_ptr<const Shared> what)
      : acceptor(io), shared(std::move(what)) {}

  void accept() {
    acceptor.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !self->acceptor.is_open()) return;
      if (!ec) {
        if (self->shared->tls)
          std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(std::move(socket),
                                                                          self->shared)
              ->start();
        else
          std::make_shared<Session<beast::tcp_stream>>(std::move(socket), self->shared)->start();
      }
      self->accept();
    });
  }

  tcp::acceptor acceptor;
  std::shared_ptr<const Shared> shared;
};

class Server final : public ApiServer {
 public:
  Server(asio::io_context& io, std::string token, std::shared_ptr<ApiTls> tls, ApiHandler handler)
      : m_listener(std::make_shared<Listener>(
            io, std::make_shared<const Shared>(
                    Shared{std::move(token), std::move(tls), std::move(handler)}))) {}
  ~Server() override { stop(); }

  Result<void> listen(const tcp::endpoint& endpoint, const std::string& where) {
    auto& acceptor = m_listener->acceptor;
    beast::error_code ec;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return make_error("api: cannot listen on " + where + ": " + ec.message());
    m_listener->accept();
    return {};
  }

  unsigned short port() const override { return m_listener->acceptor.local_endpoint().port(); }
  void set_credentials(std::string token, std::shared_ptr<ApiTls> tls) override {
    // Sessions in flight keep what they started with.
    m_listener->shared = std::make_shared<const Shared>(
        Shared{std::move(token), std::move(tls), m_listener->shared->handler});
  }
  void stop() override {
    beast::error_code ignored;
    m_listener->acceptor.close(ignored);
  }

 private:
  std::shared_ptr<Listener> m_listener;
};

}  // namespace

std::string answer_request_bytes(std::string_view request, const std::string& token,
                                 const ApiHandler& handler) {
  http::request_parser<http::string_body> parser;
  limit(parser);
  parser.eager(true);
  asio::const_buffer rest(request.data(), request.size());
  beast::error_code ec;
  while (!parser.is_done()) {
    const std::size_t used = parser.put(rest, ec);
    rest += used;
    if (!ec && used > 0) continue;
    if (ec && ec != http::error::need_more) return {};
    // Every byte there is has been offered and more are needed (offering the same bytes again
    // breaks the parser's contract): the peer ended the connection here.
    if (!parser.got_some()) return {};
    ec = {};
    parser.put_eof(ec);
    if (ec || !parser.is_done()) return {};
  }
  const Shared shared{token, nullptr, handler};
  std::ostringstream out;
  out << *respond(parser.get(), shared, false, "127.0.0.1");
  return out.str();
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  unsigned char difference = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < b.size(); ++i) {
    const char x = i < a.size() ? a[i] : '\0';
    difference |= static_cast<unsigned char>(x ^ b[i]);
  }
  return difference == 0;
}

Result<std::string> read_secret_file(const std::string& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("cannot read " + std::string(what) + " " + path);
  std::ostringstream text;
  text << in.rdbuf();
  std::string secret = text.str();
  if (!secret.empty() && secret.back() == '\n') secret.pop_back();
  if (!secret.empty() && secret.back() == '\r') secret.pop_back();
  if (secret.empty()) return make_error(std::string(what) + " " + path + " is empty");
  return secret;
}

namespace {

// A file's bytes; an error names the file as `what` and why it cannot be read.
Result<std::string> read_whole_file(const std::filesystem::path& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return make_error(
        "api: cannot read " + std::string(what) + " " + path.string() + ": " + std::strerror(errno),
        ErrorKind::invalid);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// OpenSSL's reason for the last failure, and its error queue emptied.
std::string openssl_reason() {
  const unsigned long code = ERR_peek_last_error();
  const char* reason = code == 0 ? nullptr : ERR_reason_error_string(code);
  ERR_clear_error();
  return reason ? std::string(reason) : std::string("unknown reason");
}

}  // namespace

Result<std::shared_ptr<ApiTls>> load_api_tls(const std::filesystem::path& cert_file,
                                             const std::filesystem::path& key_file) {
  const auto refused = [](std::string message) {
    return make_error("api: " + std::move(message), ErrorKind::invalid);
  };
  auto chain = read_whole_file(cert_file, "tls_cert_file");
  if (!chain) return chain.error();
  auto key_bytes = read_whole_file(key_file, "tls_key_file");
  if (!key_bytes) return key_bytes.error();

  auto tls = std::make_shared<ApiTls>();
  SSL_CTX* context = tls->context.native_handle();
  tls->context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                           ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                           ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  if (SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION) != 1)
    return refused("cannot require TLS 1.2: " + openssl_reason());

  beast::error_code ec;
  tls->context.use_certificate_chain(asio::buffer(*chain), ec);
  if (ec) {
    ERR_clear_error();
    return refused("tls_cert_file " + cert_file.string() +
                   " holds no certificate in PEM (-----BEGIN CERTIFICATE-----): " + ec.message());
  }

  // Read here rather than by the context, so that an encrypted key is refused rather than
  // asked for on a terminal that a daemon does not have.
  BIO* bio = BIO_new_mem_buf(key_bytes->data(), static_cast<int>(key_bytes->size()));
  if (!bio) return refused("out of memory reading tls_key_file " + key_file.string());
  const auto no_passphrase = [](char*, int, int, void*) { return 0; };
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, no_passphrase, nullptr);
  BIO_free(bio);
  OPENSSL_cleanse(key_bytes->data(), key_bytes->size());
  if (!key) {
    ERR_clear_error();
    return refused("tls_key_file " + key_file.string() +
                   " holds no private key in PEM (-----BEGIN PRIVATE KEY-----, not encrypted)");
  }
  const bool used = SSL_CTX_use_PrivateKey(context, key) == 1;
  EVP_PKEY_free(key);
  if (!used || SSL_CTX_check_private_key(context) != 1) {
    ERR_clear_error();
    return refused("tls_key_file " + key_file.string() +
                   " does not belong to the certificate in tls_cert_file " + cert_file.string());
  }
  return tls;
}

Result<std::unique_ptr<ApiServer>> ApiServer::start(asio::io_context& io, const std::string& listen,
                                                    std::string token, std::shared_ptr<ApiTls> tls,
                                                    ApiHandler handler) {
  const auto colon = listen.rfind(':');
  std::string host = listen.substr(0, colon);
  const std::string port = listen.substr(colon + 1);
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  std::string lower = host;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // One address, not what a resolver makes of the name: plain HTTP is allowed on loopback only.
  if (lower == "localhost") host = "127.0.0.1";
  beast::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) return make_error("api: listen " + listen + ": '" + host + "' is not an IP address");
  auto server = std::make_unique<Server>(io, std::move(token), std::move(tls), std::move(handler));
  const auto number = static_cast<unsigned short>(std::stoul(port));
  if (auto listening = server->listen(tcp::endpoint(address, number), listen); !listening)
    return listening.error();
  return std::unique_ptr<ApiServer>(std::move(server));
}

}  // namespace secondsight::app
