// Every option of the config file and the policy files, one table per section: key, type,
// default, range or allowed values, and one line of doc. The readers validate keys, required
// keys, ranges and choices from these tables, the option structs take their defaults from them,
// and a test holds docs/configuration.md and policies/README.md against them.
#pragma once

#include <array>
#include <chrono>
#include <span>
#include <string_view>

#include "secondsight/core/time.hpp"

namespace secondsight::config {

// Operators' active days are counted over this many local days before now: a policy cannot ask
// for more, and events are kept at least this long.
inline constexpr int k_operator_window_days = 90;

enum class OptionType {
  text,          // a scalar
  path,          // a file or folder, relative to the config's folder
  flag,          // true or false
  whole_number,  // within [min, max]
  duration,      // 30s, 5m, 1h, 1d; within [min, max] seconds when max is set
  choice,        // one of `choices`
  list,          // a list of scalars
  map,           // a map of its own section
  list_of_maps,  // a list of maps of their own section
};

struct Option {
  std::string_view key;
  OptionType type;
  bool required = false;
  // The default, as the documentation shows it: a value ("500", "5m"), or what stands in when
  // the key is left out ("none", "the id"); "" for a required key.
  std::string_view fallback = {};
  long long min = 0;           // whole numbers; durations in seconds
  long long max = 0;           // 0: no bound of its own
  std::string_view unit = {};  // what a whole number counts ("days"), for its message
  std::span<const std::string_view> choices = {};
  std::string_view doc = {};
};

// A key that is no setting but a known mistake, answered with its own message.
struct ForbiddenKey {
  std::string_view name;
  std::string_view message;
};

// The row of `key`; a key not in the table does not compile.
consteval const Option& option(std::span<const Option> options, std::string_view key) {
  for (const auto& row : options)
    if (row.key == key) return row;
  throw "no such option";  // a compile error
}

// A whole number's or a duration's default, from its documented text ("500", "5m").
consteval long long default_number(std::span<const Option> options, std::string_view key) {
  const std::string_view text = option(options, key).fallback;
  long long value = 0;
  std::size_t i = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i)
    value = value * 10 + (text[i] - '0');
  if (i == text.size()) return value;
  switch (text[i]) {
    case 's': return value;
    case 'm': return value * 60;
    case 'h': return value * 3600;
    case 'd': return value * 86400;
    default: throw "not a number";
  }
}

// The tables (their own namespace, so that the short type names stay in them).
namespace options {

inline constexpr std::array<std::string_view, 2> k_flavors{"openldap", "active_directory"};
inline constexpr std::array<std::string_view, 2> k_sync_modes{"auto", "off"};
inline constexpr std::array<std::string_view, 4> k_end_date_formats{
    "iso_date", "generalized_time", "ad_filetime", "days_since_epoch"};
inline constexpr std::array<std::string_view, 4> k_criticalities{"critical", "high", "normal",
                                                                 "low"};
inline constexpr std::array<std::string_view, 2> k_externals{"allow", "deny"};

using enum OptionType;

// ---- secondsight.yaml

inline constexpr Option k_config_options[] = {
    {.key = "state_dir",
     .type = path,
     .required = true,
     .doc = "folder of the state database, the lock files and checklists/"},
    {.key = "policies",
     .type = path,
     .required = true,
     .doc = "a folder of *.yaml/*.yml policy files, or one file"},
    {.key = "timezone",
     .type = text,
     .fallback = "UTC",
     .doc = "IANA zone; end dates are calendar days in this zone"},
    {.key = "directory", .type = map, .required = true, .doc = "where people and groups come from"},
    {.key = "audit_logs", .type = list_of_maps, .fallback = "none", .doc = "log sources"},
    {.key = "repositories_root",
     .type = path,
     .fallback = "the config's folder",
     .doc = "relative repository paths of systems resolve here"},
    {.key = "handovers_file",
     .type = path,
     .fallback = "none",
     .doc = "handover records (YAML list)"},
    {.key = "alerts", .type = list_of_maps, .fallback = "none", .doc = "alert sinks"},
    {.key = "api", .type = map, .fallback = "off", .doc = "the local API"},
    // Keeping fewer days than the operator window would make it approximate.
    {.key = "event_retention_days",
     .type = whole_number,
     .fallback = "120",
     .min = k_operator_window_days,
     .max = k_max_day_count,
     .unit = "days",
     .doc = "how long access events are kept one by one as evidence; daily counts stay"},
    {.key = "daemon", .type = map, .fallback = "see below", .doc = "how the daemon paces itself"},
};

inline constexpr Option k_directory_options[] = {
    {.key = "uri",
     .type = text,
     .required = true,
     .doc = "ldif:FILE (an export), ldap://HOST or ldaps://HOST"},
    {.key = "starttls", .type = flag, .fallback = "false", .doc = "with ldap://"},
    {.key = "ca_file",
     .type = path,
     .fallback = "system store",
     .doc = "CA certificates for the server"},
    {.key = "client_cert_file",
     .type = path,
     .fallback = "none",
     .doc = "SASL EXTERNAL with a client certificate"},
    {.key = "client_key_file",
     .type = path,
     .fallback = "none",
     .doc = "the key of client_cert_file"},
    {.key = "bind_dn", .type = text, .fallback = "none", .doc = "simple bind as this DN"},
    {.key = "bind_password_file",
     .type = path,
     .fallback = "none",
     .doc = "the bind password, in a file"},
    {.key = "flavor",
     .type = choice,
     .fallback = "openldap",
     .choices = k_flavors,
     .doc = "the attribute defaults"},
    {.key = "people",
     .type = map,
     .required = true,
     .doc = "{base, filter}: the subtree search that returns people"},
    {.key = "groups",
     .type = map,
     .required = true,
     .doc = "{base, filter}: the subtree search that returns groups"},
    {.key = "attributes",
     .type = map,
     .fallback = "flavor's",
     .doc = "overrides of the attribute names"},
    {.key = "page_size",
     .type = whole_number,
     .fallback = "500",
     .min = 1,
     .doc = "LDAP paged-search size"},
    {.key = "poll_interval",
     .type = duration,
     .fallback = "5m",
     .doc = "how often the daemon polls (while it follows changes: only when following stops)"},
    {.key = "sync",
     .type = choice,
     .fallback = "auto",
     .choices = k_sync_modes,
     .doc = "auto: the daemon follows changes as they are made where the server offers it"},
    {.key = "timeout",
     .type = duration,
     .fallback = "30s",
     .doc = "network timeout of one LDAP operation"},
};
inline constexpr ForbiddenKey k_directory_forbidden[] = {
    {"bind_password",
     "passwords are never inline: put it in a file and name it in bind_password_file"}};

inline constexpr Option k_scope_options[] = {
    {.key = "base", .type = text, .required = true, .doc = "the search base (\"\" for all)"},
    {.key = "filter", .type = text, .fallback = "(objectClass=*)", .doc = "an RFC 4515 filter"},
};

// The defaults of the attributes depend on the flavor (default_attributes).
inline constexpr Option k_attribute_options[] = {
    {.key = "id", .type = text, .fallback = "flavor's", .doc = "the person's id"},
    {.key = "kind", .type = text, .fallback = "flavor's", .doc = "shown in evidence"},
    {.key = "agency", .type = text, .fallback = "flavor's", .doc = "the agency, in evidence"},
    {.key = "end_date", .type = map, .fallback = "flavor's", .doc = "{attribute, format}, or none"},
    {.key = "disabled",
     .type = map,
     .fallback = "flavor's",
     .doc = "present: true, bit: N, or values: [...]"},
    {.key = "uid_number",
     .type = text,
     .fallback = "flavor's",
     .doc = "to resolve numeric uids in audit logs"},
    {.key = "manager", .type = text, .fallback = "flavor's", .doc = "DN of the internal contact"},
    {.key = "display_name",
     .type = text,
     .fallback = "flavor's",
     .doc = "the person's name in evidence"},
    {.key = "aliases", .type = list, .fallback = "flavor's", .doc = "more identifiers"},
    {.key = "member",
     .type = text,
     .fallback = "flavor's",
     .doc = "group attribute with member DNs"},
    {.key = "member_of",
     .type = text,
     .fallback = "flavor's",
     .doc = "attribute with the groups an entry is in"},
};

inline constexpr Option k_end_date_options[] = {
    {.key = "attribute", .type = text, .required = true, .doc = "the attribute"},
    {.key = "format",
     .type = choice,
     .fallback = "iso_date",
     .choices = k_end_date_formats,
     .doc = "how its value is written"},
};

inline constexpr Option k_disabled_options[] = {
    {.key = "attribute", .type = text, .required = true, .doc = "the attribute"},
    {.key = "present", .type = flag, .fallback = "none", .doc = "disabled when present"},
    {.key = "bit", .type = text, .fallback = "none", .doc = "disabled when this bit is set"},
    {.key = "values", .type = list, .fallback = "none", .doc = "disabled with one of these"},
};

// `path` is required but for the journal, `fields` and `match` apply to some formats only: the
// reader asks the format table the caller gave it.
inline constexpr Option k_log_options[] = {
    {.key = "path", .type = path, .fallback = "required (none for journal)", .doc = "the log file"},
    {.key = "format", .type = choice, .required = true, .doc = "the log format"},
    {.key = "host", .type = text, .fallback = "none", .doc = "the host of lines that name none"},
    {.key = "fields", .type = map, .fallback = "see below", .doc = "jsonl only: the field names"},
    {.key = "match", .type = list, .fallback = "none", .doc = "journal only: FIELD=value matches"},
};

inline constexpr Option k_field_options[] = {
    {.key = "time", .type = text, .fallback = "time", .doc = "the event's time"},
    {.key = "user", .type = text, .fallback = "user", .doc = "the user"},
    {.key = "host", .type = text, .fallback = "host", .doc = "the host"},
    {.key = "action", .type = text, .fallback = "action", .doc = "the action"},
    {.key = "resource", .type = text, .fallback = "resource", .doc = "the resource"},
};

// path, url and hmac_secret_file are required by the types they apply to, which the reader
// knows: the types are the alert sink table's.
inline constexpr Option k_alert_options[] = {
    {.key = "type", .type = choice, .required = true, .doc = "the sink type"},
    {.key = "path", .type = path, .fallback = "required", .doc = "jsonl: the file alerts go to"},
    {.key = "url", .type = text, .fallback = "required", .doc = "webhook: an https:// URL"},
    {.key = "hmac_secret_file",
     .type = path,
     .fallback = "required",
     .doc = "webhook: the signing secret, in a file"},
    {.key = "ca_file",
     .type = path,
     .fallback = "system store",
     .doc = "webhook: CA certificates to verify the receiver with"},
    {.key = "proxy",
     .type = text,
     .fallback = "the environment's",
     .doc = "webhook: http://HOST:PORT of an HTTP proxy, or none"},
    {.key = "proxy_credentials_file",
     .type = path,
     .fallback = "none",
     .doc = "webhook: USER:PASSWORD for the proxy, in a file"},
    {.key = "min_severity", .type = choice, .fallback = "info", .doc = "the least severity sent"},
};
inline constexpr ForbiddenKey k_alert_forbidden[] = {
    {"hmac_secret", "secrets are never inline: put it in a file and name it in hmac_secret_file"},
    {"proxy_password",
     "passwords are never inline: put USER:PASSWORD in a file and name it in "
     "proxy_credentials_file"}};

inline constexpr Option k_api_options[] = {
    {.key = "listen",
     .type = text,
     .fallback = "127.0.0.1:9477",
     .doc = "ADDRESS:PORT; anything but loopback needs TLS"},
    // An API without a token would hand findings about people to anyone who can connect.
    {.key = "token_file", .type = path, .required = true, .doc = "the bearer token, in a file"},
    // Off loopback the findings (personal data) would cross the network: TLS is required there.
    {.key = "tls_cert_file",
     .type = path,
     .fallback = "none",
     .doc = "the server certificate (PEM), then its chain; with tls_key_file, serves over TLS"},
    {.key = "tls_key_file",
     .type = path,
     .fallback = "none",
     .doc = "the certificate's private key (PEM), in a file"},
    // Named tokens, so the evidence log says who logged in to the dashboard and who acked.
    {.key = "dashboard_tokens_file",
     .type = path,
     .fallback = "none",
     .doc = "the dashboard's tokens, one person per line as NAME: TOKEN, mode 0600"},
};
inline constexpr ForbiddenKey k_api_forbidden[] = {
    {"token", "tokens are never inline: put it in a file and name it in token_file"},
    {"tls_key", "keys are never inline: put it in a file and name it in tls_key_file"}};

inline constexpr Option k_daemon_options[] = {
    {.key = "safety_interval",
     .type = duration,
     .fallback = "30s",
     .min = 1,
     .max = 86400,
     .doc = "a scan at least this often even when inotify saw nothing"},
    {.key = "knowledge_interval",
     .type = duration,
     .fallback = "10m",
     .min = 10,
     .max = 7 * 86400,
     .doc = "how often repositories are looked at again"},
};

// ---- policy files

inline constexpr Option k_policy_options[] = {
    {.key = "defaults", .type = map, .fallback = "none", .doc = "numbers that tune the checks"},
    {.key = "staff", .type = map, .fallback = "none", .doc = "seconded_when: who is seconded"},
    {.key = "systems", .type = list_of_maps, .fallback = "none", .doc = "the systems watched"},
    {.key = "engagements",
     .type = list_of_maps,
     .fallback = "none",
     .doc = "what each engagement needs to know"},
    {.key = "checklist",
     .type = list,
     .fallback = "none",
     .doc = "extra items on every offboarding checklist"},
};

// Day counts are bounded so that none can carry a time out of the range secondsight represents.
inline constexpr Option k_defaults_options[] = {
    {.key = "grace_days_after_end",
     .type = whole_number,
     .fallback = "0",
     .min = 0,
     .max = k_max_day_count,
     .unit = "days",
     .doc = "days after the end by which rights must be gone"},
    {.key = "notice_days",
     .type = whole_number,
     .fallback = "30",
     .min = 0,
     .max = k_max_day_count,
     .unit = "days",
     .doc = "handover and checklist window before the end"},
    {.key = "inactivity_days",
     .type = whole_number,
     .fallback = "45",
     .min = 0,
     .max = k_max_day_count,
     .unit = "days",
     .doc = "a right unused this long is unused_access"},
    {.key = "min_knowledge_holders",
     .type = whole_number,
     .fallback = "2",
     .min = 1,
     .doc = "fewer current holders is a single_point_of_knowledge"},
    // 0 would make everyone an operator of everything; above the window of active days no one
    // can be one.
    {.key = "operator_min_active_days",
     .type = whole_number,
     .fallback = "3",
     .min = 1,
     .max = k_operator_window_days,
     .unit = "days",
     .doc = "distinct days of activity that make an operator"},
};

inline constexpr Option k_staff_options[] = {
    {.key = "seconded_when", .type = map, .required = true, .doc = "who is seconded"},
};

inline constexpr Option k_system_options[] = {
    {.key = "id", .type = text, .required = true, .doc = "unique across all files"},
    {.key = "name", .type = text, .fallback = "the id", .doc = "shown to people"},
    {.key = "criticality",
     .type = choice,
     .fallback = "normal",
     .choices = k_criticalities,
     .doc = "normal and above are checked for single points of knowledge"},
    {.key = "externals",
     .type = choice,
     .fallback = "allow",
     .choices = k_externals,
     .doc = "deny: no seconded person may hold or use it"},
    {.key = "groups", .type = list, .fallback = "none", .doc = "membership grants the system"},
    {.key = "activity",
     .type = list_of_maps,
     .fallback = "none",
     .doc = "which access events belong to the system"},
    {.key = "repositories", .type = list, .fallback = "none", .doc = "git repositories"},
    {.key = "docs", .type = list, .fallback = "none", .doc = "paths that count as documentation"},
};

// A rule needs at least one of host, key, resource, action (the reader says so).
inline constexpr Option k_rule_options[] = {
    {.key = "source", .type = text, .fallback = "any", .doc = "which events"},
    {.key = "host", .type = text, .fallback = "any", .doc = "a glob of the event's host"},
    {.key = "key", .type = text, .fallback = "any", .doc = "a glob of the auditd key"},
    {.key = "resource", .type = text, .fallback = "any", .doc = "a glob of the event's resource"},
    {.key = "action", .type = text, .fallback = "any", .doc = "a glob of the event's action"},
};

// An engagement needs members or members_when (the reader says so).
inline constexpr Option k_engagement_options[] = {
    {.key = "id", .type = text, .required = true, .doc = "unique across all files"},
    {.key = "agency", .type = text, .fallback = "none", .doc = "shown in findings"},
    {.key = "members", .type = list, .fallback = "none", .doc = "members by name"},
    {.key = "members_when",
     .type = map,
     .fallback = "none",
     .doc = "members by directory attributes"},
    {.key = "need_to_know",
     .type = list,
     .fallback = "none",
     .doc = "the systems members may hold and use"},
};

}  // namespace options
}  // namespace secondsight::config
