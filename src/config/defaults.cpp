#include <arpa/inet.h>
#include <netinet/in.h>

#include <cctype>
#include <cstring>

#include "secondsight/config/config.hpp"
#include "secondsight/config/policy.hpp"

namespace secondsight::config {

DirectoryAttributes default_attributes(Flavor flavor) {
  DirectoryAttributes a;
  a.kind = "employeeType";
  a.uid_number = "uidNumber";
  a.manager = "manager";
  a.display_name = "cn";
  a.member = "member";
  a.member_of = "memberOf";
  if (flavor == Flavor::active_directory) {
    a.id = "sAMAccountName";
    a.agency = "company";
    a.end_date = EndDateAttribute{"accountExpires", EndDateFormat::ad_filetime};
    a.disabled = DisabledRule{"userAccountControl", false, 0x2, {}};
    a.aliases = {"mail", "userPrincipalName"};
    a.display_name = "displayName";
  } else {
    a.id = "uid";
    a.agency = "o";
    a.disabled = DisabledRule{"pwdAccountLockedTime", true, std::nullopt, {}};
    a.aliases = {"mail"};
  }
  return a;
}

bool is_loopback_host(std::string_view host) {
  std::string name(host);
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (name == "localhost" || name == "localhost." || name == "::1") return true;
  if (host.rfind("127.", 0) != 0) return false;
  int dots = 0;
  for (char c : host) {
    if (c == '.') {
      ++dots;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return dots == 3;
}

std::string uri_host(std::string_view uri) {
  const auto scheme_end = uri.find("://");
  if (scheme_end == std::string_view::npos) return {};
  std::string_view rest = uri.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find_first_of("/?"));
  if (rest.starts_with('[')) {
    const auto close = rest.find(']');
    return close == std::string_view::npos ? std::string() : std::string(rest.substr(1, close - 1));
  }
  return std::string(rest.substr(0, rest.find(':')));
}

const System* Policy::find_system(std::string_view id) const {
  for (const auto& system : systems)
    if (system.id == id) return &system;
  return nullptr;
}

std::string to_string(Criticality criticality) {
  switch (criticality) {
    case Criticality::low: return "low";
    case Criticality::normal: return "normal";
    case Criticality::high: return "high";
    case Criticality::critical: return "critical";
  }
  return "normal";
}

bool is_loopback_listen(std::string_view listen) {
  std::string host(listen.substr(0, listen.rfind(':')));
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    const std::string inside = host.substr(1, host.size() - 2);
    in6_addr v6{};
    return ::inet_pton(AF_INET6, inside.c_str(), &v6) == 1 &&
           std::memcmp(&v6, &in6addr_loopback, sizeof v6) == 0;
  }
  for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (host == "localhost") return true;
  in_addr v4{};
  return ::inet_pton(AF_INET, host.c_str(), &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127;
}

}  // namespace secondsight::config
