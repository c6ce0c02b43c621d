// The local API: a small HTTP/1.1 server on the daemon's event loop (loopback by default, TLS
// when configured), every request authorised by a bearer token read from token_file.
#pragma once

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "secondsight/core/result.hpp"

namespace secondsight::app {

struct ApiRequest {
  std::string method;
  std::string target;  // path and query, as sent
  // "Authorization: Bearer <the API token>" came with it (the server compares the token).
  bool bearer = false;
  bool tls = false;       // it came over TLS
  std::string peer = {};  // the client's address
  // The headers the routes read, as sent ("" when absent).
  std::string host = {};
  std::string cookie = {};
  std::string accept = {};
  std::string content_type = {};
  std::string origin = {};
  std::string fetch_site = {};  // Sec-Fetch-Site
  std::string body = {};
};

struct ApiResponse {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers = {};  // Location, Set-Cookie, ...
};

using ApiHandler = std::function<ApiResponse(const ApiRequest&)>;

// A listener's TLS: its certificate (with its chain) and key, checked against each other. The
// sessions that use it keep it alive.
struct ApiTls;

// Reads a certificate chain and its private key (PEM) for a TLS 1.2+ server. An error (kind
// invalid) names the file and what is wrong: unreadable, no PEM, an encrypted key, a key that
// does not belong to the certificate; never the key's content.
Result<std::shared_ptr<ApiTls>> load_api_tls(const std::filesystem::path& cert_file,
                                             const std::filesystem::path& key_file);

class ApiServer {
 public:
  // Listens on `listen` ("127.0.0.1:9477", "[::1]:9477", "localhost:9477" for 127.0.0.1),
  // over TLS when `tls` is given, plain HTTP when it is null. Every whole request reaches the
  // handler, with `bearer` set when it carried "Authorization: Bearer <token>": the handler's
  // routes decide what needs the token. Every answer carries the security headers (no
  // caching, no sniffing, no framing, no referrer, a Content-Security-Policy that allows only
  // this server's stylesheet, and Strict-Transport-Security over TLS).
  static Result<std::unique_ptr<ApiServer>> start(boost::asio::io_context& io,
                                                  const std::string& listen, std::string token,
                                                  std::shared_ptr<ApiTls> tls, ApiHandler handler);
  virtual ~ApiServer() = default;
  // The port it listens on (useful with port 0).
  virtual unsigned short port() const = 0;
  // Connections that arrive from now on need this token and are served with this TLS (plain
  // HTTP when null); those in flight keep what they started with.
  virtual void set_credentials(std::string token, std::shared_ptr<ApiTls> tls) = 0;
  virtual void stop() = 0;
};

// The answer to one connection's bytes, as a plain-HTTP session from 127.0.0.1 gives it: the
// response's bytes, or "" when the bytes hold no complete, well-formed request (a session then
// closes without a word).
std::string answer_request_bytes(std::string_view request, const std::string& token,
                                 const ApiHandler& handler);

// Reads a secret file: its content without one trailing newline. An empty or unreadable file
// is an error naming the file, never its content.
Result<std::string> read_secret_file(const std::string& path, std::string_view what);

// True when the two are equal, in time that does not depend on where they differ.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace secondsight::app
