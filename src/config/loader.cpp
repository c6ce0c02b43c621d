#include "secondsight/config/loader.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <map>
#include <string_view>

#include "secondsight/core/severity.hpp"
#include "secondsight/core/time.hpp"
#include "yaml_reader.hpp"

namespace secondsight::config {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view k_uri_expected = "ldap://HOST, ldaps://HOST or ldif:FILE";

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  return true;
}

bool equals_nocase(std::string_view text, std::string_view lower) {
  return text.size() == lower.size() && starts_with_nocase(text, lower);
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

// ADDRESS:PORT, the address an IP address ("[...]" for IPv6) or localhost: the API binds exactly
// that address, and whether it may be plain HTTP depends on it, so no other name is taken.
bool valid_listen(std::string_view listen) {
  const std::size_t colon = listen.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || has_control(listen)) return false;
  const std::string_view host = listen.substr(0, colon);
  const std::string_view port = listen.substr(colon + 1);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return false;
    const std::string inside(host.substr(1, host.size() - 2));
    in6_addr v6{};
    if (::inet_pton(AF_INET6, inside.c_str(), &v6) != 1) return false;
  } else {
    in_addr v4{};
    const std::string name(host);
    if (!equals_nocase(name, "localhost") && ::inet_pton(AF_INET, name.c_str(), &v4) != 1)
      return false;
  }
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
  ConfigReader(YamlReader& reader, fs::path folder, const Plugins& plugins)
      : m_reader(reader), m_folder(std::move(folder)), m_plugins(plugins) {
    for (const auto& format : plugins.log_formats) m_format_names.push_back(format.name);
  }

  void read(const YAML::Node& root, Config& config) {
    config.repositories_root = m_folder;
    const auto top =
        m_reader.fields(root, m_reader.at(root), "config", options::k_config_options,
                        "the config must be a map of " + join(keys_of(options::k_config_options)));
    if (!top) return;

    if (const Entry* e = m_reader.get(*top, "state_dir")) {
      if (auto path = read_path(*e, "a folder path")) config.state_dir = *path;
    }
    if (const Entry* e = m_reader.get(*top, "policies")) {
      if (auto path = read_path(*e, "a policy folder or file")) config.policies = *path;
    }
    read_timezone(top->find("timezone"), config);
    if (const Entry* e = m_reader.get(*top, "directory")) read_directory(*e, config.directory);
    if (const Entry* e = top->find("audit_logs")) read_audit_logs(*e, config.audit_logs);
    if (const Entry* e = top->find("event_retention_days")) {
      if (auto days =
              m_reader.whole_number(*e, option(options::k_config_options, "event_retention_days")))
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
    const auto fields = m_reader.fields(entry, "directory", options::k_directory_options,
                                        options::k_directory_forbidden);
    if (!fields) return;

    // The flavor first: the attribute overrides apply on top of its defaults.
    if (const Entry* e = fields->find("flavor")) {
      if (auto flavor = m_reader.choice(*e, "flavor", options::k_flavors))
        directory.flavor =
            *flavor == "active_directory" ? Flavor::active_directory : Flavor::openldap;
    }
    directory.attributes = default_attributes(directory.flavor);

    std::string scheme;
    if (const Entry* e = m_reader.get(*fields, "uri")) scheme = read_uri(*e, directory);
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
      if (auto size = m_reader.whole_number(*e, option(options::k_directory_options, "page_size")))
        directory.page_size = *size;
    }
    if (const Entry* e = fields->find("poll_interval")) {
      if (auto interval = m_reader.duration(*e)) directory.poll_interval = *interval;
    }
    if (const Entry* e = fields->find("timeout")) {
      if (auto timeout = m_reader.duration(*e)) directory.timeout = *timeout;
    }
    if (const Entry* e = fields->find("sync")) {
      if (auto mode = m_reader.choice(*e, "sync", options::k_sync_modes))
        directory.sync = *mode == "auto";
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
    const Entry* entry = m_reader.get(directory, key);
    if (!entry) return;
    const auto fields = m_reader.fields(*entry, key, options::k_scope_options);
    if (!fields) return;
    if (const Entry* e = m_reader.get(*fields, "base")) {
      if (auto base = m_reader.text(*e, "a DN (\"\" for the whole directory)", true))
        scope.base = *base;
    }
    scope.filter = std::string(option(options::k_scope_options, "filter").fallback);
    if (const Entry* e = fields->find("filter")) {
      // The filter's syntax is checked by the directory's own parser, at this location.
      if (auto filter = m_reader.text(*e, "an LDAP filter, like (objectClass=inetOrgPerson)")) {
        scope.filter = *filter;
        scope.filter_where = m_reader.at(*e);
      }
    }
  }

  void read_attributes(const Entry& entry, DirectoryAttributes& attributes) {
    const auto fields = m_reader.fields(entry, "attributes", options::k_attribute_options);
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
    const auto fields = m_reader.fields(entry, "end_date", options::k_end_date_options, {},
                                        "'end_date' must be a map of attribute, format, or none");
    if (!fields) return;
    EndDateAttribute end_date;
    bool ok = true;
    if (const Entry* e = m_reader.get(*fields, "attribute")) {
      if (auto name = m_reader.text(*e, "an attribute name"))
        end_date.attribute = *name;
      else
        ok = false;
    } else {
      ok = false;
    }
    if (const Entry* e = fields->find("format")) {
      const auto format = m_reader.choice(*e, "end date format", options::k_end_date_formats);
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
    const auto fields = m_reader.fields(entry, "disabled", options::k_disabled_options);
    if (!fields) return;
    // The whole rule is replaced: a flavor's bit next to a configured attribute means nothing.
    DisabledRule rule;
    bool ok = true;
    if (const Entry* e = m_reader.get(*fields, "attribute")) {
      if (auto name = m_reader.text(*e, "an attribute name"))
        rule.attribute = *name;
      else
        ok = false;
    } else {
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
      const auto fields = m_reader.fields(
          item, log.where, "audit log", options::k_log_options,
          "each audit log must be a map of " + join(keys_of(options::k_log_options)));
      if (!fields) continue;
      bool ok = true;
      if (const Entry* e = m_reader.get(*fields, "format")) {
        if (auto format = m_reader.choice(*e, "log format", m_format_names))
          log.format = *format;
        else
          ok = false;
      } else {
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
      } else if (!log.format.empty() && !journal(log.format)) {
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
        const LogFormatName* format = find_format(m_plugins.log_formats, log.format);
        if (!log.format.empty() && !(format && format->takes_fields)) {
          m_reader.error(m_reader.at(e->key),
                         "'fields' only applies to format " +
                             formats_where([](const LogFormatName& f) { return f.takes_fields; }));
          ok = false;
        } else if (!read_jsonl_fields(*e, log.fields)) {
          ok = false;
        }
      }
      if (const Entry* e = fields->find("match")) {
        if (!log.format.empty() && !journal(log.format)) {
          m_reader.error(m_reader.at(e->key), "'match' only applies to format " +
                                                  formats_where([](const LogFormatName& f) {
                                                    return f.reading == LogReading::journal;
                                                  }));
          ok = false;
        } else if (!read_matches(*e, log.match)) {
          ok = false;
        }
      }
      if (!ok) continue;
      // The name keys the saved read position: it must not change while the config stays.
      if (journal(log.format))
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
    const auto fields = m_reader.fields(entry, "fields", options::k_field_options);
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
          m_reader.fields(item, sink.where, "alert", options::k_alert_options,
                          "each alert must be a map of " + join(keys_of(options::k_alert_options)),
                          options::k_alert_forbidden);
      if (!fields) continue;
      if (read_alert(*fields, sink)) alerts.push_back(std::move(sink));
    }
  }

  bool read_alert(const Fields& fields, AlertSinkConfig& sink) {
    bool ok = true;
    if (const Entry* e = m_reader.get(fields, "type")) {
      if (auto type = m_reader.choice(*e, "alert type", m_plugins.alert_types))
        sink.type = *type;
      else
        ok = false;
    } else {
      ok = false;
    }
    // Which keys belong to which type; a key of another type is a mistake worth naming.
    const std::pair<std::string_view, std::string_view> owners[] = {
        {"path", "jsonl"},      {"url", "webhook"},   {"hmac_secret_file", "webhook"},
        {"ca_file", "webhook"}, {"proxy", "webhook"}, {"proxy_credentials_file", "webhook"}};
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
      if (!read_proxy(fields, sink)) ok = false;
    }
    if (const Entry* e = fields.find("min_severity")) {
      if (auto name = m_reader.choice(*e, "severity", k_severity_names))
        sink.min_severity = parse_severity(*name).value();
      else
        ok = false;
    }
    return ok;
  }

  // A webhook's proxy: its own `proxy:` (a URL, or none), else the environment's https_proxy
  // with no_proxy. A bad https_proxy is an error only for a webhook that would use it, and is
  // reported once, at the first of them.
  bool read_proxy(const Fields& fields, AlertSinkConfig& sink) {
    const Entry* proxy = fields.find("proxy");
    const Entry* credentials = fields.find("proxy_credentials_file");
    if (!proxy) {
      const auto& variable = m_proxy_environment.https_proxy;
      if (!variable) return credentials_without_proxy(credentials);
      auto url = parse_proxy_url(variable->value);
      if (!url) {
        if (!m_proxy_environment_reported)
          m_reader.error(sink.where, "the environment's " + variable->name +
                                         ", which this webhook would go through, must be " +
                                         std::string(k_proxy_url_form) + ": " +
                                         url.error().message +
                                         " (or give the webhook its own proxy: URL, or none)");
        m_proxy_environment_reported = true;
        return false;
      }
      sink.proxy.url = std::move(*url);
      sink.proxy.source = variable->name;
      if (m_proxy_environment.no_proxy) sink.proxy.no_proxy = m_proxy_environment.no_proxy->value;
      return credentials_without_proxy(credentials);
    }
    auto text = m_reader.text(*proxy, "http://HOST:PORT or none");
    if (!text) return false;
    sink.proxy.source = "proxy";
    if (*text == "none") return credentials_without_proxy(credentials);
    const auto scheme_end = text->find("://");
    if (text->substr(0, text->find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3))
            .find('@') != std::string::npos) {
      m_reader.error(m_reader.at(*proxy),
                     "'proxy' must not carry a user or password: put USER:PASSWORD in a file and "
                     "name it in proxy_credentials_file");
      return false;
    }
    auto url = parse_proxy_url(*text);
    if (!url) {
      // No USER:PASSWORD@ here (above): the form the config may use.
      m_reader.error(m_reader.at(*proxy),
                     "'proxy' must be http://HOST[:PORT] or none: " + url.error().message);
      return false;
    }
    sink.proxy.url = std::move(*url);
    if (credentials) {
      auto path = read_path(*credentials, "a file path");
      if (!path) return false;
      sink.proxy_credentials_file = *path;
    }
    return true;
  }

  // proxy_credentials_file belongs to a proxy the config names.
  bool credentials_without_proxy(const Entry* credentials) {
    if (!credentials) return true;
    m_reader.error(m_reader.at(credentials->key),
                   "'proxy_credentials_file' only applies with a proxy: URL of the webhook's own "
                   "(the environment's https_proxy carries its own USER:PASSWORD@)");
    return false;
  }

  void read_api(const Entry& entry, ApiConfig& api) {
    const auto fields =
        m_reader.fields(entry, "api", options::k_api_options, options::k_api_forbidden);
    if (!fields) return;
    bool ok = true;
    const Entry* listen_entry = fields->find("listen");
    if (listen_entry) {
      constexpr std::string_view expected =
          "ADDRESS:PORT, like 127.0.0.1:9477, [::1]:9477, localhost:9477 or 0.0.0.0:9477";
      auto listen = m_reader.text(*listen_entry, expected);
      if (listen && !valid_listen(*listen)) {
        m_reader.error(m_reader.at(*listen_entry), "'listen' must be " + std::string(expected));
        listen.reset();
      }
      if (listen)
        api.listen = *listen;
      else
        ok = false;
    }
    if (const Entry* e = m_reader.get(*fields, "token_file")) {
      if (auto path = read_path(*e, "a file path"))
        api.token_file = *path;
      else
        ok = false;
    } else {
      ok = false;
    }

    if (const Entry* e = fields->find("dashboard_tokens_file")) {
      if (auto path = read_path(*e, "a file path"))
        api.dashboard_tokens_file = *path;
      else
        ok = false;
    }

    const Entry* cert = fields->find("tls_cert_file");
    const Entry* key = fields->find("tls_key_file");
    for (auto [e, path] :
         {std::pair{cert, &api.tls_cert_file}, std::pair{key, &api.tls_key_file}}) {
      if (!e) continue;
      if (auto read = read_path(*e, "a file path"))
        *path = *read;
      else
        ok = false;
    }
    if ((cert == nullptr) != (key == nullptr)) {
      m_reader.error(m_reader.at(cert ? cert->key : key->key),
                     cert ? "'tls_cert_file' needs 'tls_key_file' beside it: TLS takes the "
                            "certificate and its key, both or neither"
                          : "'tls_key_file' needs 'tls_cert_file' beside it: TLS takes the "
                            "certificate and its key, both or neither");
      ok = false;
    }
    // The default address is loopback, so a refusal here always has a 'listen' to point at.
    if (ok && !cert && listen_entry && !is_loopback_listen(api.listen)) {
      m_reader.error(m_reader.at(*listen_entry),
                     "'listen' " + api.listen +
                         " is not a loopback address, and the API serves personal data: set "
                         "tls_cert_file and tls_key_file to serve it over TLS, or listen on "
                         "127.0.0.1 or [::1]");
      ok = false;
    }
    api.enabled = ok;
  }

  void read_daemon(const Entry& entry, DaemonConfig& daemon) {
    const auto fields = m_reader.fields(entry, "daemon", options::k_daemon_options);
    if (!fields) return;
    const std::pair<std::string_view, std::chrono::seconds*> intervals[] = {
        {"safety_interval", &daemon.safety_interval},
        {"knowledge_interval", &daemon.knowledge_interval}};
    for (const auto& interval : intervals) {
      const Entry* e = fields->find(interval.first);
      if (!e) continue;
      const Option& row =
          *std::find_if(std::begin(options::k_daemon_options), std::end(options::k_daemon_options),
                        [&](const Option& o) { return o.key == interval.first; });
      if (auto value = m_reader.duration(*e, row)) *interval.second = *value;
    }
  }

  // Whether the format named `name` is read through sd-journal.
  bool journal(std::string_view name) const {
    const LogFormatName* format = find_format(m_plugins.log_formats, name);
    return format && format->reading == LogReading::journal;
  }

  // The names of the formats a key applies to, for "'KEY' only applies to format ..."
  template <class Predicate>
  std::string formats_where(Predicate applies) const {
    std::string names;
    for (const auto& format : m_plugins.log_formats)
      if (applies(format)) names += (names.empty() ? "" : ", ") + std::string(format.name);
    return names;
  }

  YamlReader& m_reader;
  fs::path m_folder;
  const Plugins& m_plugins;
  std::vector<std::string_view> m_format_names;
  ProxyEnvironment m_proxy_environment = proxy_environment();
  bool m_proxy_environment_reported = false;
};

}  // namespace

namespace {

// The config as far as it could be read; every problem in `found`.
Config read_config(const std::filesystem::path& file, const Plugins& plugins, Diagnostics& found) {
  YamlReader reader(file, found);
  Config config;
  std::error_code ec;
  fs::path absolute = fs::absolute(file, ec);
  if (ec) absolute = file;
  config.file = absolute.lexically_normal();
  try {
    if (const auto root = reader.parse())
      ConfigReader(reader, config.file.parent_path(), plugins).read(*root, config);
  } catch (const YAML::Exception& e) {
    // yaml-cpp throws only on misuse we guard against; still, never past this boundary.
    Location where{reader.file(), 0, 0};
    if (!e.mark.is_null()) where = Location{reader.file(), e.mark.line + 1, e.mark.column + 1};
    found.error(where, e.msg);
  } catch (const std::exception& e) {
    found.error(Location{reader.file(), 0, 0}, e.what());
  }
  return config;
}

}  // namespace

std::optional<Config> load_config(const std::filesystem::path& file, const Plugins& plugins,
                                  Diagnostics& diagnostics) {
  Diagnostics found;
  Config config = read_config(file, plugins, found);
  append_in_file_order(found, diagnostics);
  if (found.has_errors()) return std::nullopt;
  return config;
}

Config load_config_as_read(const std::filesystem::path& file, const Plugins& plugins,
                           Diagnostics& diagnostics) {
  Diagnostics found;
  Config config = read_config(file, plugins, found);
  append_in_file_order(found, diagnostics);
  if (!config.zone) {
    // A zone that could not be read: the policies are still read, in UTC.
    if (auto utc = find_zone("UTC")) config.zone = *utc;
  }
  return config;
}

}  // namespace secondsight::config
