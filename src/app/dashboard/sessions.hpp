// Who may look at the dashboard: the tokens people log in with, the sessions a login opens, and
// the brake on guessing tokens. All of it lives on the daemon's event loop, in memory: a restart
// ends every session.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "secondsight/core/result.hpp"
#include "secondsight/core/time.hpp"

namespace secondsight::app::dashboard {

struct NamedToken {
  std::string name;  // who logs in with it: the evidence log's "by"
  std::string token;
};

// The name the API's own token logs in as.
inline constexpr std::string_view k_api_token_name = "api";

// dashboard_tokens_file: one person per line, "NAME: TOKEN"; blank lines and lines starting
// with '#' are skipped. A name is 1 to 64 of [A-Za-z0-9._@-] and not "api"; a token is at
// least 16 printable ASCII characters without spaces. Names and tokens are unique. The file
// must not be readable by group or others. An error names the file and line, never a token.
Result<std::vector<NamedToken>> read_tokens_file(const std::filesystem::path& path);

// The name whose token `given` is, compared in constant time against every token; "" for none.
std::string name_of_token(const std::vector<NamedToken>& tokens, std::string_view given);

struct Session {
  std::string name;
  std::string csrf;  // the token every form of the session carries
  Instant opened;
  Instant last_used;
  std::string notice;  // one line for the next page (after a POST), then cleared
};

class Sessions {
 public:
  // A session ends after this long without a request, or this long after it began.
  static constexpr auto k_idle = std::chrono::hours(1);
  static constexpr auto k_lifetime = std::chrono::hours(12);
  // Beyond this many, the least recently used session ends for a new one.
  static constexpr std::size_t k_max_sessions = 4096;

  // Opens a session for `name`; its id (64 hex digits from the system's random source) is
  // what the cookie carries.
  std::string open(std::string name, Instant now);
  // The session of `id`, marked as used now; nullptr when unknown or expired (then removed).
  Session* find(std::string_view id, Instant now);
  void close(std::string_view id);
  // Ends the sessions of every name not in `names` (their token was removed at a reload).
  void keep_only(const std::set<std::string>& names);
  std::size_t size() const { return m_sessions.size(); }

 private:
  std::map<std::string, Session, std::less<>> m_sessions;
};

// Failed logins per client address: after k_failures within k_window, that address is refused
// until the window has passed. Addresses are forgotten when their window is over. Failures from
// more addresses than k_max_addresses at once count together, and brake every address.
class LoginThrottle {
 public:
  static constexpr int k_failures = 5;
  static constexpr auto k_window = std::chrono::minutes(1);
  static constexpr std::size_t k_max_addresses = 10000;

  // nullopt: may try now; else the seconds until it may.
  std::optional<long long> wait(std::string_view peer, Instant now);
  void failed(const std::string& peer, Instant now);

 private:
  struct Failures {
    Instant first;
    int count = 0;
  };
  std::map<std::string, Failures, std::less<>> m_failures;
};

// 64 hex digits from the system's random source (OpenSSL's RAND_bytes).
std::string random_hex_token();

}  // namespace secondsight::app::dashboard
