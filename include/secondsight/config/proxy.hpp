// HTTP proxies for the webhook: the proxy URL, the no_proxy rule and the environment's settings
// (https_proxy, no_proxy), read as curl reads them, so one environment means the same to both.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "secondsight/core/result.hpp"

namespace secondsight::config {

// A proxy's port when its URL names none: curl's, so that one https_proxy means the same
// proxy to curl and to secondsight.
inline constexpr std::string_view k_default_proxy_port = "1080";

// http://[USER:PASSWORD@]HOST[:PORT][/], or HOST[:PORT] without a scheme (read as http://).
struct ProxyUrl {
  std::string host;      // a DNS name or an IP address; without brackets for IPv6
  std::string port;      // k_default_proxy_port when not given
  std::string user;      // percent-decoded; empty with the password when the URL has none
  std::string password;  // percent-decoded

  bool has_credentials() const { return !user.empty() || !password.empty(); }
  // The proxy for messages, logs and evidence: http://HOST:PORT, or http://***@HOST:PORT when it
  // has credentials. Its user and password are never shown.
  std::string redacted() const;
};

// What a proxy URL looks like, for messages.
inline constexpr std::string_view k_proxy_url_form = "http://[USER:PASSWORD@]HOST[:PORT]";

// Parses a proxy URL. The error says what is wrong and never quotes the text, which may hold a
// password; the caller names where the text came from and the form it must have.
Result<ProxyUrl> parse_proxy_url(std::string_view text);

// True when `host` (and `port`) is one that `no_proxy` sends directly, as curl reads the list:
// comma-separated entries, blanks around them ignored, case-insensitive; `*` matches every
// host; a name matches itself and the names under it (`example.com`, `.example.com` and
// `*.example.com` all match `a.example.com`, not `badexample.com`); an IP address matches that
// address only, and an address with /BITS a range (10.0.0.0/8, fd00::/8); an IPv6 address may be
// written in brackets;
// `:PORT` after an entry limits it to that port.
bool bypasses_proxy(std::string_view no_proxy, std::string_view host, std::string_view port);

// How a webhook reaches its receiver.
struct ProxySetting {
  std::optional<ProxyUrl> url;  // none: directly
  // Where `url` came from, for messages: "proxy" (the config) or the environment variable's
  // name (https_proxy or HTTPS_PROXY).
  std::string source;
  // The environment's no_proxy, when `url` came from the environment: the receivers it does not
  // serve. A proxy named in the config serves its sink whatever no_proxy says.
  std::string no_proxy;
};

// A variable of the environment, by the name under which it was found.
struct EnvironmentValue {
  std::string name;
  std::string value;
};

// The proxy settings of this process's environment, as curl reads them for https:// URLs: the
// lower-case name wins when it is set at all (https_proxy over HTTPS_PROXY, no_proxy over
// NO_PROXY), and an empty value sets nothing: an empty https_proxy means no proxy even beside an
// HTTPS_PROXY. all_proxy is not read.
struct ProxyEnvironment {
  std::optional<EnvironmentValue> https_proxy;
  std::optional<EnvironmentValue> no_proxy;
};
ProxyEnvironment proxy_environment();

}  // namespace secondsight::config
