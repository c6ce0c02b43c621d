#include "secondsight/config/loader.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <map>
#include <string_view>

#include "secondsight/config/log_formats.hpp"
#include "secondsight/core/time.hpp"
#include "yaml_reader.hpp"

namespace secondsight::config {
namespace {

namespace fs = std::filesystem;

constexpr std::array<std::string_view, 11> k_config_keys{"state_dir",
                                                         "policies",
                                                         "timezone",
                                                         "directory",
                                                         "audit_logs",
                                                         "repositories_root",
                                                         "handovers_file",
                                                         "alerts",
                                                         "api",
                                                         "event_retention_days",
                                                         "daemon"};
constexpr std::array<std::string_view, 14> k_directory_keys{
    "uri",        "starttls",           "ca_file",       "client_cert_file", "client_key_file",
    "bind_dn",    "bind_password_file", "flavor",        "people",           "groups",
    "attributes", "page_size",          "poll_interval", "timeout"};
constexpr std::array<ForbiddenKey, 1> k_directory_forbidden{
    {{"bind_password",
      "passwords are never inline: put it in a file and name it in bind_password_file"}}};
constexpr std::array<std::string_view, 2> k_flavors{"openldap", "active_directory"};
constexpr std::array<std::string_view, 2> k_scope_keys{"base", "filter"};
constexpr std::array<std::string_view, 11> k_attribute_keys{
    "id",      "kind",         "agency",  "end_date", "disabled", "uid_number",
    "manager", "display_name", "aliases", "member",   "member_of"};
constexpr std::array<std::string_view, 2> k_end_date_keys{"attribute", "format"};
constexpr std::array<std::string_view, 4> k_end_date_formats{"iso_date", "generalized_time",
                                                             "ad_filetime", "days_since_epoch"};
constexpr std::array<std::string_view, 4> k_disabled_keys{"attribute", "present", "bit", "values"};
constexpr std::array<std::string_view, 5> k_log_keys{"path", "format", "host", "fields", "match"};
constexpr std::array<std::string_view, 5> k_field_keys{"time", "user", "host", "action",
                                                       "resource"};
constexpr std::array<std::string_view, 6> k_alert_keys{
    "type", "path", "url", "hmac_secret_file", "ca_file", "min_severity"};
constexpr std::array<ForbiddenKey, 1> k_alert_forbidden{
    {{"hmac_secret",
      "secrets are never inline: put it in a file and name it in hmac_secret_file"}}};
constexpr std::array<std::string_view, 3> k_alert_types{"journal", "jsonl", "webhook"};
constexpr std::array<std::string_view, 5> k_severities{"info", "low", "medium", "high", "critical"};
constexpr std::array<std::string_view, 2> k_api_keys{"listen", "token_file"};
constexpr std::array<std::string_view, 2> k_daemon_keys{"safety_interval", "knowledge_interval"};
constexpr std::array<ForbiddenKey, 1> k_api_forbidden{
    {{"token", "tokens are never inline: put it in a file and name it in token_file"}}};

constexpr std::string_view k_uri_expected = "ldap://HOST, ldaps://HOST or ldif:FILE";
constexpr std::string_view k_default_filter = "(objectClass=*)";

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  return true;
}

// The host of scheme://HOST[:PORT][/...], empty when missing.
std::string_view authority(std::string_view uri, std::size_t scheme_length) {
  std::string_view rest = uri.substr(scheme_length);
  return rest.substr(0, rest.find('/'));
}

// What is wrong with a URL of the config ("" when nothing). Printable ASCII only: anything
// else would go into a request line as it is. No user:password@: secrets are never inline in
// the config, and a URL is printed in messages. Never quotes the URL itself.
std::string url_problem(std::string_view url, std::size_t scheme_length) {
  const bool printable = std::all_of(url.begin(), url.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f;
  });
  if (!printable)
    return "may hold only printable ASCII characters, without spaces (percent-encode the rest)";
  if (authority(url, scheme_length).find('@') != std::string_view::npos)
    return "must not carry a user or password (USER:PASSWORD@HOST): secrets go in files, never "
           "in the config";
  return {};
}

bool valid_journal_field(std::string_view field) {
  return !field.empty() && std::all_of(field.begin(), field.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool valid_listen(std::string_view listen) {
  const std::size_t colon = listen.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || has_control(listen)) return false;
  const std::string_view host = listen.substr(0, colon);
  const std::string_view port = listen.substr(colon + 1);
  if (host.front() == '[' && (host.size() < 3 || host.back() != ']')) return false;
  if (host.front() != '[' && host.find(':') != std::string_view::npos) return false;
  int number = 0;
  const auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
  return ec == std::errc() && ptr == port.data() + port.size() && number >= 1 && number <= 65535;
}

// "0x2" or "2": the mask of the flag that marks an account disabled.
std::optional<unsigned long long> parse_mask(std::string_view text) {
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    text.remove_prefix(2);
    base = 16;
  }
  unsigned long long value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty() || value == 0)
    return std::nullopt;
  return value;
}

class ConfigReader {
 public:
  ConfigReader(YamlReader& reader, fs::path folder)
      : m_reader(reader), m_folder(std::move(folder)) {}

  void read(const YAML::Node& root, Config& config) {
    config.repositories_root = m_folder;
    const auto top = m_reader.fields(root, m_reader.at(root), "config", k_config_keys,
                                     "the config must be a map of " + join(k_config_keys));
    if (!top) return;

    if (const Entry* e = top->find("state_dir")) {
      if (auto path = read_path(*e, "a folder path")) config.state_dir = *path;
    } else {
      m_reader.missing(*top, "state_dir", "config");
    }
    if (const Entry* e = top->find("policies")) {
      if (auto path = read_path(*e, "a policy folder or file")) config.policies = *path;
    } else {
      m_reader.missing(*top, "policies", "config");
    }
    read_timezone(top->find("timezone"), config);
    if (const Entry* e = top->find("directory")) {
      read_directory(*e, config.directory);
    } else {
      m_reader.missing(*top, "directory", "config");
    }
    if (const Entry* e = top->find("audit_logs")) read_audit_logs(*e, config.audit_logs);
    if (const Entry* e = top->find("event_retention_days")) {
      // Keeping fewer days than the operator window would make it approximate.
      if (auto days = m_reader.whole_number(*e, k_operator_window_days,
                                            fmt::format("a whole number of days from {} to {}",
                                                        k_operator_window_days, k_max_day_count),
                                            k_max_day_count))
        config.event_retention_days = *days;
    }
    if (const Entry* e = top->find("repositories_root")) {
      if (auto path = read_path(*e, "a folder path")) config.repositories_root = *path;
    }
    if (const Entry* e = top->find("handovers_file")) {
      if (auto path = read_path(*e, "a file path")) config.handovers_file = *path;
    }
    if (const Entry* e = top->find("alerts")) read_alerts(*e, config.alerts);
    if (const Entry* e = top->find("api")) read_api(*e, config.api);
    if (const Entry* e = top->find("daemon")) read_daemon(*e, config.daemon);
  }

 private:
  fs::path resolve(const std::string& text) const {
    const fs::path path(text);
    return (path.is_absolute() ? path : m_folder / path).lexically_normal();
  }

  std::optional<fs::path> read_path(const Entry& entry, std::string_view expected) {
    auto text = m_reader.plain_text(entry, expected);
    if (!text) return std::nullopt;
    return resolve(*text);
  }

  void read_timezone(const Entry* entry, Config& config) {
    if (!entry) {
      auto utc = find_zone("UTC");
      if (utc)
        config.zone = *utc;
      else
        m_reader.error(Location{m_reader.file(), 0, 0}, utc.error().message);
      return;
    }
    auto name = m_reader.text(*entry, "a time zone name like Europe/Amsterdam");
    if (!name) return;
    auto zone = find_zone(*name);
    if (!zone) {
      m_reader.error(m_reader.at(*entry), zone.error().message);
      return;
    }
    config.timezone_name = *name;
    config.zone = *zone;
  }

  void read_directory(const Entry& entry, DirectoryConfig& directory) {
    directory.where = m_reader.at(entry.key);
    const auto fields =
        m_reader.fields(entry, "directory", k_directory_keys, k_directory_forbidden);
    if (!fields) return;

    // The flavor first: the attribute overrides apply on top of its defaults.
    if (const Entry* e = fields->find("flavor")) {
      if (auto flavor = m_reader.choice(*e, "flavor", k_flavors))
        directory.flavor =
            *flavor == "active_directory" ? Flavor::active_directory : Flavor::openldap;
    }
    directory.attributes = default_attributes(directory.flavor);

    std::string scheme;
    if (const Entry* e = fields->find("uri")) {
      scheme = read_uri(*e, directory);
    } else {
      m_reader.missing(*fields, "uri", "directory");
    }
    if (const Entry* e = fields->find("starttls")) {
      if (auto starttls = m_reader.boolean(*e)) {
        directory.starttls = *starttls;
        if (*starttls && scheme == "ldaps")
          m_reader.error(m_reader.at(*e),
                         "'starttls' only applies to ldap:// URIs: ldaps:// is encrypted from "
                         "the start");
        else if (*starttls && scheme == "ldif")
          m_reader.error(m_reader.at(*e),
                         "'starttls' only applies to ldap:// URIs: an ldif: export has no "
                         "connection");
      }
    }
    if (const Entry* e = fields->find("ca_file")) {
      if (auto path = read_path(*e, "a file path")) directory.ca_file = *path;
    }
    if (const Entry* e = fields->find("client_cert_file")) {
      if (auto path = read_path(*e, "a file path")) directory.client_cert_file = *path;
    }
    if (const Entry* e = fields->find("client_key_file")) {
      if (auto path = read_path(*e, "a file path")) directory.client_key_file = *path;
    }
    if (const Entry* e = fields->find("bind_dn")) {
      if (auto dn = m_reader.text(*e, "a DN")) directory.bind_dn = *dn;
    }
    if (const Entry* e = fields->find("bind_password_file")) {
      if (auto path = read_path(*e, "a file path")) {
        directory.bind_password_file = *path;
        if (!fields->find("bind_dn"))
          m_reader.error(m_reader.at(*e), "'bind_password_file' needs a bind_dn to bind as");
      }
    }
    read_scope(*fields, "people", directory.people);
    read_scope(*fields, "groups", directory.groups);
    if (const Entry* e = fields->find("attributes")) read_attributes(*e, directory.attributes);
    if (const Entry* e = fields->find("page_size")) {
      if (auto size = m_reader.whole_number(*e, 1, "a whole number ≥ 1"))
        directory.page_size = *size;
    }
    if (const Entry* e = fields->find("poll_interval")) {
      if (auto interval = m_reader.duration(*e)) directory.poll_interval = *interval;
    }
    if (const Entry* e = fields->find("timeout")) {
      if (auto timeout = m_reader.duration(*e)) directory.timeout = *timeout;
    }
    check_directory_security(*fields, directory, scheme);
  }

  // What would weaken the connection is refused here, at its place in the file.
  void check_directory_security(const Fields& fields, const DirectoryConfig& directory,
                                const std::string& scheme) {
    const bool tls = scheme == "ldaps" || (scheme == "ldap" && directory.starttls);
    const Entry* cert = fields.find("client_cert_file");
    const Entry* key = fields.find("client_key_file");
    if (cert && !key)
      m_reader.error(m_reader.at(*cert), "'client_cert_file' needs its client_key_file");
    if (key && !cert)
      m_reader.error(m_reader.at(*key), "'client_key_file' needs its client_cert_file");
    if (cert && scheme == "ldap" && !tls)
      m_reader.error(m_reader.at(*cert),
                     "a client certificate needs TLS: use ldaps:// or starttls: true");
    const Entry* password = fields.find("bind_password_file");
    if (password && scheme == "ldap" && !tls && !is_loopback_host(uri_host(directory.uri)))
      m_reader.error(m_reader.at(*password),
                     "the bind password would cross the network unencrypted: use ldaps:// or "
                     "starttls: true (only a loopback host may be reached without TLS)");
  }

  // Returns the scheme ("ldap", "ldaps", "ldif"), or "" when the URI is wrong.
  std::string read_uri(const Entry& entry, DirectoryConfig& directory) {
    auto uri = m_reader.text(entry, k_uri_expected);
    if (!uri) return {};
    const std::string must_be = "'uri' must be " + std::string(k_uri_expected);
    if (starts_with_nocase(*uri, "ldif:")) {
      const std::string file = uri->substr(5);
      if (file.empty()) {
        m_reader.error(m_reader.at(entry), "'uri' names no file: ldif:FILE");
        return {};
      }
      if (has_control(file)) {
        m_reader.error(m_reader.at(entry), "'uri' must name its file" + k_without_controls);
        return {};
      }
      directory.uri = *uri;
      directory.ldif_path = resolve(file);
      return "ldif";
    }
    for (const std::string_view scheme : {"ldap", "ldaps"}) {
      const std::string prefix = std::string(scheme) + "://";
      if (!starts_with_nocase(*uri, prefix)) continue;
      if (authority(*uri, prefix.size()).empty()) {
        m_reader.error(m_reader.at(entry), "'uri' names no host: " + prefix + "HOST[:PORT]");
        return {};
      }
      if (auto problem = url_problem(*uri, prefix.size()); !problem.empty()) {
        m_reader.error(m_reader.at(entry), "'uri' " + problem);
        return {};
      }
      directory.uri = *uri;
      return std::string(scheme);
    }
    m_reader.error(m_reader.at(entry), must_be);
    return {};
  }

  void read_scope(const Fields& directory, std::string_view key, SearchScope& scope) {
    const Entry* entry = directory.find(key);
    if (!entry) {
      m_reader.missing(directory, key, "directory");
      return;
    }
    const auto fields = m_reader.fields(*entry, key, k_scope_keys);
    if (!fields) return;
    if (const Entry* e = fields->find("base")) {
      if (auto base = m_reader.text(*e, "a DN (\"\" for the whole directory)", true))
        scope.base = *base;
    } else {
      m_reader.missing(*fields, "base", key);
    }
    scope.filter = std::string(k_default_filter);
    if (const Entry* e = fields->find("filter")) {
      // The filter's syntax is checked by the directory's own parser, at this location.
      if (auto filter = m_reader.text(*e, "an LDAP filter, like (objectClass=inetOrgPerson)")) {
        scope.filter = *filter;
        scope.filter_where = m_reader.at(*e);
      }
    }
  }

  void read_attributes(const Entry& entry, DirectoryAttributes& attributes) {
    const auto fields = m_reader.fields(entry, "attributes", k_attribute_keys);
    if (!fields) return;
    const std::pair<std::string_view, std::string*> names[] = {
        {"id", &attributes.id},           {"kind", &attributes.kind},
        {"agency", &attributes.agency},   {"uid_number", &attributes.uid_number},
        {"manager", &attributes.manager}, {"display_name", &attributes.display_name},
        {"member", &attributes.member},   {"member_of", &attributes.member_of}};
    for (const auto& [key, target] : names) {
      if (const Entry* e = fields->find(key)) {
        if (auto name = m_reader.text(*e, "an attribute name")) *target = *name;
      }
    }
    if (const Entry* e = fields->find("aliases")) {
      if (auto aliases = m_reader.text_list(*e, "a list of attribute names"))
        attributes.aliases = *aliases;
    }
    if (const Entry* e = fields->find("end_date")) read_end_date(*e, attributes);
    if (const Entry* e = fields->find("disabled")) read_disabled(*e, attributes);
  }

  void read_end_date(const Entry& entry, DirectoryAttributes& attributes) {
    if (entry.value.IsNull() || (entry.value.IsScalar() && entry.value.Scalar() == "none")) {
      attributes.end_date.reset();
      return;
    }
    const auto fields = m_reader.fields(entry, "end_date", k_end_date_keys, {},
                                        "'end_date' must be a map of attribute, format, or none");
    if (!fields) return;
    EndDateAttribute end_date;
    bool ok = true;
    if (const Entry* e = fields->find("attribute")) {
      if (auto name = m_reader.text(*e, "an attribute name"))
        end_date.attribute = *name;
      else
        ok = false;
    } else {
      m_reader.missing(*fields, "attribute", "end_date");
      ok = false;
    }
    if (const Entry* e = fields->find("format")) {
      const auto format = m_reader.choice(*e, "end date format", k_end_date_formats);
      if (!format)
        ok = false;
      else if (*format == "generalized_time")
        end_date.format = EndDateFormat::generalized_time;
      else if (*format == "ad_filetime")
        end_date.format = EndDateFormat::ad_filetime;
      else if (*format == "days_since_epoch")
        end_date.format = EndDateFormat::days_since_epoch;
      else
        end_date.format = EndDateFormat::iso_date;
    }
    if (ok) attributes.end_date = end_date;
  }

  void read_disabled(const Entry& entry, DirectoryAttributes& attributes) {
    const auto fields = m_reader.fields(entry, "disabled", k_disabled_keys);
    if (!fields) return;
    // The whole rule is replaced: a flavor's bit next to a configured attribute means nothing.
    DisabledRule rule;
    bool ok = true;
    if (const Entry* e = fields->find("attribute")) {
      if (auto name = m_reader.text(*e, "an attribute name"))
        rule.attribute = *name;
      else
        ok = false;
    } else {
      m_reader.missing(*fields, "attribute", "disabled");
      ok = false;
    }
    const Entry* present = fields->find("present");
    const Entry* bit = fields->find("bit");
    const Entry* values = fields->find("values");
    if ((present ? 1 : 0) + (bit ? 1 : 0) + (values ? 1 : 0) != 1) {
      m_reader.error(fields->where(), "'disabled' needs exactly one of present, bit, values");
      return;
    }
    if (present) {
      const auto value = m_reader.boolean(*present);
      if (value && !*value)
        m_reader.error(m_reader.at(*present),
                       "'present' must be true: the account is disabled when the attribute "
                       "is present");
      ok = ok && value && *value;
      rule.present = true;
    }
    if (bit) {
      const auto mask = bit->value.IsScalar() ? parse_mask(bit->value.Scalar()) : std::nullopt;
      if (mask) {
        rule.bit = *mask;
      } else {
        m_reader.error(m_reader.at(*bit), "'bit' must be a number like 2 or 0x2 (the flag's mask)");
        ok = false;
      }
    }
    if (values) {
      auto list = m_reader.text_list(*values, "a list of values");
      if (list && list->empty()) {
        m_reader.error(m_reader.at(*values),
                       "'values' lists nothing: no account would ever count as disabled");
        list.reset();
      }
      if (list)
        rule.values = *list;
      else
        ok = false;
    }
    if (ok) attributes.disabled = rule;
  }

  void read_audit_logs(const Entry& entry, std::vector<LogSourceConfig>& logs) {
    if (!entry.value.IsSequence()) {
      m_reader.error(m_reader.at(entry), "'audit_logs' must be a list of log sources");
      return;
    }
    std::map<std::string, Location> seen;
    for (const auto& item : entry.value) {
      LogSourceConfig log;
      log.where = m_reader.at(item);
      const auto fields = m_reader.fields(item, log.where, "audit log", k_log_keys,
                                          "each audit log must be a map of " + join(k_log_keys));
      if (!fields) continue;
      bool ok = true;
      if (const Entry* e = fields->find("format")) {
        if (auto format = m_reader.choice(*e, "log format", k_log_format_names))
          log.format = *format;
        else
          ok = false;
      } else {
        m_reader.missing(*fields, "format", "audit log");
        ok = false;
      }
      std::string written_path;
      if (const Entry* e = fields->find("path")) {
        if (auto path = m_reader.plain_text(*e, "a file path")) {
          written_path = *path;
          log.path = resolve(*path);
        } else {
          ok = false;
        }
      } else if (!log.format.empty() && !reads_journal(log)) {
        m_reader.missing(*fields, "path", "audit log");
        ok = false;
      }
      if (const Entry* e = fields->find("host")) {
        if (auto host = m_reader.plain_text(*e, "a host name"))
          log.host = *host;
        else
          ok = false;
      }
      if (const Entry* e = fields->find("fields")) {
        if (!log.format.empty() && log.format != "jsonl") {
          m_reader.error(m_reader.at(e->key), "'fields' only applies to format jsonl");
          ok = false;
        } else if (!read_jsonl_fields(*e, log.fields)) {
          ok = false;
        }
      }
      if (const Entry* e = fields->find("match")) {
        if (!log.format.empty() && !reads_journal(log)) {
          m_reader.error(m_reader.at(e->key), "'match' only applies to format journal");
          ok = false;
        } else if (!read_matches(*e, log.match)) {
          ok = false;
        }
      }
      if (!ok) continue;
      // The name keys the saved read position: it must not change while the config stays.
      if (reads_journal(log))
        log.name = written_path.empty() ? log.format : log.format + ":" + written_path;
      else
        log.name = written_path;
      const auto [first, inserted] = seen.emplace(log.name, log.where);
      if (!inserted) {
        m_reader.error(log.where, "audit log '" + log.name + "' is already listed at " +
                                      format_location(first->second));
        continue;
      }
      logs.push_back(std::move(log));
    }
  }

  bool read_jsonl_fields(const Entry& entry, JsonlFields& names) {
    const auto fields = m_reader.fields(entry, "fields", k_field_keys);
    if (!fields) return false;
    bool ok = true;
    const std::pair<std::string_view, std::string*> targets[] = {{"time", &names.time},
                                                                 {"user", &names.user},
                                                                 {"host", &names.host},
                                                                 {"action", &names.action},
                                                                 {"resource", &names.resource}};
    for (const auto& [key, target] : targets) {
      if (const Entry* e = fields->find(key)) {
        if (auto name = m_reader.text(*e, "a field name (dotted for nested objects)"))
          *target = *name;
        else
          ok = false;
      }
    }
    return ok;
  }

  bool read_matches(const Entry& entry, std::vector<std::string>& matches) {
    auto items = m_reader.located_text_list(entry, "a list of FIELD=value journal matches");
    if (!items) return false;
    bool ok = true;
    for (const auto& [match, where] : *items) {
      const std::size_t equals = match.find('=');
      if (equals == std::string::npos || !valid_journal_field(match.substr(0, equals))) {
        m_reader.error(where, "journal match '" + match +
                                  "' must be FIELD=value, like _SYSTEMD_UNIT=ssh.service");
        ok = false;
        continue;
      }
      matches.push_back(match);
    }
    return ok;
  }

  void read_alerts(const Entry& entry, std::vector<AlertSinkConfig>& alerts) {
    if (!entry.value.IsSequence()) {
      m_reader.error(m_reader.at(entry), "'alerts' must be a list of alert sinks");
      return;
    }
    for (const auto& item : entry.value) {
      AlertSinkConfig sink;
      sink.where = m_reader.at(item);
      const auto fields =
          m_reader.fields(item, sink.where, "alert", k_alert_keys,
                          "each alert must be a map of " + join(k_alert_keys), k_alert_forbidden);
      if (!fields) continue;
      if (read_alert(*fields, sink)) alerts.push_back(std::move(sink));
    }
  }

  bool read_alert(const Fields& fields, AlertSinkConfig& sink) {
    bool ok = true;
    if (const Entry* e = fields.find("type")) {
      if (auto type = m_reader.choice(*e, "alert type", k_alert_types))
        sink.type = *type;
      else
        ok = false;
    } else {
      m_reader.missing(fields, "type", "alert");
      ok = false;
    }
    // Which keys belong to which type; a key of another type is a mistake worth naming.
    const std::pair<std::string_view, std::string_view> owners[] = {{"path", "jsonl"},
                                                                    {"url", "webhook"},
                                                                    {"hmac_secret_file", "webhook"},
                                                                    {"ca_file", "webhook"}};
    for (const auto& [key, owner] : owners) {
      const Entry* e = fields.find(key);
      if (e && !sink.type.empty() && sink.type != owner) {
        m_reader.error(m_reader.at(e->key),
                       "'" + std::string(key) + "' only applies to type " + std::string(owner));
        ok = false;
      }
    }
    if (sink.type == "jsonl") {
      if (const Entry* e = fields.find("path")) {
        if (auto path = read_path(*e, "a file path"))
          sink.path = *path;
        else
          ok = false;
      } else {
        m_reader.missing(fields, "path", "jsonl alert");
        ok = false;
      }
    }
    if (sink.type == "webhook") {
      if (const Entry* e = fields.find("url")) {
        constexpr std::string_view why =
            "'url' must be an https:// URL: alerts carry personal data and are never sent in "
            "clear";
        auto url = m_reader.text(*e, "an https:// URL");
        if (url && (!starts_with_nocase(*url, "https://") ||
                    authority(*url, std::string_view("https://").size()).empty())) {
          m_reader.error(m_reader.at(*e), std::string(why));
          url.reset();
        }
        if (url) {
          if (auto problem = url_problem(*url, std::string_view("https://").size());
              !problem.empty()) {
            m_reader.error(m_reader.at(*e), "'url' " + problem);
            url.reset();
          }
        }
        if (url)
          sink.url = *url;
        else
          ok = false;
      } else {
        m_reader.missing(fields, "url", "webhook alert");
        ok = false;
      }
      if (const Entry* e = fields.find("hmac_secret_file")) {
        if (auto path = read_path(*e, "a file path"))
          sink.hmac_secret_file = *path;
        else
          ok = false;
      } else {
        m_reader.missing(fields, "hmac_secret_file", "webhook alert");
        ok = false;
      }
      if (const Entry* e = fields.find("ca_file")) {
        if (auto path = read_path(*e, "a file path"))
          sink.ca_file = *path;
        else
          ok = false;
      }
    }
    if (const Entry* e = fields.find("min_severity")) {
      if (auto severity = m_reader.choice(*e, "severity", k_severities))
        sink.min_severity = *severity;
      else
        ok = false;
    }
    return ok;
  }

  void read_api(const Entry& entry, ApiConfig& api) {
    const auto fields = m_reader.fields(entry, "api", k_api_keys, k_api_forbidden);
    if (!fields) return;
    bool ok = true;
    if (const Entry* e = fields->find("listen")) {
      constexpr std::string_view expected = "HOST:PORT, like 127.0.0.1:9477";
      auto listen = m_reader.text(*e, expected);
      if (listen && !valid_listen(*listen)) {
        m_reader.error(m_reader.at(*e), "'listen' must be " + std::string(expected));
        listen.reset();
      }
      if (listen)
        api.listen = *listen;
      else
        ok = false;
    }
    if (const Entry* e = fields->find("token_file")) {
      if (auto path = read_path(*e, "a file path"))
        api.token_file = *path;
      else
        ok = false;
    } else {
      // An API without a token would hand findings about people to anyone who can connect.
      m_reader.missing(*fields, "token_file", "api");
      ok = false;
    }
    api.enabled = ok;
  }

  void read_daemon(const Entry& entry, DaemonConfig& daemon) {
    const auto fields = m_reader.fields(entry, "daemon", k_daemon_keys);
    if (!fields) return;
    const auto interval = [&](const char* key, std::chrono::seconds least,
                              std::chrono::seconds most, std::string_view bounds,
                              std::chrono::seconds& out) {
      const Entry* e = fields->find(key);
      if (!e) return;
      auto value = m_reader.duration(*e);
      if (!value) return;
      if (*value < least || *value > most) {
        m_reader.error(m_reader.at(*e), fmt::format("'{}' must be a duration {}", key, bounds));
        return;
      }
      out = *value;
    };
    using std::chrono::seconds;
    interval("safety_interval", seconds(1), seconds(86400), "from 1s to 1d",
             daemon.safety_interval);
    interval("knowledge_interval", seconds(10), seconds(7 * 86400), "from 10s to 7d",
             daemon.knowledge_interval);
  }

  YamlReader& m_reader;
  fs::path m_folder;
};

}  // namespace

std::optional<Config> load_config(const std::filesystem::path& file, Diagnostics& diagnostics) {
  Diagnostics found;
  YamlReader reader(file, found);
  Config config;
  std::error_code ec;
  fs::path absolute = fs::absolute(file, ec);
  if (ec) absolute = file;
  config.file = absolute.lexically_normal();
  try {
    if (const auto root = reader.parse())
      ConfigReader(reader, config.file.parent_path()).read(*root, config);
  } catch (const YAML::Exception& e) {
    // yaml-cpp throws only on misuse we guard against; still, never past this boundary.
    Location where{reader.file(), 0, 0};
    if (!e.mark.is_null()) where = Location{reader.file(), e.mark.line + 1, e.mark.column + 1};
    found.error(where, e.msg);
  } catch (const std::exception& e) {
    found.error(Location{reader.file(), 0, 0}, e.what());
  }
  append_in_file_order(found, diagnostics);
  if (found.has_errors()) return std::nullopt;
  return config;
}

}  // namespace secondsight::config
