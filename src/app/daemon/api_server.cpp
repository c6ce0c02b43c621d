#include "secondsight/app/api_server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <fstream>
#include <optional>
#include <sstream>

#include "secondsight/core/logging.hpp"

namespace secondsight::app {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr auto k_request_timeout = std::chrono::seconds(10);
constexpr std::size_t k_max_request_bytes = 16 * 1024;

// What every session needs, kept alive by the sessions themselves.
struct Shared {
  std::string token;
  ApiHandler handler;
};

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// The response to a request read whole: 401 without the bearer token, 405 for other methods
// than GET and HEAD, otherwise the handler's answer (500 when it throws).
std::shared_ptr<Response> respond(const Request& request, const Shared& shared) {
  ApiResponse answer;
  const auto authorization = request[http::field::authorization];
  const std::string expected = "Bearer " + shared.token;
  if (!constant_time_equal(std::string_view(authorization.data(), authorization.size()),
                           expected)) {
    answer = {401, "application/json", R"({"error":"a bearer token is required"})"};
  } else if (request.method() != http::verb::get && request.method() != http::verb::head) {
    answer = {405, "application/json", R"({"error":"only GET"})"};
  } else {
    try {
      const ApiRequest asked{std::string(request.method_string()), std::string(request.target())};
      answer = shared.handler(asked);
    } catch (const std::exception& e) {
      logger("api")->error("{} {}: {}", std::string(request.method_string()),
                           std::string(request.target()), e.what());
      answer = {500, "application/json", R"({"error":"internal error"})"};
    }
  }
  auto response =
      std::make_shared<Response>(static_cast<http::status>(answer.status), request.version());
  response->set(http::field::server, "secondsight");
  response->set(http::field::content_type, answer.content_type);
  response->set(http::field::cache_control, "no-store");
  if (answer.status == 401) response->set(http::field::www_authenticate, "Bearer");
  response->keep_alive(false);
  if (request.method() != http::verb::head) response->body() = std::move(answer.body);
  response->prepare_payload();
  return response;
}

void limit(http::request_parser<http::string_body>& parser) {
  parser.body_limit(k_max_request_bytes);
  parser.header_limit(k_max_request_bytes);
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<const Shared> shared)
      : m_stream(std::move(socket)), m_shared(std::move(shared)) {}

  void start() {
    m_parser.emplace();
    limit(*m_parser);
    m_stream.expires_after(k_request_timeout);
    http::async_read(
        m_stream, m_buffer, *m_parser,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

 private:
  void on_read(beast::error_code ec) {
    if (ec) return;  // closed, timed out or malformed: nothing to answer
    auto response = respond(m_parser->get(), *m_shared);
    http::async_write(m_stream, *response,
                      [self = shared_from_this(), response](beast::error_code, std::size_t) {
                        beast::error_code ignored;
                        self->m_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
                      });
  }

  beast::tcp_stream m_stream;
  beast::flat_buffer m_buffer;
  std::optional<http::request_parser<http::string_body>> m_parser;
  std::shared_ptr<const Shared> m_shared;
};

// The listening socket and what sessions need, kept alive by the accept in flight: a server
// stopped at reload goes away while its last accept is still to be called back.
struct Listener : std::enable_shared_from_this<Listener> {
  Listener(asio::io_context& io, std::shared_ptr<const Shared> what)
      : acceptor(io), shared(std::move(what)) {}

  void accept() {
    acceptor.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !self->acceptor.is_open()) return;
      if (!ec) std::make_shared<Session>(std::move(socket), self->shared)->start();
      self->accept();
    });
  }

  tcp::acceptor acceptor;
  std::shared_ptr<const Shared> shared;
};

class Server final : public ApiServer {
 public:
  Server(asio::io_context& io, std::string token, ApiHandler handler)
      : m_listener(std::make_shared<Listener>(
            io, std::make_shared<const Shared>(Shared{std::move(token), std::move(handler)}))) {}
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
  void set_token(std::string token) override {
    // Sessions in flight keep what they started with.
    m_listener->shared =
        std::make_shared<const Shared>(Shared{std::move(token), m_listener->shared->handler});
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
    if (ec == http::error::need_more) ec = {};
    if (ec) return {};
    if (used == 0) {  // nothing more to read: the peer ended the connection here
      if (!parser.got_some()) return {};
      parser.put_eof(ec);
      if (ec || !parser.is_done()) return {};
    }
  }
  const Shared shared{token, handler};
  std::ostringstream out;
  out << *respond(parser.get(), shared);
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

Result<std::unique_ptr<ApiServer>> ApiServer::start(asio::io_context& io, const std::string& listen,
                                                    std::string token, ApiHandler handler) {
  const auto colon = listen.rfind(':');
  std::string host = listen.substr(0, colon);
  const std::string port = listen.substr(colon + 1);
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  beast::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) return make_error("api: listen " + listen + ": '" + host + "' is not an IP address");
  auto server = std::make_unique<Server>(io, std::move(token), std::move(handler));
  const auto number = static_cast<unsigned short>(std::stoul(port));
  if (auto listening = server->listen(tcp::endpoint(address, number), listen); !listening)
    return listening.error();
  return std::unique_ptr<ApiServer>(std::move(server));
}

}  // namespace secondsight::app
