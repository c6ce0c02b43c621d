#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "secondsight/app/plugins.hpp"
#include "secondsight/config/loader.hpp"
#include "test_files.hpp"

namespace secondsight::config {
namespace {

using ::testing::ElementsAre;
using testing::formatted;
using ::testing::IsEmpty;
using testing::TempDir;

namespace fs = std::filesystem;

// The least a config needs; the tests add to it.
constexpr std::string_view k_minimal = R"yaml(state_dir: state
policies: policies
directory:
  uri: ldif:directory.ldif
  people: { base: "ou=people,dc=example,dc=com", filter: "(objectClass=inetOrgPerson)" }
  groups: { base: "ou=groups,dc=example,dc=com" }
)yaml";

struct Loaded {
  std::optional<Config> config;
  std::vector<std::string> messages;
};

Loaded load(const TempDir& dir, std::string_view text) {
  Diagnostics diagnostics;
  auto config = load_config(dir.write("config.yaml", text), app::plugins(), diagnostics);
  return {std::move(config), formatted(diagnostics)};
}

TEST(ConfigLoader, ReadsTheTestCompany) {
  const fs::path company = fs::path(SECONDSIGHT_SOURCE_DIR) / "tests/scenarios/harbour";
  Diagnostics diagnostics;
  const auto config = load_config(company / "config.yaml", app::plugins(), diagnostics);
  ASSERT_TRUE(config.has_value());
  EXPECT_THAT(formatted(diagnostics), IsEmpty());

  const fs::path folder = fs::absolute(company).lexically_normal();
  EXPECT_EQ(config->state_dir, folder / "state");
  EXPECT_EQ(config->policies, folder / "policies");
  EXPECT_EQ(config->timezone_name, "Europe/Amsterdam");
  ASSERT_NE(config->zone, nullptr);
  EXPECT_EQ(config->zone->name(), "Europe/Amsterdam");

  const DirectoryConfig& directory = config->directory;
  EXPECT_EQ(directory.uri, "ldif:directory.ldif");
  EXPECT_TRUE(directory.ldif_path.is_absolute());
  EXPECT_EQ(directory.ldif_path, folder / "directory.ldif");
  EXPECT_EQ(directory.flavor, Flavor::openldap);
  EXPECT_EQ(directory.people.base, "ou=people,dc=harbour,dc=example");
  EXPECT_EQ(directory.people.filter, "(objectClass=inetOrgPerson)");
  EXPECT_EQ(directory.groups.filter, "(objectClass=groupOfNames)");
  EXPECT_EQ(directory.attributes.id, "uid");
  EXPECT_EQ(directory.attributes.disabled.attribute, "pwdAccountLockedTime");
  EXPECT_TRUE(directory.attributes.disabled.present);
  ASSERT_TRUE(directory.attributes.end_date.has_value());
  EXPECT_EQ(directory.attributes.end_date->attribute, "contractEndDate");
  EXPECT_EQ(directory.attributes.end_date->format, EndDateFormat::iso_date);
  EXPECT_EQ(directory.where.line, 5);
  EXPECT_EQ(directory.where.column, 1);

  ASSERT_EQ(config->audit_logs.size(), 3u);
  EXPECT_EQ(config->audit_logs[0].name, "logs/audit.log");
  EXPECT_EQ(config->audit_logs[0].format, "auditd");
  EXPECT_EQ(config->audit_logs[0].path, folder / "logs/audit.log");
  EXPECT_EQ(config->audit_logs[1].format, "sshd");
  const LogSourceConfig& jsonl = config->audit_logs[2];
  EXPECT_EQ(jsonl.format, "jsonl");
  EXPECT_EQ(jsonl.fields.time, "ts");
  EXPECT_EQ(jsonl.fields.user, "actor");
  EXPECT_EQ(jsonl.fields.host, "host");
  EXPECT_EQ(jsonl.fields.action, "action");
  EXPECT_EQ(jsonl.fields.resource, "resource");
  EXPECT_EQ(jsonl.where.line, 15);
  EXPECT_EQ(jsonl.where.column, 5);

  EXPECT_EQ(config->repositories_root, folder / "repos");
  EXPECT_EQ(config->handovers_file, folder / "handovers.yaml");
  ASSERT_EQ(config->alerts.size(), 1u);
  EXPECT_EQ(config->alerts[0].type, "jsonl");
  EXPECT_EQ(config->alerts[0].path, folder / "state/alerts.jsonl");
  EXPECT_FALSE(config->api.enabled);
}

TEST(ConfigLoader, FillsDefaultsAndResolvesAgainstTheConfigFolder) {
  TempDir dir;
  const auto loaded = load(dir, k_minimal);
  ASSERT_TRUE(loaded.config.has_value());
  EXPECT_THAT(loaded.messages, IsEmpty());
  const Config& config = *loaded.config;
  EXPECT_EQ(config.file, dir.path() / "config.yaml");
  EXPECT_EQ(config.state_dir, dir.path() / "state");
  EXPECT_EQ(config.timezone_name, "UTC");
  ASSERT_NE(config.zone, nullptr);
  EXPECT_EQ(config.directory.ldif_path, dir.path() / "directory.ldif");
  EXPECT_EQ(config.directory.groups.filter, "(objectClass=*)");
  EXPECT_EQ(config.directory.page_size, 500);
  EXPECT_EQ(config.directory.poll_interval, std::chrono::minutes(5));
  EXPECT_EQ(config.directory.timeout, std::chrono::seconds(30));
  EXPECT_FALSE(config.directory.attributes.end_date.has_value());
  EXPECT_EQ(config.repositories_root, dir.path());
  EXPECT_TRUE(config.handovers_file.empty());
  EXPECT_TRUE(config.audit_logs.empty());
  EXPECT_FALSE(config.api.enabled);
}

TEST(ConfigLoader, ReportsAFileItCannotRead) {
  TempDir dir;
  Diagnostics diagnostics;
  EXPECT_FALSE(load_config(dir.path() / "absent.yaml", app::plugins(), diagnostics).has_value());
  EXPECT_FALSE(load_config(dir.path(), app::plugins(), diagnostics).has_value());
  EXPECT_THAT(formatted(diagnostics),
              ElementsAre(dir.str() + "/absent.yaml: error: cannot read: No such file or directory",
                          dir.str() + ": error: cannot read: Is a directory"));
}

TEST(ConfigLoader, ReportsYamlSyntaxErrorsWithTheirPlace) {
  TempDir dir;
  const auto loaded = load(dir, "state_dir: state\npolicies: policies\n  directory: x\n");
  EXPECT_FALSE(loaded.config.has_value());
  EXPECT_THAT(loaded.messages,
              ElementsAre(dir.str() + "/config.yaml:3:12: error: illegal map value"));
}

TEST(ConfigLoader, ReportsAnEmptyFile) {
  TempDir dir;
  const auto loaded = load(dir, "# nothing yet\n");
  EXPECT_FALSE(loaded.config.has_value());
  EXPECT_THAT(loaded.messages,
              ElementsAre(dir.str() +
                          "/config.yaml: error: the config must be a map of state_dir, policies, "
                          "timezone, directory, audit_logs, repositories_root, handovers_file, "
                          "alerts, api, event_retention_days, daemon"));
}

TEST(ConfigLoader, UnknownKeySuggestsTheClosestKnownOne) {
  TempDir dir;
  const auto loaded = load(dir, std::string(k_minimal) + "timzone: UTC\nwhatever: 1\n");
  EXPECT_FALSE(loaded.config.has_value());
  const std::string keys =
      " in config (expected one of: state_dir, policies, timezone, directory, audit_logs, "
      "repositories_root, handovers_file, alerts, api, event_retention_days, daemon)";
  EXPECT_THAT(loaded.messages,
              ElementsAre(dir.str() + "/config.yaml:7:1: error: unknown key 'timzone'" + keys +
                              "; did you mean 'timezone'?",
                          dir.str() + "/config.yaml:8:1: error: unknown key 'whatever'" + keys));
}

TEST(ConfigLoader, ReportsEveryDirectoryProblemInFileOrder) {
  TempDir dir;
  const auto loaded = load(dir, R"yaml(state_dir: state
policies: policies
timezone: Europe/Amsterdm
directory:
  uri: ldaps://ldap.example.com
  starttls: true
  bind_dn: cn=secondsight,dc=example,dc=com
  bind_password: hunter2
  flavor: openldap
  people: { base: "ou=people,dc=example,dc=com", filtr: "(uid=*)" }
  groups: { base: "ou=groups,dc=example,dc=com" }
  page_size: many
  poll_interval: 5 minutes
  attributes:
    aliases: mail
)yaml");
  EXPECT_FALSE(loaded.config.has_value());
  const std::string file = dir.str() + "/config.yaml:";
  EXPECT_THAT(
      loaded.messages,
      ElementsAre(
          file + "3:11: error: unknown time zone 'Europe/Amsterdm' (expected an IANA name such as "
                 "Europe/Amsterdam)",
          file + "6:13: error: 'starttls' only applies to ldap:// URIs: ldaps:// is encrypted "
                 "from the start",
          file + "8:3: error: passwords are never inline: put it in a file and name it in "
                 "bind_password_file",
          file + "10:50: error: unknown key 'filtr' in people (expected one of: base, filter); "
                 "did you mean 'filter'?",
          file + "12:14: error: 'page_size' must be a whole number ≥ 1",
          file + "13:18: error: 'poll_interval' must be a duration like 30s, 5m, 1h or 1d",
          file + "15:14: error: 'aliases' must be a list of attribute names"));
}

TEST(ConfigLoader, ReportsMissingKeysWhereTheirMapIsNamed) {
  TempDir dir;
  const auto loaded = load(dir, "policies: policies\ndirectory:\n  people: { base: \"\" }\n");
  EXPECT_FALSE(loaded.config.has_value());
  const std::string file = dir.str() + "/config.yaml:";
  EXPECT_THAT(loaded.messages, ElementsAre(file + "1:1: error: missing key 'state_dir' in config",
                                           file + "2:1: error: missing key 'uri' in directory",
                                           file + "2:1: error: missing key 'groups' in directory"));
}

TEST(ConfigLoader, ReportsAnEmptyValueAtItsKey) {
  TempDir dir;
  const auto loaded = load(dir, std::string("state_dir:\n") + std::string(k_minimal).substr(17));
  EXPECT_THAT(
      loaded.messages,
      ElementsAre(dir.str() + "/config.yaml:1:1: error: 'state_dir' must be a folder path"));
}

TEST(ConfigLoader, ReportsARepeatedKey) {
  TempDir dir;
  const auto loaded = load(dir, std::string(k_minimal) + "state_dir: other\n");
  EXPECT_THAT(loaded.messages, ElementsAre(dir.str() +
                                           "/config.yaml:7:1: error: 'state_dir' is "
                                           "already set at " +
                                           dir.str() + "/config.yaml:1:1"));
}

TEST(ConfigLoader, RefusesAnUnknownUriScheme) {
  TempDir dir;
  const auto loaded = load(dir, R"yaml(state_dir: state
policies: policies
directory:
  uri: http://ldap.example.com
  people: { base: "" }
  groups: { base: "" }
)yaml");
  EXPECT_THAT(loaded.messages,
              ElementsAre(dir.str() + "/config.yaml:4:8: error: 'uri' must be ldap://HOST, "
                                      "ldaps://HOST or ldif:FILE"));
}

TEST(ConfigLoader, RefusesAPasswordInTheClearToAnotherMachine) {
  TempDir dir;
  const auto loaded = load(dir, R"yaml(state_dir: state
policies: policies
directory:
  uri: ldap://ldap.example.com
  bind_dn: cn=secondsight,dc=example,dc=com
  bind_password_file: credentials/ldap
  people: { base: "" }
  groups: { base: "" }
)yaml");
  EXPECT_THAT(loaded.messages,
              ElementsAre(dir.str() +
                          "/config.yaml:6:23: error: the bind password would cross the network "
                          "unencrypted: use ldaps:// or starttls: true (only a loopback host may "
                          "be reached without TLS)"));
}

TEST(ConfigLoader, APasswordInTheClearMayGoToThisMachineOrOverStartTls) {
  for (const char* directory :
       {"  uri: ldap://127.0.0.1:3389\n", "  uri: ldap://LocalHost\n", "  uri: ldap://[::1]:389/\n",
        "  uri: ldap://ldap.example.com\n  starttls: true\n"}) {
    TempDir dir;
    const auto loaded =
        load(dir, std::string("state_dir: state\npolicies: policies\ndirectory:\n") + directory +
                      "  bind_dn: cn=x\n  bind_password_file: pw\n  people: { base: \"\" }\n"
                      "  groups: { base: \"\" }\n");
    EXPECT_THAT(loaded.messages, IsEmpty()) << directory;
  }
}

TEST(ConfigLoader, AClientCertificateNeedsItsKeyAndTls) {
  TempDir dir;
  const auto loaded = load(dir, R"yaml(state_dir: state
policies: policies
directory:
  uri: ldap://ldap.example.com
  client_cert_file: client.crt
  people: { base: "" }
  groups: { base: "" }
)yaml");
  const std::string file = dir.str() + "/config.yaml:";
  EXPECT_THAT(loaded.messages,
              ElementsAre(file + "5:21: error: 'client_cert_file' needs its client_key_file",
                          file + "5:21: error: a client certificate needs TLS: use ldaps:// or "
                                 "starttls: true"));
}

TEST(ConfigLoaderHosts, LoopbackHosts) {
  EXPECT_EQ(uri_host("ldaps://ldap.example.com:636/dc=x"), "ldap.example.com");
  EXPECT_EQ(uri_host("ldap://[::1]:389"), "::1");
  EXPECT_EQ(uri_host("ldap://127.0.0.1"), "127.0.0.1");
  EXPECT_TRUE(is_loopback_host("127.0.0.1"));
  EXPECT_TRUE(is_loopback_host("127.1.2.3"));
  EXPECT_TRUE(is_loopback_host("LOCALHOST"));
  EXPECT_TRUE(is_loopback_host("::1"));
  EXPECT_FALSE(is_loopback_host("127.0.0.1.evil.example"));
  EXPECT_FALSE(is_loopback_host("localhost.evil.example"));
  EXPECT_FALSE(is_loopback_host("10.0.0.1"));
  EXPECT_FALSE(is_loopback_host(""));
}

TEST(ConfigLoader, ActiveDirectoryFlavorHasItsDefaults) {
  TempDir dir;
  const auto loaded = load(dir, R"yaml(state_dir: /var/lib/secondsight
policies: /etc/secondsight/policies
directory:
  uri: ldaps://dc1.example.com
  flavor: active_directory
  bind_dn: cn=secondsight,ou=services,dc=example,dc=com
  bind_password_file: credentials/ldap
  people: { base: "ou=people,dc=example,dc=com", filter: "(objectClass=user)" }
  groups: { base: "ou=groups,dc=example,dc=com", filter: "(objectClass=group)" }
  page_size: 1000
  poll_interval: 1h
  timeout: 10s
)yaml");
  ASSERT_TRUE(loaded.config.has_value());
  EXPECT_THAT(loaded.messages, IsEmpty());
  const DirectoryConfig& directory = loaded.config->directory;
  EXPECT_EQ(loaded.config->state_dir, "/var/lib/secondsight");
  EXPECT_EQ(directory.flavor, Flavor::active_directory);
  EXPECT_EQ(directory.bind_password_file, dir.path() / "credentials/ldap");
  EXPECT_EQ(directory.page_size, 1000);
  EXPECT_EQ(directory.poll_interval, std::chrono::hours(1));
  EXPECT_EQ(directory.timeout, std::chrono::seconds(10));
  const DirectoryAttributes& attributes = directory.attributes;
  EXPECT_EQ(attributes.id, "sAMAccountName");
  EXPECT_EQ(attributes.agency, "company");
  ASSERT_TRUE(attributes.end_date.has_value());
  EXPECT_EQ(attributes.end_date->attribute, "accountExpires");
  EXPECT_EQ(attributes.end_date->format, EndDateFormat::ad_filetime);
  EXPECT_EQ(attributes.disabled.attribute, "userAccountControl");
  EXPECT_FALSE(attributes.disabled.present);
  EXPECT_EQ(attributes.disabled.bit, 2u);
  EXPECT_THAT(attributes.aliases, ElementsAre("mail", "userPrincipalName"));
}

TEST(ConfigLoader, AttributesOverrideTheFlavorDefaults) {
  TempDir dir;
  const auto loaded = load(dir, R"yaml(state_dir: state
policies: policies
directory:
  uri: ldap://ldap.example.com:389
  starttls: yes
  flavor: active_directory
  people: { base: "" }
  groups: { base: "" }
  attributes:
    id: uid
    end_date: { attribute: shadowExpire, format: days_since_epoch }
    disabled: { attribute: nsAccountLock, values: ["true"] }
    aliases: [mail]
    manager: secretary
)yaml");
  ASSERT_TRUE(loaded.config.has_value());
  EXPECT_THAT(loaded.messages, IsEmpty());
  const DirectoryConfig& directory = loaded.config->directory;
  EXPECT_TRUE(directory.starttls);
  EXPECT_EQ(directory.people.base, "");
  const DirectoryAttributes& attributes = directory.attributes;
  EXPECT_EQ(attributes.id, "uid");
  EXPECT_EQ(attributes.agency, "company");  // not overridden: the flavor's
  EXPECT_EQ(attributes.manager, "secretary");
  ASSERT_TRUE(attributes.end_date.has_value());
  EXPECT_EQ(attributes.end_date->attribute, "shadowExpire");
  EXPECT_EQ(attributes.end_date->format, EndDateFormat::days_since_epoch);
  EXPECT_EQ(attributes.disabled.attribute, "nsAccountLock");
  EXPECT_FALSE(attributes.disabled.present);
  EXPECT_FALSE(attributes.disabled.bit.has_value());
  EXPECT_THAT(attributes.disabled.values, ElementsAre("true"));
  EXPECT_THAT(attributes.aliases, ElementsAre("mail"));
}

TEST(ConfigLoader, EndDateCanBeSwitchedOffAndBitsWrittenInHex) {
  TempDir dir;
  const auto loaded = load(dir, std::string(k_minimal) + R"yaml(  flavor: active_directory
  attributes:
    end_date: none
    disabled: { attribute: userAccountControl, bit: 0x10 }
)yaml");
  ASSERT_TRUE(loaded.config.has_value());
  EXPECT_FALSE(loaded.config->directory.attributes.end_date.has_value());
  EXPECT_EQ(loaded.config->directory.attributes.disabled.bit, 16u);
}

TEST(ConfigLoader, ReportsBadAttributeRules) {
  TempDir dir;
  const auto loaded = load(dir, std::string(k_minimal) + R"yaml(  attributes:
    disabled: { attribute: x, present: true, bit: 2 }
    end_date: { attribute: contractEnd, format: iso }
    kind: [employeeType]
)yaml");
  EXPECT_FALSE(loaded.config.has_value());
  const std::string file = dir.str() + "/config.yaml:";
  EXPECT_THAT(loaded.messages,
              ElementsAre(file + "8:5: error: 'disabled' needs exactly one of present, bit, values",
                          file + "9:49: error: unknown end date format 'iso' (expected one of: "
                                 "iso_date, generalized_time, ad_filetime, days_since_epoch); did "
                                 "you mean 'iso_date'?",
                          file + "10:11: error: 'kind' must be an attribute name"));
}

TEST(ConfigLoader, ReadsAuditLogsOfEveryFormat) {
  TempDir dir;
  const auto loaded = load(dir, std::string(k_minimal) + R"yaml(audit_logs:
  - { format: journal, match: ["_SYSTEMD_UNIT=ssh.service"] }
  - { format: journal, path: /var/log/journal/remote }
  - { path: logs/auth.log, format: sshd, host: bastion-1 }
  - { path: /var/log/gitea/audit.jsonl, format: jsonl, fields: { user: user.name } }
)yaml");
  ASSERT_TRUE(loaded.config.has_value());
  EXPECT_THAT(loaded.messages, IsEmpty());
  const auto& logs = loaded.config->audit_logs;
  ASSERT_EQ(logs.size(), 4u);
  EXPECT_EQ(logs[0].name, "journal");
  EXPECT_TRUE(logs[0].path.empty());
  EXPECT_THAT(logs[0].match, ElementsAre("_SYSTEMD_UNIT=ssh.service"));
  EXPECT_EQ(logs[1].name, "journal:/var/log/journal/remote");
  EXPECT_EQ(logs[2].name, "logs/auth.log");
  EXPECT_EQ(logs[2].path, dir.path() / "logs/auth.log");
  EXPECT_EQ(logs[2].host, "bastion-1");
  EXPECT_EQ(logs[3].fields.user, "user.name");
  EXPECT_EQ(logs[3].fields.time, "time");  // not given: the default name
  EXPECT_EQ(logs[3].where.line, 11);
}

TEST(ConfigLoader, ReportsBadAuditLogs) {
  TempDir dir;
  const auto loaded = load(dir, std::string(k_minimal) + R"yaml(audit_logs:
  - { format: sshd }
  - { path: a.log, format: sshd, fields: { user: u } }
  - { path: a.log, format: syslog }
  - { format: journal, match: [SYSTEMD_UNIT] }
  - { path: b.log, format: auditd }
  - { path: b.log, format: sshd }
)yaml");
  EXPECT_FALSE(loaded.config.has_value());
  const std::string file = dir.str() + "/config.yaml:";
  EXPECT_THAT(
      loaded.messages,
      ElementsAre(file + "8:5: error: missing key 'path' in audit log",
                  file + "9:34: error: 'fields' only applies to format jsonl",
                  file + "10:28: error: unknown log format 'syslog' (expected one of: auditd, "
                         "sshd, jsonl, journal)",
                  file + "11:32: error: journal match 'SYSTEMD_UNIT' must be FIELD=value, like "
                         "_SYSTEMD_UNIT=ssh.service",
                  file + "13:5: error: audit log 'b.log' is already listed at " + file + "12:5"));
}

TEST(ConfigLoader, ReportsBadAlerts) {
  TempDir dir;
  const auto loaded = load(dir, std::string(k_minimal) + R"yaml(alerts:
  - { type: webhook, url: "http://siem.example.com/hook", hmac_secret_file: k }
  - { type: webhook, url: "https://siem.example.com/hook" }
  - { type: jsonl }
  - { type: slak }
  - { type: journal, min_severity: hi, path: x }
  - { type: webhook, url: "https://x/y", hmac_secret: abc, hmac_secret_file: k }
)yaml");
  EXPECT_FALSE(loaded.config.has_value());
  const std::string file = dir.str() + "/config.yaml:";
  EXPECT_THAT(
      loaded.messages,
      ElementsAre(file + "8:27: error: 'url' must be an https:// URL: alerts carry personal data "
                         "and are never sent in clear",
                  file + "9:5: error: missing key 'hmac_secret_file' in webhook alert",
                  file + "10:5: error: missing key 'path' in jsonl alert",
                  file + "11:13: error: unknown alert type 'slak' (expected one of: journal, "
                         "jsonl, webhook)",
                  file + "12:36: error: unknown severity 'hi' (expected one of: info, low, "
                         "medium, high, critical)",
                  file + "12:40: error: 'path' only applies to type jsonl",
                  file + "13:42: error: secrets are never inline: put it in a file and name it "
                         "in hmac_secret_file"));
}

TEST(ConfigLoader, RefusesUserinfoAndControlsInUrlsAndNeverEchoesThem) {
  TempDir dir;
  dir.write("k", "secret\n");
  const auto loaded = load(dir, R"yaml(state_dir: state
policies: policies
directory:
  uri: ldaps://admin:hunter2@ldap.example.com
  people: { base: "" }
  groups: { base: "" }
alerts:
  - { type: webhook, url: "https://bot:s3cr3t@hooks.example.com/x", hmac_secret_file: k }
  - { type: webhook, url: "https://hooks.example.com/x\r\nX-Evil: 1", hmac_secret_file: k }
  - { type: webhook, url: "https://hooks.example.com/a b", hmac_secret_file: k }
  - { type: webhook, url: "https://hooks.example.com/caf\u00e9", hmac_secret_file: k }
  - { type: webhook, url: "https://hooks.example.com/ok?who=a@b", hmac_secret_file: k }
)yaml");
  EXPECT_FALSE(loaded.config.has_value());
  const std::string file = dir.str() + "/config.yaml:";
  const std::string userinfo =
      "must not carry a user or password (USER:PASSWORD@HOST): secrets go in files, never in the "
      "config";
  const std::string printable =
      "may hold only printable ASCII characters, without spaces (percent-encode the rest)";
  EXPECT_THAT(loaded.messages, ElementsAre(file + "4:8: error: 'uri' " + userinfo,
                                           file + "8:27: error: 'url' " + userinfo,
                                           file + "9:27: error: 'url' " + printable,
                                           file + "10:27: error: 'url' " + printable,
                                           file + "11:27: error: 'url' " + printable));
  for (const auto& message : loaded.messages) {
    EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
    EXPECT_EQ(message.find("s3cr3t"), std::string::npos) << message;
    EXPECT_EQ(message.find("X-Evil"), std::string::npos) << message;
  }
}

TEST(ConfigLoader, RefusesControlCharactersInPathsAndHostNames) {
  TempDir dir;
  const auto loaded = load(dir, R"yaml(state_dir: "state\n"
policies: policies
directory:
  uri: "ldif:dir\u001b[2J.ldif"
  people: { base: "" }
  groups: { base: "" }
audit_logs:
  - { format: jsonl, path: "app\tlog", host: "web\r\n01" }
api: { listen: "127.0.0.1:8\n080", token_file: t }
)yaml");
  EXPECT_FALSE(loaded.config.has_value());
  const std::string file = dir.str() + "/config.yaml:";
  EXPECT_THAT(
      loaded.messages,
      ElementsAre(file + "1:12: error: 'state_dir' must be a folder path without control "
                         "characters (line breaks, tabs, escapes)",
                  file + "4:8: error: 'uri' must name its file without control characters (line "
                         "breaks, tabs, escapes)",
                  file + "8:28: error: 'path' must be a file path without control characters "
                         "(line breaks, tabs, escapes)",
                  file + "8:46: error: 'host' must be a host name without control characters "
                         "(line breaks, tabs, escapes)",
                  file + "9:16: error: 'listen' must be ADDRESS:PORT, like 127.0.0.1:9477, "
                         "[::1]:9477, localhost:9477 or 0.0.0.0:9477"));
}

TEST(ConfigLoader, BoundsTheRetentionDays) {
  TempDir dir;
  for (const char* days : {"89", "36501", "99999999999999999999", "-1"}) {
    const auto loaded = load(dir, std::string(k_minimal) + "event_retention_days: " + days + "\n");
    EXPECT_THAT(loaded.messages,
                ElementsAre(dir.str() + "/config.yaml:7:23: error: 'event_retention_days' must "
                                        "be a whole number of days from 90 to 36500"))
        << days;
  }
  EXPECT_THAT(load(dir, std::string(k_minimal) + "event_retention_days: 36500\n").messages,
              IsEmpty());
}

TEST(ConfigLoader, BoundsTheDaemonsIntervals) {
  TempDir dir;
  const auto good = load(
      dir, std::string(k_minimal) + "daemon: { safety_interval: 1d, knowledge_interval: 1h }\n");
  ASSERT_TRUE(good.config.has_value());
  EXPECT_THAT(good.messages, IsEmpty());
  EXPECT_EQ(good.config->daemon.safety_interval, std::chrono::hours(24));
  EXPECT_EQ(good.config->daemon.knowledge_interval, std::chrono::hours(1));
  const auto defaults = load(dir, k_minimal);
  ASSERT_TRUE(defaults.config.has_value());
  EXPECT_EQ(defaults.config->daemon.safety_interval, std::chrono::seconds(30));
  EXPECT_EQ(defaults.config->daemon.knowledge_interval, std::chrono::minutes(10));

  const auto bad = load(dir, std::string(k_minimal) +
                                 "daemon: { safety_interval: 2d, knowledge_interval: 5s, x: 1 }\n");
  const std::string file = dir.str() + "/config.yaml:";
  EXPECT_THAT(bad.messages,
              ElementsAre(file + "7:28: error: 'safety_interval' must be a duration from 1s to 1d",
                          file + "7:52: error: 'knowledge_interval' must be a duration from 10s "
                                 "to 7d",
                          file + "7:56: error: unknown key 'x' in daemon (expected one of: "
                                 "safety_interval, knowledge_interval)"));
}

TEST(ConfigLoader, ReadsAlertSinks) {
  TempDir dir;
  const auto loaded = load(dir, std::string(k_minimal) + R"yaml(alerts:
  - { type: journal }
  - { type: webhook, url: "https://siem.example.com/hook", hmac_secret_file: secret,
      min_severity: high }
)yaml");
  ASSERT_TRUE(loaded.config.has_value());
  EXPECT_THAT(loaded.messages, IsEmpty());
  const auto& alerts = loaded.config->alerts;
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[0].type, "journal");
  EXPECT_EQ(alerts[0].min_severity, Severity::info);
  EXPECT_EQ(alerts[1].url, "https://siem.example.com/hook");
  EXPECT_EQ(alerts[1].hmac_secret_file, dir.path() / "secret");
  EXPECT_EQ(alerts[1].min_severity, Severity::high);
  EXPECT_EQ(alerts[1].where.line, 9);
}

TEST(ConfigLoader, ApiNeedsATokenFile) {
  TempDir dir;
  const auto bad =
      load(dir, std::string(k_minimal) + "api: { listen: \"localhost\", token: abc }\n");
  const std::string file = dir.str() + "/config.yaml:";
  EXPECT_THAT(bad.messages,
              ElementsAre(file + "7:1: error: missing key 'token_file' in api",
                          file + "7:16: error: 'listen' must be ADDRESS:PORT, like "
                                 "127.0.0.1:9477, [::1]:9477, localhost:9477 or 0.0.0.0:9477",
                          file + "7:29: error: tokens are never inline: put it in a file and name "
                                 "it in token_file"));

  const auto good = load(dir, std::string(k_minimal) + "api: { token_file: token }\n");
  ASSERT_TRUE(good.config.has_value());
  EXPECT_TRUE(good.config->api.enabled);
  EXPECT_EQ(good.config->api.listen, "127.0.0.1:9477");
  EXPECT_EQ(good.config->api.token_file, dir.path() / "token");
}

TEST(ConfigLoader, ApiIsPlainHttpOnlyOnLoopback) {
  TempDir dir;
  const auto api = [&](const std::string& fields) {
    return load(dir, std::string(k_minimal) + "api: { " + fields + " }\n");
  };
  for (const std::string listen : {"127.0.0.1:9477", "127.8.9.10:80", "[::1]:9477",
                                   "[0:0:0:0:0:0:0:1]:1", "localhost:9477", "LocalHost:9477"}) {
    const auto loaded = api("listen: \"" + listen + "\", token_file: token");
    ASSERT_TRUE(loaded.config.has_value())
        << listen << ": " << ::testing::PrintToString(loaded.messages);
    EXPECT_TRUE(loaded.config->api.enabled) << listen;
    EXPECT_FALSE(loaded.config->api.tls()) << listen;
    EXPECT_EQ(loaded.config->api.listen, listen);
  }
  const std::string file = dir.str() + "/config.yaml:";
  for (const std::string listen : {"0.0.0.0:9477", "[::]:9477", "10.1.2.3:9477", "192.168.0.10:443",
                                   "[fe80::1]:9477", "[::ffff:127.0.0.1]:9477"}) {
    const auto loaded = api("listen: \"" + listen + "\", token_file: token");
    EXPECT_FALSE(loaded.config.has_value()) << listen;
    EXPECT_THAT(loaded.messages,
                ElementsAre(file + "7:16: error: 'listen' " + listen +
                            " is not a loopback address, and the API serves personal data: set "
                            "tls_cert_file and tls_key_file to serve it over TLS, or listen on "
                            "127.0.0.1 or [::1]"));
  }
  // A host name would be resolved to who knows what: only addresses, and localhost.
  for (const std::string listen : {"api.example.com:9477", "[localhost]:9477", "[10.0.0.1]:1",
                                   "127.0.0.1:0", "::1:9477", "127.0.0.1"}) {
    const auto loaded = api("listen: \"" + listen + "\", token_file: token");
    EXPECT_FALSE(loaded.config.has_value()) << listen;
    EXPECT_THAT(loaded.messages,
                ElementsAre(file + "7:16: error: 'listen' must be ADDRESS:PORT, like "
                                   "127.0.0.1:9477, [::1]:9477, localhost:9477 or 0.0.0.0:9477"));
  }
}

TEST(ConfigLoader, ApiServesTlsWithACertificateAndItsKey) {
  TempDir dir;
  const std::string credentials = "/run/credentials/secondsight.service/";
  for (const std::string listen :
       {"0.0.0.0:9477", "[::]:9477", "10.1.2.3:9477", "127.0.0.1:9477"}) {
    const auto loaded = load(
        dir, std::string(k_minimal) + "api: { listen: \"" + listen +
                 "\", token_file: token, tls_cert_file: api.crt, tls_key_file: " + credentials +
                 "api-key }\n");
    ASSERT_TRUE(loaded.config.has_value())
        << listen << ": " << ::testing::PrintToString(loaded.messages);
    const ApiConfig& api = loaded.config->api;
    EXPECT_TRUE(api.enabled);
    EXPECT_TRUE(api.tls());
    EXPECT_EQ(api.listen, listen);
    EXPECT_EQ(api.tls_cert_file, dir.path() / "api.crt");
    EXPECT_EQ(api.tls_key_file, fs::path(credentials + "api-key"));
  }

  const std::string file = dir.str() + "/config.yaml:";
  const auto cert_alone =
      load(dir, std::string(k_minimal) +
                    "api: { listen: \"0.0.0.0:9477\", token_file: token, tls_cert_file: c }\n");
  EXPECT_FALSE(cert_alone.config.has_value());
  EXPECT_THAT(cert_alone.messages,
              ElementsAre(file + "7:51: error: 'tls_cert_file' needs 'tls_key_file' beside it: "
                                 "TLS takes the certificate and its key, both or neither"));
  // Alone, even on loopback: half a TLS setting is a mistake, not a wish for plain HTTP.
  const auto key_alone =
      load(dir, std::string(k_minimal) + "api: { token_file: token, tls_key_file: k }\n");
  EXPECT_FALSE(key_alone.config.has_value());
  EXPECT_THAT(key_alone.messages,
              ElementsAre(file + "7:27: error: 'tls_key_file' needs 'tls_cert_file' beside it: "
                                 "TLS takes the certificate and its key, both or neither"));
  const auto inline_key = load(dir, std::string(k_minimal) +
                                        "api: { token_file: token, tls_cert_file: c, tls_key: "
                                        "\"-----BEGIN PRIVATE KEY-----\" }\n");
  EXPECT_FALSE(inline_key.config.has_value());
  EXPECT_THAT(inline_key.messages,
              ElementsAre(file + "7:27: error: 'tls_cert_file' needs 'tls_key_file' beside it: "
                                 "TLS takes the certificate and its key, both or neither",
                          file + "7:45: error: keys are never inline: put it in a file and name it "
                                 "in tls_key_file"));
  for (const auto& messages : {cert_alone.messages, key_alone.messages, inline_key.messages})
    for (const auto& message : messages) EXPECT_EQ(message.find("BEGIN"), std::string::npos);
}

}  // namespace
}  // namespace secondsight::config
