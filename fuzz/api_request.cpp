// The API on any bytes of a connection: what it answers is one well-formed HTTP response with
// the security headers; the handler is told of the bearer token only when the bytes carry it;
// a HEAD has no body.
#include <boost/beast/http.hpp>

#include "harness.hpp"
#include "secondsight/app/api_server.hpp"

namespace {

namespace http = boost::beast::http;
using namespace secondsight;

constexpr const char* k_token = "s3cret-token";

struct Asked {
  bool called = false;
  app::ApiRequest request;
};

// Routes as the daemon's handler does: the token first, then GET and HEAD only, then by path;
// a path of "/throw" throws.
app::ApiResponse handle(Asked& asked, const app::ApiRequest& request) {
  asked = {true, request};
  if (!request.bearer) return {401, "application/json", "{}", {{"WWW-Authenticate", "Bearer"}}};
  if (request.method != "GET" && request.method != "HEAD") return {405, "application/json", "{}"};
  const std::string path = request.target.substr(0, request.target.find('?'));
  if (path == "/throw") throw std::runtime_error("handler failed");
  if (path == "/healthz") return {200, "application/json", "{\"status\":\"ok\"}\n"};
  if (path == "/metrics") return {200, "text/plain; version=0.0.4; charset=utf-8", "up 1\n"};
  if (path == "/api/v1/findings") return {200, "application/json", "{\"findings\":[]}\n"};
  return {404, "application/json", R"({"error":"not found"})"};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Asked asked;
  const std::string input(fuzz::text_of(data, size));
  const std::string answer = app::answer_request_bytes(
      input, k_token, [&](const app::ApiRequest& request) { return handle(asked, request); });
  if (answer.empty()) {
    FUZZ_CHECK(!asked.called);
    return 0;
  }

  http::response_parser<http::string_body> parser;
  parser.eager(true);
  // A HEAD's response announces the length of a body it does not carry.
  if (asked.called && asked.request.method == "HEAD") parser.skip(true);
  boost::beast::error_code ec;
  const std::size_t used = parser.put(boost::asio::buffer(answer), ec);
  FUZZ_CHECK(!ec);
  FUZZ_CHECK(parser.is_done());
  FUZZ_CHECK(used == answer.size());
  const auto& response = parser.get();
  const unsigned status = response.result_int();
  FUZZ_CHECK(response[http::field::server] == "secondsight");
  FUZZ_CHECK(!response.keep_alive());
  FUZZ_CHECK(asked.called);
  FUZZ_CHECK(response["Content-Security-Policy"].starts_with("default-src 'none'"));
  FUZZ_CHECK(response["X-Content-Type-Options"] == "nosniff");
  FUZZ_CHECK(!asked.request.bearer || input.find(k_token) != std::string::npos);
  if (!asked.request.bearer) {
    FUZZ_CHECK(status == 401 || status == 500);
    if (status == 401) FUZZ_CHECK(response[http::field::www_authenticate] == "Bearer");
    return 0;
  }
  if (asked.request.method != "GET" && asked.request.method != "HEAD") {
    FUZZ_CHECK(status == 405);
    return 0;
  }
  FUZZ_CHECK(status == 200 || status == 404 || status == 500);
  if (asked.request.method == "HEAD") FUZZ_CHECK(response.body().empty());
  return 0;
}
