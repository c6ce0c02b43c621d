#include "secondsight/config/proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdlib>
#include <cstring>

namespace secondsight::config {
namespace {

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string lowered(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), lower);
  return out;
}

Error bad(std::string_view why) {
  return make_error(std::string(why), ErrorKind::invalid);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// RFC 3986 percent-decoding of a user or password; nullopt for a broken %XX.
std::optional<std::string> percent_decoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = hex_value(text[i + 1]);
    const int low = hex_value(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

bool valid_port(std::string_view port) {
  unsigned number = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
  return !port.empty() && port.size() <= 5 && ec == std::errc() &&
         end == port.data() + port.size() && number >= 1 && number <= 65535;
}

bool valid_host_name(std::string_view host) {
  return !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_';
  });
}

// An IP address's bytes (4 or 16), or nullopt when `text` is none.
struct Address {
  std::array<unsigned char, 16> bytes{};
  std::size_t size = 0;
};

std::optional<Address> ip_address(std::string_view text) {
  const std::string copy(text);
  Address out;
  if (::inet_pton(AF_INET, copy.c_str(), out.bytes.data()) == 1) {
    out.size = 4;
    return out;
  }
  if (::inet_pton(AF_INET6, copy.c_str(), out.bytes.data()) == 1) {
    out.size = 16;
    return out;
  }
  return std::nullopt;
}

// True when the first `bits` bits of both addresses are the same.
bool same_prefix(const Address& a, const Address& b, unsigned bits) {
  for (std::size_t i = 0; bits > 0; ++i, bits = bits >= 8 ? bits - 8 : 0) {
    const unsigned mask = bits >= 8 ? 0xffu : (0xffu << (8 - bits)) & 0xffu;
    if ((a.bytes[i] & mask) != (b.bytes[i] & mask)) return false;
  }
  return true;
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// A host as no_proxy compares it: lower case, without brackets or a final dot.
std::string comparable_host(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  return lowered(host);
}

// Whether one no_proxy entry (already trimmed, not "*") covers the host.
bool entry_matches(std::string_view entry, const std::string& host,
                   const std::optional<Address>& host_ip, std::string_view port) {
  std::string_view name = entry;
  std::string_view entry_port;
  if (!entry.empty() && entry.front() == '[') {
    const auto close = entry.find(']');
    if (close == std::string_view::npos) return false;
    name = entry.substr(1, close - 1);
    const std::string_view after = entry.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return false;
      entry_port = after.substr(1);
    }
  } else if (std::count(entry.begin(), entry.end(), ':') == 1) {
    const auto colon = entry.find(':');
    name = entry.substr(0, colon);
    entry_port = entry.substr(colon + 1);
  }
  if (!entry_port.empty() && entry_port != port) return false;

  if (const auto slash = name.find('/'); slash != std::string_view::npos) {
    const auto network = ip_address(name.substr(0, slash));
    const std::string_view bits_text = name.substr(slash + 1);
    unsigned bits = 0;
    const auto [end, ec] =
        std::from_chars(bits_text.data(), bits_text.data() + bits_text.size(), bits);
    if (!network || !host_ip || ec != std::errc() || end != bits_text.data() + bits_text.size() ||
        bits_text.empty() || network->size != host_ip->size || bits > network->size * 8)
      return false;
    return same_prefix(*network, *host_ip, bits);
  }
  if (const auto address = ip_address(name)) {
    return host_ip && address->size == host_ip->size &&
           std::equal(address->bytes.begin(), address->bytes.begin() + address->size,
                      host_ip->bytes.begin());
  }
  if (host_ip) return false;  // a name never matches an address
  std::string domain = comparable_host(name);
  // A leading dot, or "*." as other tools write it (no host name holds a '*').
  if (domain.starts_with("*.")) domain.erase(0, 1);
  if (!domain.empty() && domain.front() == '.') domain.erase(0, 1);
  if (domain.empty()) return false;
  if (host == domain) return true;
  return host.size() > domain.size() && host.ends_with(domain) &&
         host[host.size() - domain.size() - 1] == '.';
}

std::optional<EnvironmentValue> first_set(const char* lower_name, const char* upper_name) {
  const char* name = lower_name;
  const char* value = std::getenv(lower_name);
  if (!value) {
    name = upper_name;
    value = std::getenv(upper_name);
  }
  if (!value || !*value) return std::nullopt;
  return EnvironmentValue{name, value};
}

}  // namespace

std::string ProxyUrl::redacted() const {
  const std::string shown_host = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return "http://" + std::string(has_credentials() ? "***@" : "") + shown_host + ":" + port;
}

Result<ProxyUrl> parse_proxy_url(std::string_view text) {
  if (text.empty()) return bad("it is empty");
  const bool printable = std::all_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f;
  });
  if (!printable)
    return bad(
        "it may hold only printable ASCII characters, without spaces (percent-encode the "
        "rest)");
  std::string_view rest = text;
  if (const auto scheme_end = text.find("://"); scheme_end != std::string_view::npos) {
    const std::string scheme = lowered(text.substr(0, scheme_end));
    if (scheme == "https")
      return bad(
          "https:// proxies are not supported: secondsight talks plain HTTP to the proxy "
          "and TLS through its tunnel, end to end with the receiver");
    if (scheme != "http") return bad("only http:// proxies are supported (no socks or others)");
    rest = text.substr(scheme_end + 3);
  }
  const auto authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  if (authority_end != std::string_view::npos && rest.substr(authority_end) != "/")
    return bad("a proxy URL ends after its port (no path, query or fragment)");

  ProxyUrl out;
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    const std::string_view user_info = authority.substr(0, at);
    authority = authority.substr(at + 1);
    const auto colon = user_info.find(':');
    auto user = percent_decoded(user_info.substr(0, colon));
    auto password = percent_decoded(colon == std::string_view::npos ? std::string_view()
                                                                    : user_info.substr(colon + 1));
    if (!user || !password)
      return bad("a % in the user or password is not followed by two hex digits");
    out.user = std::move(*user);
    out.password = std::move(*password);
  }

  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return bad("an unclosed [ in the host");
    out.host = std::string(authority.substr(1, close - 1));
    const auto address = ip_address(out.host);
    if (!address || address->size != 16) return bad("[...] must hold an IPv6 address");
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad("unexpected text after the host");
      port = after.substr(1);
      if (port.empty()) return bad("no port after the ':'");
    }
  } else {
    const auto colon = authority.find(':');
    if (colon != std::string_view::npos && authority.find(':', colon + 1) != std::string_view::npos)
      return bad("an IPv6 address goes in brackets, like http://[::1]:3128");
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) return bad("no port after the ':'");
    }
    if (out.host.empty()) return bad("no host");
    if (!valid_host_name(out.host))
      return bad("the host may hold letters, digits, '-', '.' and '_' only");
  }
  out.port = port.empty() ? std::string(k_default_proxy_port) : std::string(port);
  if (!valid_port(out.port)) return bad("the port must be a number from 1 to 65535");
  return out;
}

bool bypasses_proxy(std::string_view no_proxy, std::string_view host, std::string_view port) {
  const std::string wanted = comparable_host(host);
  const auto wanted_ip = ip_address(wanted);
  std::size_t start = 0;
  while (start <= no_proxy.size()) {
    const auto comma = no_proxy.find(',', start);
    const std::string_view entry = trimmed(no_proxy.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (entry == "*") return true;
    if (!entry.empty() && entry_matches(entry, wanted, wanted_ip, port)) return true;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return false;
}

ProxyEnvironment proxy_environment() {
  return {first_set("https_proxy", "HTTPS_PROXY"), first_set("no_proxy", "NO_PROXY")};
}

}  // namespace secondsight::config
