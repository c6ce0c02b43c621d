// The real daemon as a child process: its systemd notifications received on a socket of the
// test's own (NOTIFY_SOCKET), its API asked over loopback HTTP, signals sent to it.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace secondsight::testing {

struct HttpAnswer {
  unsigned status = 0;
  std::string body;
};

// A TCP port on 127.0.0.1 that was free a moment ago.
inline unsigned short free_loopback_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(
      io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

// GET http://127.0.0.1:PORT/TARGET with a bearer token (none when empty).
inline HttpAnswer http_get(unsigned short port, const std::string& target,
                           const std::string& token) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(30));
  beast::error_code ec;
  stream.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port),
                 ec);
  if (ec) return {0, ec.message()};
  http::request<http::empty_body> request(http::verb::get, target, 11);
  request.set(http::field::host, "127.0.0.1");
  if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
  http::write(stream, request, ec);
  if (ec) return {0, ec.message()};
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(stream, buffer, response, ec);
  if (ec && ec != http::error::end_of_stream) return {0, ec.message()};
  return {response.result_int(), response.body()};
}

// Scans the daemon has run, from its /metrics; -1 when it does not answer.
inline long scans_done(unsigned short port, const std::string& token) {
  const std::string body = http_get(port, "/metrics", token).body;
  const std::string name = "\nsecondsight_scans_total ";
  const auto at = body.find(name);
  return at == std::string::npos ? -1 : std::stol(body.substr(at + name.size()));
}

class DaemonProcess {
 public:
  DaemonProcess(const std::string& binary, const std::filesystem::path& config,
                const std::filesystem::path& folder, const std::string& now = "") {
    m_socket_path = (folder / "notify.sock").string();
    m_socket = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::snprintf(address.sun_path, sizeof address.sun_path, "%s", m_socket_path.c_str());
    ::unlink(m_socket_path.c_str());
    EXPECT_EQ(::bind(m_socket, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    m_log = (folder / "daemon.log").string();
    m_pid = ::fork();
    if (m_pid > 0) m_reader = std::thread([this] { read_notifications(); });
    if (m_pid == 0) {
      ::setenv("NOTIFY_SOCKET", m_socket_path.c_str(), 1);
      int out = ::open(m_log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
      ::dup2(out, 1);
      ::dup2(out, 2);
      if (now.empty())
        ::execl(binary.c_str(), binary.c_str(), "--log-level", "info", "daemon", "--config",
                config.c_str(), static_cast<char*>(nullptr));
      else
        ::execl(binary.c_str(), binary.c_str(), "--log-level", "info", "daemon", "--config",
                config.c_str(), "--now", now.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  ~DaemonProcess() {
    if (m_pid > 0 && !m_exited) {
      ::kill(m_pid, SIGKILL);
      ::waitpid(m_pid, nullptr, 0);
    }
    m_stop_reader = true;
    if (m_reader.joinable()) m_reader.join();
    ::close(m_socket);
    ::unlink(m_socket_path.c_str());
  }

  // Waits for a notification containing `text` ("READY=1"); false after `timeout`.
  bool wait_for_notification(const std::string& text,
                             std::chrono::milliseconds timeout = std::chrono::seconds(120)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    bool ended = false;
    std::unique_lock lock(m_mutex);
    for (;;) {
      for (const auto& message : m_notifications)
        if (message.find(text) != std::string::npos) return true;
      if (std::chrono::steady_clock::now() >= deadline) return false;
      // What the process sent before it ended is still read off the socket: one more round.
      if (ended) return false;
      ended = !running();
      m_arrived.wait_for(lock, std::chrono::milliseconds(ended ? 300 : 200));
    }
  }
  // Forgets the notifications received so far.
  void clear_notifications() {
    std::lock_guard lock(m_mutex);
    m_notifications.clear();
  }

  // Waits until `condition` holds, asking again every 50 ms; false after `timeout`.
  static bool eventually(const std::function<bool()>& condition,
                         std::chrono::milliseconds timeout = std::chrono::seconds(120)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (condition()) return true;
      ::poll(nullptr, 0, 50);
    }
    return condition();
  }

  void signal(int number) { ::kill(m_pid, number); }
  pid_t pid() const { return m_pid; }
  bool running() {
    if (m_exited) return false;
    int status = 0;
    if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
      m_exited = true;
      m_status = status;
      return false;
    }
    return true;
  }
  // Waits for the process to end; its exit code, or -1 when killed by a signal.
  int wait_exit(std::chrono::milliseconds timeout = std::chrono::seconds(120)) {
    eventually([&] { return !running(); }, timeout);
    if (!m_exited) return -2;
    return WIFEXITED(m_status) ? WEXITSTATUS(m_status) : -1;
  }
  const std::string& log_path() const { return m_log; }

 private:
  // Every notification is taken off the socket as it comes, as systemd does: a daemon that
  // finds the socket's queue full (ten datagrams) blocks in sd_notify.
  void read_notifications() {
    while (!m_stop_reader) {
      pollfd descriptor{m_socket, POLLIN, 0};
      if (::poll(&descriptor, 1, 100) <= 0) continue;
      char buffer[4096];
      for (ssize_t got; (got = ::recv(m_socket, buffer, sizeof buffer, MSG_DONTWAIT)) > 0;) {
        std::lock_guard lock(m_mutex);
        m_notifications.emplace_back(buffer, static_cast<std::size_t>(got));
        m_arrived.notify_all();
      }
    }
  }

  pid_t m_pid = -1;
  int m_socket = -1;
  std::string m_socket_path;
  std::string m_log;
  std::mutex m_mutex;
  std::condition_variable m_arrived;
  std::vector<std::string> m_notifications;
  std::thread m_reader;
  std::atomic<bool> m_stop_reader{false};
  bool m_exited = false;
  int m_status = 0;
};

}  // namespace secondsight::testing
