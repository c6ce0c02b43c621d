// A real HTTPS receiver on 127.0.0.1 for the webhook tests: Boost.Beast over OpenSSL on a
// thread of its own. It records each request and answers with the statuses it is given.
#pragma once

#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace secondsight::alert::testing {

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  unsigned answered = 0;  // the status it got
};

enum class Manner { tidy, abrupt, hang, cut };

class HttpsReceiver {
 public:
  // Listens on 127.0.0.1:`port` (0: any free port) as soon as it is constructed.
  HttpsReceiver(const std::filesystem::path& cert, const std::filesystem::path& key,
                unsigned short port = 0);
  ~HttpsReceiver();
  HttpsReceiver(const HttpsReceiver&) = delete;
  HttpsReceiver& operator=(const HttpsReceiver&) = delete;

  unsigned short port() const;
  // The statuses of the next requests, in turn; 200 once they are used up.
  void answer_with(std::deque<unsigned> statuses);
  // The Retry-After of its 429 and 503 answers ("7" unless told).
  void retry_after(std::string value);
  // From now on: answers without Content-Length (the body ends with the connection) and
  // closes the connection without TLS close_notify, as some receivers do.
  void close_abruptly();
  // From now on: reads the request and never answers (until it is destroyed).
  void hang();
  // From now on: closes the connection halfway through the status line.
  void cut_mid_answer();
  std::vector<ReceivedRequest> requests() const;

 private:
  struct State;
  std::unique_ptr<State> m_state;
};

}  // namespace secondsight::alert::testing
