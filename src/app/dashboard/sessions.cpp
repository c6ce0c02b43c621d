#include "sessions.hpp"

#include <openssl/rand.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "secondsight/app/api_server.hpp"

namespace secondsight::app::dashboard {
namespace {

constexpr std::size_t k_max_name = 64;
constexpr std::size_t k_min_token = 16;
constexpr std::size_t k_max_token = 4096;

bool name_character(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '@' || c == '-';
}

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

}  // namespace

Result<std::vector<NamedToken>> read_tokens_file(const std::filesystem::path& path) {
  const std::string where = path.string();
  auto refused = [&](const std::string& what) {
    return make_error("dashboard_tokens_file " + what, ErrorKind::invalid);
  };
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0)
    return refused(where + ": cannot read: " + std::strerror(errno));
  if (!S_ISREG(status.st_mode)) return refused(where + " is not a regular file");
  if ((status.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    return refused(where + " may be read by others (mode " + std::to_string(status.st_mode & 0777) +
                   " in octal is too open): it holds tokens; chmod 600 it");
  std::ifstream in(path, std::ios::binary);
  if (!in) return refused(where + ": cannot read: " + std::strerror(errno));

  std::vector<NamedToken> tokens;
  std::set<std::string> names;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const std::string at = where + ":" + std::to_string(number) + ": ";
    const std::string_view text = trim(line);
    if (text.empty() || text.front() == '#') continue;
    const auto colon = text.find(':');
    if (colon == std::string_view::npos)
      return refused(at + "expected NAME: TOKEN (the token is not shown)");
    const std::string_view name = trim(text.substr(0, colon));
    const std::string_view token = trim(text.substr(colon + 1));
    if (name.empty() || name.size() > k_max_name ||
        !std::all_of(name.begin(), name.end(), name_character))
      return refused(at + "a name is 1 to " + std::to_string(k_max_name) +
                     " letters, digits or . _ @ -");
    if (name == k_api_token_name)
      return refused(at + "'" + std::string(k_api_token_name) +
                     "' is the name of the API's own token; choose another");
    if (token.size() < k_min_token || token.size() > k_max_token ||
        !std::all_of(token.begin(), token.end(), [](char c) { return c > ' ' && c < 0x7f; }))
      return refused(at + "the token of " + std::string(name) + " must be " +
                     std::to_string(k_min_token) +
                     " or more printable characters without spaces (it is not shown)");
    if (!names.emplace(name).second) return refused(at + std::string(name) + " is named twice");
    for (const auto& earlier : tokens)
      if (constant_time_equal(earlier.token, token))
        return refused(at + std::string(name) + " has the same token as " + earlier.name +
                       "; each person needs their own");
    tokens.push_back({std::string(name), std::string(token)});
  }
  return tokens;
}

std::string name_of_token(const std::vector<NamedToken>& tokens, std::string_view given) {
  std::string found;
  for (const auto& token : tokens)  // every one, so the time says nothing about which
    if (constant_time_equal(given, token.token) && found.empty()) found = token.name;
  return found;
}

std::string random_hex_token() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
    throw std::runtime_error("the system's random source failed");
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char byte : bytes) {
    out += k_hex[byte >> 4];
    out += k_hex[byte & 0xf];
  }
  return out;
}

std::string Sessions::open(std::string name, Instant now) {
  // Expired sessions go first; then, if still full, the least recently used.
  std::erase_if(m_sessions, [&](const auto& entry) {
    const Session& session = entry.second;
    return now - session.last_used >= k_idle || now - session.opened >= k_lifetime;
  });
  if (m_sessions.size() >= k_max_sessions) {
    auto oldest = std::min_element(m_sessions.begin(), m_sessions.end(), [](auto& a, auto& b) {
      return a.second.last_used < b.second.last_used;
    });
    m_sessions.erase(oldest);
  }
  std::string id = random_hex_token();
  m_sessions[id] = Session{std::move(name), random_hex_token(), now, now, {}};
  return id;
}

Session* Sessions::find(std::string_view id, Instant now) {
  auto found = m_sessions.find(id);
  if (found == m_sessions.end()) return nullptr;
  Session& session = found->second;
  if (now - session.last_used >= k_idle || now - session.opened >= k_lifetime) {
    m_sessions.erase(found);
    return nullptr;
  }
  session.last_used = std::max(session.last_used, now);
  return &session;
}

void Sessions::close(std::string_view id) {
  auto found = m_sessions.find(id);
  if (found != m_sessions.end()) m_sessions.erase(found);
}

void Sessions::keep_only(const std::set<std::string>& names) {
  std::erase_if(m_sessions, [&](const auto& entry) { return !names.contains(entry.second.name); });
}

std::optional<long long> LoginThrottle::wait(std::string_view peer, Instant now) {
  if (!peer.empty())
    if (auto everyone = wait("", now)) return everyone;
  auto found = m_failures.find(peer);
  if (found == m_failures.end()) return std::nullopt;
  const auto over = found->second.first + k_window;
  if (now >= over) {
    m_failures.erase(found);
    return std::nullopt;
  }
  if (found->second.count < k_failures) return std::nullopt;
  return std::chrono::ceil<std::chrono::seconds>(over - now).count();
}

void LoginThrottle::failed(const std::string& peer, Instant now) {
  std::erase_if(m_failures,
                [&](const auto& entry) { return now >= entry.second.first + k_window; });
  auto found = m_failures.find(peer);
  if (found == m_failures.end()) {
    // A flood from many addresses: the whole table counts as one address (all are braked).
    if (m_failures.size() >= k_max_addresses) {
      auto& all = m_failures[""];
      if (all.count == 0) all.first = now;
      ++all.count;
      return;
    }
    found = m_failures.emplace(peer, Failures{now, 0}).first;
  }
  ++found->second.count;
}

}  // namespace secondsight::app::dashboard
