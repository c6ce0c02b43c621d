#include "https_receiver.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cctype>
#include <mutex>
#include <thread>

namespace secondsight::alert::testing {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

struct HttpsReceiver::State {
  net::io_context io;
  ssl::context tls{ssl::context::tls_server};
  tcp::acceptor acceptor{io};
  std::thread thread;
  mutable std::mutex mutex;
  std::deque<unsigned> statuses;
  std::string retry_after = "7";
  Manner manner = Manner::tidy;
  std::vector<std::shared_ptr<ssl::stream<tcp::socket>>> held;  // hung connections
  std::vector<ReceivedRequest> requests;
  unsigned short port = 0;

  void accept() {
    acceptor.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
      if (ec) return;  // closed
      serve(std::move(socket));
      accept();
    });
  }

  // One request per connection, handled to the end before the next is accepted.
  void serve(tcp::socket socket) {
    ssl::stream<tcp::socket> stream(std::move(socket), tls);
    boost::system::error_code ec;
    stream.handshake(ssl::stream_base::server, ec);
    if (ec) return;  // the client refused our certificate
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    http::read(stream, buffer, request, ec);
    if (ec) return;
    ReceivedRequest got;
    got.method = std::string(request.method_string());
    got.target = std::string(request.target());
    for (const auto& field : request) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      got.headers[name] = std::string(field.value());
    }
    got.body = request.body();
    std::string wait;
    Manner how = Manner::tidy;
    {
      std::lock_guard lock(mutex);
      wait = retry_after;
      how = manner;
      got.answered = 200;
      if (!statuses.empty()) {
        got.answered = statuses.front();
        statuses.pop_front();
      }
      requests.push_back(got);
    }
    if (how == Manner::hang) {
      held.push_back(std::make_shared<ssl::stream<tcp::socket>>(std::move(stream)));
      return;
    }
    if (how == Manner::cut) {
      net::write(stream, net::buffer(std::string("HTTP/1.1 2")), ec);
      stream.next_layer().close(ec);
      return;
    }
    if (how == Manner::abrupt) {
      const std::string raw =
          "HTTP/1.1 " + std::to_string(got.answered) + " " +
          std::string(http::obsolete_reason(static_cast<http::status>(got.answered))) +
          "\r\nContent-Type: text/plain\r\n\r\nwrong signature";
      net::write(stream, net::buffer(raw), ec);
      stream.next_layer().close(ec);  // no close_notify
      return;
    }
    http::response<http::string_body> response{static_cast<http::status>(got.answered), 11};
    response.set(http::field::content_type, "text/plain");
    if (got.answered == 503 || got.answered == 429) response.set(http::field::retry_after, wait);
    response.body() = got.answered < 300 ? "ok" : "no\nthanks";
    response.keep_alive(false);
    response.prepare_payload();
    http::write(stream, response, ec);
    stream.shutdown(ec);
  }
};

HttpsReceiver::HttpsReceiver(const std::filesystem::path& cert, const std::filesystem::path& key,
                             unsigned short port)
    : m_state(std::make_unique<State>()) {
  auto& s = *m_state;
  s.tls.use_certificate_chain_file(cert.string());
  s.tls.use_private_key_file(key.string(), ssl::context::pem);
  tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), port);
  s.acceptor.open(endpoint.protocol());
  s.acceptor.set_option(net::socket_base::reuse_address(true));
  s.acceptor.bind(endpoint);
  s.acceptor.listen();  // ready: connections queue from here on
  s.port = s.acceptor.local_endpoint().port();
  s.accept();
  s.thread = std::thread([&s] { s.io.run(); });
}

HttpsReceiver::~HttpsReceiver() {
  auto& s = *m_state;
  net::post(s.io, [&s] { s.acceptor.close(); });
  s.thread.join();
}

unsigned short HttpsReceiver::port() const {
  return m_state->port;
}

void HttpsReceiver::answer_with(std::deque<unsigned> statuses) {
  std::lock_guard lock(m_state->mutex);
  m_state->statuses = std::move(statuses);
}

void HttpsReceiver::retry_after(std::string value) {
  std::lock_guard lock(m_state->mutex);
  m_state->retry_after = std::move(value);
}

void HttpsReceiver::close_abruptly() {
  std::lock_guard lock(m_state->mutex);
  m_state->manner = Manner::abrupt;
}

void HttpsReceiver::hang() {
  std::lock_guard lock(m_state->mutex);
  m_state->manner = Manner::hang;
}

void HttpsReceiver::cut_mid_answer() {
  std::lock_guard lock(m_state->mutex);
  m_state->manner = Manner::cut;
}

std::vector<ReceivedRequest> HttpsReceiver::requests() const {
  std::lock_guard lock(m_state->mutex);
  return m_state->requests;
}

}  // namespace secondsight::alert::testing
