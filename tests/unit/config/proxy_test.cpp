// Proxy URLs and the no_proxy list, read as curl reads them; which variables of the environment
// are read; and a webhook's proxy as the config loader settles it.
#include "secondsight/config/proxy.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <optional>
#include <string>

#include "secondsight/app/plugins.hpp"
#include "secondsight/config/loader.hpp"
#include "test_files.hpp"

namespace secondsight::config {
namespace {

using ::testing::ElementsAre;
using testing::formatted;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using testing::TempDir;

TEST(ProxyUrl, HostPortAndCredentials) {
  auto plain = parse_proxy_url("http://proxy.corp.example:3128");
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_EQ(plain->host, "proxy.corp.example");
  EXPECT_EQ(plain->port, "3128");
  EXPECT_FALSE(plain->has_credentials());
  EXPECT_EQ(plain->redacted(), "http://proxy.corp.example:3128");

  auto with_user = parse_proxy_url("HTTP://alice:p%40ss%3Aw0rd@10.0.0.8:8080/");
  ASSERT_TRUE(with_user) << with_user.error().message;
  EXPECT_EQ(with_user->host, "10.0.0.8");
  EXPECT_EQ(with_user->port, "8080");
  EXPECT_EQ(with_user->user, "alice");
  EXPECT_EQ(with_user->password, "p@ss:w0rd");  // percent-decoded
  EXPECT_EQ(with_user->redacted(), "http://***@10.0.0.8:8080");
}

TEST(ProxyUrl, PortDefaultsToCurlsAndASchemeToHttp) {
  auto url = parse_proxy_url("http://proxy");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->port, "1080");
  auto bare = parse_proxy_url("proxy.corp.example:3128");
  ASSERT_TRUE(bare) << bare.error().message;
  EXPECT_EQ(bare->host, "proxy.corp.example");
  EXPECT_EQ(bare->port, "3128");
}

TEST(ProxyUrl, IPv6InBrackets) {
  auto url = parse_proxy_url("http://[::1]:3128");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, "3128");
  EXPECT_EQ(url->redacted(), "http://[::1]:3128");
  auto no_port = parse_proxy_url("http://u:p@[fd00::5]");
  ASSERT_TRUE(no_port);
  EXPECT_EQ(no_port->host, "fd00::5");
  EXPECT_EQ(no_port->port, "1080");
  EXPECT_EQ(no_port->redacted(), "http://***@[fd00::5]:1080");

  EXPECT_THAT(parse_proxy_url("http://::1:3128").error().message, HasSubstr("in brackets"));
  EXPECT_FALSE(parse_proxy_url("http://[::1:3128"));
  EXPECT_FALSE(parse_proxy_url("http://[proxy]:3128"));
  EXPECT_FALSE(parse_proxy_url("http://[::1]3128"));
}

TEST(ProxyUrl, OtherSchemesAndGarbageAreRefusedWithoutQuotingThem) {
  const auto https = parse_proxy_url("https://alice:hunter2@proxy:3128");
  ASSERT_FALSE(https);
  EXPECT_THAT(https.error().message, HasSubstr("https:// proxies are not supported"));
  EXPECT_THAT(https.error().message, Not(HasSubstr("hunter2")));
  EXPECT_THAT(parse_proxy_url("socks5://proxy:1080").error().message,
              HasSubstr("only http:// proxies"));
  for (const char* garbage :
       {"", "http://", "http://:3128", "http://proxy:", "http://proxy:0", "http://proxy:65536",
        "http://proxy:31x8", "http://proxy:3128/path", "http://proxy:3128?x", "http://pro xy:3128",
        "http://proxy\n:3128", "http://pr*xy:3128", "http://u:p%4@proxy:3128",
        "http://u:p%zz@proxy:3128", "http://proxy:3128:1"}) {
    const auto url = parse_proxy_url(garbage);
    ASSERT_FALSE(url) << garbage;
    EXPECT_FALSE(url.error().message.empty()) << garbage;
    EXPECT_EQ(url.error().kind, ErrorKind::invalid);
  }
  // The text itself, a password perhaps, never shows in the error.
  const auto bad = parse_proxy_url("http://alice:hunter2@proxy:99999");
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().message, Not(HasSubstr("hunter2")));
  EXPECT_THAT(bad.error().message, Not(HasSubstr("alice")));
}

TEST(NoProxy, NamesMatchThemselvesAndWhatIsUnderThemOnDomainBoundaries) {
  for (const char* list : {"example.com", ".example.com", "EXAMPLE.com", " example.com ",
                           "other.org,example.com", "other.org , \t.example.com\t"}) {
    EXPECT_TRUE(bypasses_proxy(list, "a.example.com", "443")) << list;
    EXPECT_TRUE(bypasses_proxy(list, "deep.a.Example.COM", "443")) << list;
    EXPECT_TRUE(bypasses_proxy(list, "example.com", "443")) << list;
    EXPECT_TRUE(bypasses_proxy(list, "example.com.", "443")) << list;  // a final dot
    EXPECT_FALSE(bypasses_proxy(list, "badexample.com", "443")) << list;
    EXPECT_FALSE(bypasses_proxy(list, "example.com.evil.net", "443")) << list;
    EXPECT_FALSE(bypasses_proxy(list, "com", "443")) << list;
  }
  EXPECT_FALSE(bypasses_proxy("", "example.com", "443"));
  EXPECT_FALSE(bypasses_proxy(",, ,", "example.com", "443"));
  EXPECT_FALSE(bypasses_proxy(".", "example.com", "443"));
}

TEST(NoProxy, StarMatchesEveryHost) {
  EXPECT_TRUE(bypasses_proxy("*", "siem.example.com", "443"));
  EXPECT_TRUE(bypasses_proxy("intranet, *", "127.0.0.1", "8443"));
  EXPECT_TRUE(bypasses_proxy(" * ", "::1", "443"));
  // "*." as other tools write it is a leading dot.
  EXPECT_TRUE(bypasses_proxy("*.example.com", "a.example.com", "443"));
  EXPECT_FALSE(bypasses_proxy("*.example.com", "other.net", "443"));
}

TEST(NoProxy, AddressesMatchExactlyOrByRange) {
  EXPECT_TRUE(bypasses_proxy("127.0.0.1", "127.0.0.1", "443"));
  EXPECT_FALSE(bypasses_proxy("127.0.0.1", "127.0.0.10", "443"));
  EXPECT_FALSE(bypasses_proxy("0.0.1", "127.0.0.1", "443"));  // no suffix match of addresses
  EXPECT_FALSE(bypasses_proxy("127.0.0.1", "localhost", "443"));
  EXPECT_FALSE(bypasses_proxy("localhost", "127.0.0.1", "443"));
  EXPECT_TRUE(bypasses_proxy("10.0.0.0/8", "10.20.30.40", "443"));
  EXPECT_FALSE(bypasses_proxy("10.0.0.0/8", "11.0.0.1", "443"));
  EXPECT_TRUE(bypasses_proxy("192.168.4.0/22", "192.168.7.255", "443"));
  EXPECT_FALSE(bypasses_proxy("192.168.4.0/22", "192.168.8.0", "443"));
  EXPECT_FALSE(bypasses_proxy("10.0.0.0/33", "10.0.0.1", "443"));
  EXPECT_FALSE(bypasses_proxy("10.0.0.0/8", "ten.example", "443"));
  // IPv6: bare, in brackets, written another way, by range.
  EXPECT_TRUE(bypasses_proxy("::1", "::1", "443"));
  EXPECT_TRUE(bypasses_proxy("[::1]", "::1", "443"));
  EXPECT_TRUE(bypasses_proxy("0:0:0:0:0:0:0:1", "[::1]", "443"));
  EXPECT_TRUE(bypasses_proxy("FD00::/8", "fd12:3456::1", "443"));
  EXPECT_FALSE(bypasses_proxy("fd00::/8", "fe80::1", "443"));
  EXPECT_FALSE(bypasses_proxy("::1", "127.0.0.1", "443"));
}

TEST(NoProxy, APortLimitsAnEntryToIt) {
  EXPECT_TRUE(bypasses_proxy("example.com:8443", "a.example.com", "8443"));
  EXPECT_FALSE(bypasses_proxy("example.com:8443", "a.example.com", "443"));
  EXPECT_TRUE(bypasses_proxy("127.0.0.1:4433", "127.0.0.1", "4433"));
  EXPECT_FALSE(bypasses_proxy("127.0.0.1:4433", "127.0.0.1", "443"));
  EXPECT_TRUE(bypasses_proxy("[::1]:3000", "::1", "3000"));
  EXPECT_FALSE(bypasses_proxy("[::1]:3000", "::1", "443"));
  EXPECT_FALSE(bypasses_proxy("[::1", "::1", "443"));
}

// Sets or clears the proxy variables for one test, and puts them back after it.
class Environment {
 public:
  using Variables = std::map<std::string, std::optional<std::string>>;
  Environment() : Environment(Variables{}) {}
  explicit Environment(const Variables& values) {
    for (const char* name : {"https_proxy", "HTTPS_PROXY", "no_proxy", "NO_PROXY"}) {
      if (const char* old = std::getenv(name))
        m_saved[name] = old;
      else
        m_saved[name] = std::nullopt;
      ::unsetenv(name);
    }
    for (const auto& [name, value] : values)
      if (value) ::setenv(name.c_str(), value->c_str(), 1);
  }
  ~Environment() {
    for (const auto& [name, value] : m_saved) {
      if (value)
        ::setenv(name.c_str(), value->c_str(), 1);
      else
        ::unsetenv(name.c_str());
    }
  }
  Environment(const Environment&) = delete;
  Environment& operator=(const Environment&) = delete;

 private:
  std::map<std::string, std::optional<std::string>> m_saved;
};

TEST(ProxyEnvironment, LowerCaseWinsAsWithCurl) {
  {
    Environment env({{"https_proxy", "http://lower:1"},
                     {"HTTPS_PROXY", "http://upper:2"},
                     {"no_proxy", "a.example"},
                     {"NO_PROXY", "b.example"}});
    const auto read = proxy_environment();
    ASSERT_TRUE(read.https_proxy);
    EXPECT_EQ(read.https_proxy->name, "https_proxy");
    EXPECT_EQ(read.https_proxy->value, "http://lower:1");
    ASSERT_TRUE(read.no_proxy);
    EXPECT_EQ(read.no_proxy->name, "no_proxy");
    EXPECT_EQ(read.no_proxy->value, "a.example");
  }
  {
    Environment env({{"HTTPS_PROXY", "http://upper:2"}, {"NO_PROXY", "b.example"}});
    const auto read = proxy_environment();
    ASSERT_TRUE(read.https_proxy);
    EXPECT_EQ(read.https_proxy->name, "HTTPS_PROXY");
    EXPECT_EQ(read.no_proxy->value, "b.example");
  }
  {
    // An empty lower-case variable is set: no proxy, whatever the upper-case one says.
    Environment env({{"https_proxy", ""}, {"HTTPS_PROXY", "http://upper:2"}});
    EXPECT_FALSE(proxy_environment().https_proxy);
  }
  {
    Environment env;
    const auto read = proxy_environment();
    EXPECT_FALSE(read.https_proxy);
    EXPECT_FALSE(read.no_proxy);
  }
}

// The least a config needs, and a webhook secret beside it.
constexpr std::string_view k_minimal = R"yaml(state_dir: state
policies: policies
directory:
  uri: ldif:directory.ldif
  people: { base: "" }
  groups: { base: "" }
alerts:
)yaml";

struct Loaded {
  std::optional<Config> config;
  std::vector<std::string> messages;
};

Loaded load(const TempDir& dir, std::string_view alerts) {
  Diagnostics diagnostics;
  auto config = load_config(dir.write("config.yaml", std::string(k_minimal) + std::string(alerts)),
                            app::plugins(), diagnostics);
  return {std::move(config), formatted(diagnostics)};
}

TEST(WebhookProxyConfig, ItsOwnProxyOrNoneOrTheEnvironments) {
  Environment env({{"https_proxy", "http://alice:pw@env-proxy.corp.example:8080"},
                   {"no_proxy", "intranet.example"}});
  TempDir dir;
  const auto loaded = load(dir, R"yaml(
  - { type: webhook, url: "https://a.example/x", hmac_secret_file: k,
      proxy: "http://proxy.corp.example:3128", proxy_credentials_file: proxy-credentials }
  - { type: webhook, url: "https://b.example/x", hmac_secret_file: k, proxy: none }
  - { type: webhook, url: "https://c.example/x", hmac_secret_file: k }
  - { type: webhook, url: "https://d.example/x", hmac_secret_file: k, proxy: "[::1]:3128" }
)yaml");
  ASSERT_TRUE(loaded.config) << ::testing::PrintToString(loaded.messages);
  EXPECT_THAT(loaded.messages, IsEmpty());
  const auto& alerts = loaded.config->alerts;
  ASSERT_EQ(alerts.size(), 4u);

  ASSERT_TRUE(alerts[0].proxy.url);
  EXPECT_EQ(alerts[0].proxy.url->redacted(), "http://proxy.corp.example:3128");
  EXPECT_EQ(alerts[0].proxy.source, "proxy");
  EXPECT_EQ(alerts[0].proxy.no_proxy, "");  // a proxy of its own serves it, whatever no_proxy says
  EXPECT_EQ(alerts[0].proxy_credentials_file, dir.path() / "proxy-credentials");

  EXPECT_FALSE(alerts[1].proxy.url);  // none: directly, whatever the environment says

  ASSERT_TRUE(alerts[2].proxy.url);
  EXPECT_EQ(alerts[2].proxy.url->host, "env-proxy.corp.example");
  EXPECT_EQ(alerts[2].proxy.url->user, "alice");
  EXPECT_EQ(alerts[2].proxy.url->password, "pw");
  EXPECT_EQ(alerts[2].proxy.source, "https_proxy");
  EXPECT_EQ(alerts[2].proxy.no_proxy, "intranet.example");

  ASSERT_TRUE(alerts[3].proxy.url);
  EXPECT_EQ(alerts[3].proxy.url->host, "::1");
  EXPECT_EQ(alerts[3].proxy.url->port, "3128");
}

TEST(WebhookProxyConfig, WithoutAnEnvironmentAWebhookGoesDirectly) {
  Environment env;
  TempDir dir;
  const auto loaded = load(dir, R"yaml(
  - { type: webhook, url: "https://a.example/x", hmac_secret_file: k }
)yaml");
  ASSERT_TRUE(loaded.config);
  EXPECT_FALSE(loaded.config->alerts[0].proxy.url);
}

TEST(WebhookProxyConfig, BadProxiesAreRefusedAtTheirPlaceWithoutEchoingThem) {
  Environment env;
  TempDir dir;
  const auto loaded = load(dir, R"yaml(
  - { type: webhook, url: "https://a.example/x", hmac_secret_file: k, proxy: "https://p:3128" }
  - { type: webhook, url: "https://a.example/x", hmac_secret_file: k, proxy: "http://bob:hunter2@p:3128" }
  - { type: webhook, url: "https://a.example/x", hmac_secret_file: k, proxy: "socks5://p:1080" }
  - { type: webhook, url: "https://a.example/x", hmac_secret_file: k, proxy: "http://p:99999" }
  - { type: webhook, url: "https://a.example/x", hmac_secret_file: k, proxy: none, proxy_credentials_file: c }
  - { type: webhook, url: "https://a.example/x", hmac_secret_file: k, proxy_password: hunter2 }
  - { type: jsonl, path: a.jsonl, proxy: "http://p:3128" }
)yaml");
  EXPECT_FALSE(loaded.config);
  const std::string file = dir.str() + "/config.yaml:";
  const std::string expected = "'proxy' must be http://HOST[:PORT] or none: ";
  EXPECT_THAT(
      loaded.messages,
      ElementsAre(
          file + "9:78: error: " + expected +
              "https:// proxies are not supported: secondsight talks plain HTTP to the proxy and "
              "TLS through its tunnel, end to end with the receiver",
          file + "10:78: error: 'proxy' must not carry a user or password: put USER:PASSWORD in a "
                 "file and name it in proxy_credentials_file",
          file + "11:78: error: " + expected +
              "only http:// proxies are supported (no socks or others)",
          file + "12:78: error: " + expected + "the port must be a number from 1 to 65535",
          file + "13:84: error: 'proxy_credentials_file' only applies with a proxy: URL of the "
                 "webhook's own (the environment's https_proxy carries its own "
                 "USER:PASSWORD@)",
          file + "14:71: error: passwords are never inline: put USER:PASSWORD in a file and name "
                 "it in proxy_credentials_file",
          file + "15:35: error: 'proxy' only applies to type webhook"));
  for (const auto& message : loaded.messages) EXPECT_THAT(message, Not(HasSubstr("hunter2")));
}

TEST(WebhookProxyConfig, ABadEnvironmentProxyIsAnErrorNamingTheVariableOnce) {
  Environment env(
      Environment::Variables{{"HTTPS_PROXY", "https://alice:hunter2@proxy.corp.example:3128"}});
  TempDir dir;
  const auto loaded = load(dir, R"yaml(
  - { type: journal }
  - { type: webhook, url: "https://a.example/x", hmac_secret_file: k, proxy: none }
  - { type: webhook, url: "https://b.example/x", hmac_secret_file: k }
  - { type: webhook, url: "https://c.example/x", hmac_secret_file: k }
)yaml");
  EXPECT_FALSE(loaded.config);
  const std::string file = dir.str() + "/config.yaml:";
  EXPECT_THAT(loaded.messages,
              ElementsAre(file + "11:5: error: the environment's HTTPS_PROXY, which this webhook "
                                 "would go through, must be http://[USER:PASSWORD@]HOST[:PORT]: "
                                 "https:// proxies are not supported: secondsight talks plain "
                                 "HTTP to the proxy and TLS through its tunnel, end to end with "
                                 "the receiver (or give the webhook its own proxy: URL, or none)"));
  for (const auto& message : loaded.messages) EXPECT_THAT(message, Not(HasSubstr("hunter2")));

  // A config whose webhooks do not use it has no problem with it.
  const auto unused = load(dir, R"yaml(
  - { type: journal }
  - { type: webhook, url: "https://a.example/x", hmac_secret_file: k, proxy: none }
)yaml");
  EXPECT_TRUE(unused.config);
  EXPECT_THAT(unused.messages, IsEmpty());
}

}  // namespace
}  // namespace secondsight::config
