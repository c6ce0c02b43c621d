// The local API: a small HTTP/1.1 server on the daemon's event loop (loopback by default),
// every request authorised by a bearer token read from token_file.
#pragma once

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "secondsight/core/result.hpp"

namespace secondsight::app {

struct ApiRequest {
  std::string method;
  std::string target;  // path and query, as sent
};

struct ApiResponse {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
};

using ApiHandler = std::function<ApiResponse(const ApiRequest&)>;

class ApiServer {
 public:
  // Listens on `listen` ("127.0.0.1:9477", "[::1]:9477"); requests without
  // "Authorization: Bearer <token>" get 401 and never reach the handler.
  static Result<std::unique_ptr<ApiServer>> start(boost::asio::io_context& io,
                                                  const std::string& listen, std::string token,
                                                  ApiHandler handler);
  virtual ~ApiServer() = default;
  // The port it listens on (useful with port 0).
  virtual unsigned short port() const = 0;
  // Requests that arrive from now on need this token.
  virtual void set_token(std::string token) = 0;
  virtual void stop() = 0;
};

// The answer to one connection's bytes, as a session gives it: the response's bytes, or ""
// when the bytes hold no complete, well-formed request (a session then closes without a word).
std::string answer_request_bytes(std::string_view request, const std::string& token,
                                 const ApiHandler& handler);

// Reads a secret file: its content without one trailing newline. An empty or unreadable file
// is an error naming the file, never its content.
Result<std::string> read_secret_file(const std::string& path, std::string_view what);

// True when the two are equal, in time that does not depend on where they differ.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace secondsight::app
