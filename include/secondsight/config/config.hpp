// The daemon's configuration (secondsight.yaml) as docs/configuration.md documents it.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "secondsight/config/options.hpp"
#include "secondsight/config/proxy.hpp"
#include "secondsight/core/diagnostics.hpp"
#include "secondsight/core/severity.hpp"
#include "secondsight/core/time.hpp"

namespace secondsight::config {

// Defaults are the option tables' (options.hpp).

enum class Flavor { openldap, active_directory };
enum class EndDateFormat { iso_date, generalized_time, ad_filetime, days_since_epoch };

struct SearchScope {
  std::string base;
  std::string filter;
  Location filter_where;  // where the filter is written, for its syntax errors
};

struct EndDateAttribute {
  std::string attribute;
  EndDateFormat format = EndDateFormat::iso_date;
};

// How a disabled account shows: an attribute that is present, a bit set in a numeric
// attribute (AD userAccountControl 0x2), or an attribute with one of some values
// (e.g. nsAccountLock: true).
struct DisabledRule {
  std::string attribute;
  bool present = false;
  std::optional<unsigned long long> bit;
  std::vector<std::string> values;  // compared case-insensitively
};

// Attribute names, filled from the flavor's defaults and overridden by the config.
struct DirectoryAttributes {
  std::string id;
  std::string kind;
  std::string agency;
  std::optional<EndDateAttribute> end_date;  // none: no one has an end date
  DisabledRule disabled;
  std::string uid_number;
  std::string manager;
  std::string display_name;
  std::vector<std::string> aliases;
  std::string member;     // group attribute listing member DNs ("member")
  std::string member_of;  // person/group attribute listing the groups it is in ("memberOf")
};

struct DirectoryConfig {
  std::string uri;                  // ldap://, ldaps:// or ldif:PATH
  std::filesystem::path ldif_path;  // resolved, when uri is ldif:
  bool starttls = false;
  std::filesystem::path ca_file;
  std::filesystem::path client_cert_file;  // SASL EXTERNAL
  std::filesystem::path client_key_file;
  std::string bind_dn;
  std::filesystem::path bind_password_file;
  Flavor flavor = Flavor::openldap;
  SearchScope people;
  SearchScope groups;
  DirectoryAttributes attributes;
  int page_size = static_cast<int>(default_number(options::k_directory_options, "page_size"));
  std::chrono::seconds poll_interval{default_number(options::k_directory_options, "poll_interval")};
  std::chrono::seconds timeout{default_number(options::k_directory_options, "timeout")};
  // The daemon follows an LDAP server's changes (content synchronisation) where it offers it.
  bool sync = true;
  Location where;
};

// Field names of a jsonl source; dotted paths reach into nested objects.
struct JsonlFields {
  std::string time{option(options::k_field_options, "time").fallback};
  std::string user{option(options::k_field_options, "user").fallback};
  std::string host{option(options::k_field_options, "host").fallback};
  std::string action{option(options::k_field_options, "action").fallback};
  std::string resource{option(options::k_field_options, "resource").fallback};
};

struct LogSourceConfig {
  std::string format;          // auditd | sshd | jsonl | journal
  std::filesystem::path path;  // optional for journal
  std::string host;            // when the line has none
  JsonlFields fields;
  std::vector<std::string> match;  // journal matches, "FIELD=value"
  std::string name;                // as reported: the path as written, or "journal"
  Location where;
};

struct AlertSinkConfig {
  std::string type;  // journal | jsonl | webhook
  std::filesystem::path path;
  std::string url;
  std::filesystem::path hmac_secret_file;
  std::filesystem::path ca_file;
  // webhook: through which proxy, from `proxy:` or else the environment (https_proxy, no_proxy)
  ProxySetting proxy;
  std::filesystem::path proxy_credentials_file;  // USER:PASSWORD for a `proxy:` of the config
  Severity min_severity = severity_named(option(options::k_alert_options, "min_severity").fallback);
  Location where;
};

struct ApiConfig {
  std::string listen{option(options::k_api_options, "listen").fallback};
  std::filesystem::path token_file;
  // Both or neither (the loader sees to it); with them every route is served over TLS.
  std::filesystem::path tls_cert_file;
  std::filesystem::path tls_key_file;
  // People's own dashboard tokens, "NAME: TOKEN" per line; empty: only the API's token logs in.
  std::filesystem::path dashboard_tokens_file;
  bool enabled = false;

  bool tls() const { return !tls_cert_file.empty(); }
};

// How the daemon paces itself.
struct DaemonConfig {
  // A scan at least this often even without a change seen by inotify (the journal, network
  // file systems, missed events); also how soon a vanished log shows in health.
  std::chrono::seconds safety_interval{
      default_number(options::k_daemon_options, "safety_interval")};
  // How often repositories are looked at again (their HEAD); scans in between use the kept
  // histories.
  std::chrono::seconds knowledge_interval{
      default_number(options::k_daemon_options, "knowledge_interval")};
};

struct Config {
  std::filesystem::path file;  // the config file itself
  std::filesystem::path state_dir;
  std::filesystem::path policies;  // a directory of *.yaml, or one file
  std::string timezone_name{option(options::k_config_options, "timezone").fallback};
  Zone zone = nullptr;
  DirectoryConfig directory;
  std::vector<LogSourceConfig> audit_logs;
  // Access events kept for evidence; daily counts stay.
  int event_retention_days =
      static_cast<int>(default_number(options::k_config_options, "event_retention_days"));
  std::filesystem::path repositories_root;
  std::filesystem::path handovers_file;  // empty when not configured
  std::vector<AlertSinkConfig> alerts;
  ApiConfig api;
  DaemonConfig daemon;
};

// The flavor's attribute defaults (docs/configuration.md).
DirectoryAttributes default_attributes(Flavor flavor);

// The host of an ldap:// or ldaps:// URI ("ldaps://[::1]:636/" -> "::1"); "" when none.
std::string uri_host(std::string_view uri);
// True for a host that never leaves this machine: localhost, 127.0.0.0/8, ::1.
bool is_loopback_host(std::string_view host);
// True when the API's `listen` (ADDRESS:PORT) is on loopback: 127.0.0.0/8, [::1] or localhost.
// Only there may it be plain HTTP.
bool is_loopback_listen(std::string_view listen);

}  // namespace secondsight::config
