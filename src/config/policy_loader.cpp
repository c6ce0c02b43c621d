#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <map>
#include <string_view>
#include <system_error>

#include "secondsight/config/loader.hpp"
#include "secondsight/config/log_formats.hpp"
#include "secondsight/core/time.hpp"
#include "yaml_reader.hpp"

namespace secondsight::config {
namespace {

namespace fs = std::filesystem;

constexpr std::array<std::string_view, 5> k_policy_keys{"defaults", "staff", "systems",
                                                        "engagements", "checklist"};
constexpr std::array<std::string_view, 5> k_defaults_keys{
    "grace_days_after_end", "notice_days", "inactivity_days", "min_knowledge_holders",
    "operator_min_active_days"};
constexpr std::array<std::string_view, 1> k_staff_keys{"seconded_when"};
constexpr std::array<std::string_view, 8> k_system_keys{
    "id", "name", "criticality", "externals", "groups", "activity", "repositories", "docs"};
constexpr std::array<std::string_view, 4> k_criticalities{"critical", "high", "normal", "low"};
constexpr std::array<std::string_view, 2> k_externals{"allow", "deny"};
constexpr std::array<std::string_view, 5> k_rule_keys{"source", "host", "key", "resource",
                                                      "action"};
constexpr std::array<std::string_view, 5> k_engagement_keys{"id", "agency", "members",
                                                            "members_when", "need_to_know"};
constexpr std::size_t k_known_listed = 10;

// [a-z0-9][a-z0-9._-]*: ids appear in fingerprints, file names and URLs as they are.
bool valid_system_id(std::string_view id) {
  const auto alphanumeric = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  const auto allowed = [&](char c) { return alphanumeric(c) || c == '.' || c == '_' || c == '-'; };
  return !id.empty() && alphanumeric(id.front()) && std::all_of(id.begin(), id.end(), allowed);
}

struct NeedToKnow {
  std::string engagement;
  std::string system;
  Location where;
};

// Reads the policy files one by one into one Policy; what spans files (need_to_know, the
// staff rule) is checked once all are read.
class PolicyReader {
 public:
  PolicyReader(const Config& config, Diagnostics& diagnostics, Policy& policy)
      : m_diagnostics(diagnostics), m_policy(policy), m_logs(config.audit_logs) {
    for (const auto format : k_log_format_names) m_sources.emplace(format, std::string(format));
    for (const auto& log : config.audit_logs) m_sources.emplace(log.name, log.format);
  }

  void read(const fs::path& file) {
    YamlReader reader(file, m_diagnostics);
    try {
      const auto root = reader.parse();
      if (!root) {
        m_unreadable = true;
        return;
      }
      read_root(reader, *root);
    } catch (const YAML::Exception& e) {
      Location where{reader.file(), 0, 0};
      if (!e.mark.is_null()) where = Location{reader.file(), e.mark.line + 1, e.mark.column + 1};
      m_diagnostics.error(where, e.msg);
    }
  }

  void finish(const Location& policies) {
    std::vector<std::string> known;
    for (const auto& system : m_policy.systems) known.push_back(system.id);
    std::string listed;
    for (std::size_t i = 0; i < known.size() && i < k_known_listed; ++i)
      listed += (i ? ", " : "") + known[i];
    if (known.size() > k_known_listed) listed += ", ...";
    for (const auto& need : m_needs) {
      const System* system = m_policy.find_system(need.system);
      if (!system) {
        m_diagnostics.error(need.where, "unknown system '" + need.system + "' in need_to_know" +
                                            (known.empty() ? std::string(" (no systems defined)")
                                                           : " (known: " + listed + ")") +
                                            did_you_mean(need.system, known));
      } else if (system->externals_deny && !need.engagement.empty()) {
        m_diagnostics.warning(need.where,
                              "system '" + need.system +
                                  "' has externals: deny, so the need_to_know of engagement '" +
                                  need.engagement + "' cannot allow it to seconded members");
      }
    }
    // A file that could not be read may hold the rule: its own error says enough.
    if (!m_staff_seen && !m_unreadable)
      m_diagnostics.error(policies,
                          "no staff.seconded_when: nobody could be recognised as seconded");
  }

 private:
  void read_root(YamlReader& reader, const YAML::Node& root) {
    if (root.IsNull()) return;  // only comments: nothing to add
    const auto fields = reader.fields(root, reader.at(root), "policy file", k_policy_keys,
                                      "a policy file must be a map of " + join(k_policy_keys));
    if (!fields) return;
    if (const Entry* e = fields->find("defaults")) {
      if (once(reader, *e, m_defaults_at)) read_defaults(reader, *e);
    }
    if (const Entry* e = fields->find("staff")) {
      m_staff_seen = true;
      if (once(reader, *e, m_staff_at)) read_staff(reader, *e);
    }
    if (const Entry* e = fields->find("systems")) {
      if (!e->value.IsSequence()) {
        reader.error(reader.at(*e), "'systems' must be a list of systems");
      } else {
        for (const auto& item : e->value) read_system(reader, item);
      }
    }
    if (const Entry* e = fields->find("engagements")) {
      if (!e->value.IsSequence()) {
        reader.error(reader.at(*e), "'engagements' must be a list of engagements");
      } else {
        for (const auto& item : e->value) read_engagement(reader, item);
      }
    }
    if (const Entry* e = fields->find("checklist")) {
      if (auto items = reader.text_list(*e, "a list of checklist items"))
        m_policy.checklist.insert(m_policy.checklist.end(), items->begin(), items->end());
    }
  }

  // A section that may appear in one file only; false (reported) when seen before.
  bool once(YamlReader& reader, const Entry& entry, std::optional<Location>& first) {
    if (first) {
      reader.error(reader.at(entry.key),
                   "'" + entry.name + "' is already set at " + format_location(*first));
      return false;
    }
    first = reader.at(entry.key);
    return true;
  }

  void read_defaults(YamlReader& reader, const Entry& entry) {
    const auto fields = reader.fields(entry, "defaults", k_defaults_keys);
    if (!fields) return;
    PolicyDefaults& defaults = m_policy.defaults;
    // Bounded so that no day count can carry a time out of the range secondsight represents.
    const std::string days = fmt::format("a whole number of days from 0 to {}", k_max_day_count);
    const std::pair<std::string_view, int*> day_counts[] = {
        {"grace_days_after_end", &defaults.grace_days_after_end},
        {"notice_days", &defaults.notice_days},
        {"inactivity_days", &defaults.inactivity_days}};
    for (const auto& [key, target] : day_counts) {
      if (const Entry* e = fields->find(key)) {
        if (auto value = reader.whole_number(*e, 0, days, k_max_day_count)) *target = *value;
      }
    }
    if (const Entry* e = fields->find("min_knowledge_holders")) {
      if (auto value = reader.whole_number(*e, 1, "a whole number ≥ 1"))
        defaults.min_knowledge_holders = *value;
    }
    if (const Entry* e = fields->find("operator_min_active_days")) {
      // 0 would make everyone an operator of everything; above the window no one can be one.
      if (auto value = reader.whole_number(
              *e, 1, fmt::format("a whole number of days from 1 to {}", k_operator_window_days),
              k_operator_window_days))
        defaults.operator_min_active_days = *value;
    }
  }

  void read_staff(YamlReader& reader, const Entry& entry) {
    const auto fields = reader.fields(entry, "staff", k_staff_keys);
    if (!fields) return;
    const Entry* e = fields->find("seconded_when");
    if (!e) {
      reader.missing(*fields, "seconded_when", "staff");
      return;
    }
    if (auto match = read_match(reader, *e)) m_policy.seconded_when = *match;
  }

  // { ATTR: value | [values], ... }: all attributes must match, any listed value does.
  static std::optional<AttributeMatch> read_match(YamlReader& reader, const Entry& entry) {
    const std::string must_be = "'" + entry.name +
                                "' must be a map of attribute: value or [values], like "
                                "{ employeeType: [contractor, seconded] }";
    if (!entry.value.IsMap()) {
      reader.error(reader.at(entry), must_be);
      return std::nullopt;
    }
    if (entry.value.size() == 0) {
      reader.error(reader.at(entry),
                   "'" + entry.name + "' names no attribute: it would match everyone");
      return std::nullopt;
    }
    AttributeMatch match;
    std::map<std::string, Location> seen;
    bool ok = true;
    for (const auto& pair : entry.value) {
      const Entry condition{pair.first.IsScalar() ? pair.first.Scalar() : std::string(), pair.first,
                            pair.second};
      if (condition.name.empty()) {
        reader.error(reader.at(condition.key), must_be);
        ok = false;
        continue;
      }
      const auto [first, inserted] = seen.emplace(condition.name, reader.at(condition.key));
      if (!inserted) {
        reader.error(reader.at(condition.key), "'" + condition.name + "' is already set at " +
                                                   format_location(first->second));
        ok = false;
        continue;
      }
      std::vector<std::string> values;
      if (condition.value.IsScalar() && !condition.value.Scalar().empty()) {
        values.push_back(condition.value.Scalar());
      } else if (condition.value.IsSequence()) {
        auto list = reader.text_list(condition, "a value or a list of values");
        if (!list) {
          ok = false;
          continue;
        }
        values = std::move(*list);
        if (values.empty()) {
          reader.error(reader.at(condition),
                       "'" + condition.name + "' lists no values: it could never match");
          ok = false;
          continue;
        }
      } else {
        reader.error(reader.at(condition),
                     "'" + condition.name + "' must be a value or a list of values");
        ok = false;
        continue;
      }
      match.conditions.emplace_back(condition.name, std::move(values));
    }
    if (!ok) return std::nullopt;
    return match;
  }

  void read_system(YamlReader& reader, const YAML::Node& item) {
    const std::size_t errors_before = m_diagnostics.error_count();
    System system;
    system.where = reader.at(item);
    const auto fields = reader.fields(item, system.where, "system", k_system_keys,
                                      "each system must be a map of " + join(k_system_keys));
    if (!fields) return;
    bool identified = false;
    if (const Entry* e = fields->find("id")) {
      if (auto id = reader.text(*e, "a system id")) {
        if (!valid_system_id(*id)) {
          reader.error(reader.at(*e), "system id '" + *id +
                                          "' must be lowercase letters, digits, '.', '_' or "
                                          "'-', starting with a letter or digit");
        } else if (const auto first = m_system_at.find(*id); first != m_system_at.end()) {
          reader.error(reader.at(*e), "duplicate system id '" + *id + "' (first defined at " +
                                          format_location(first->second) + ")");
        } else {
          m_system_at.emplace(*id, reader.at(*e));
          system.id = *id;
          identified = true;
        }
      }
    } else {
      reader.missing(*fields, "id", "system");
    }
    system.name = system.id;
    if (const Entry* e = fields->find("name")) {
      if (auto name = reader.text(*e, "a name")) system.name = *name;
    }
    if (const Entry* e = fields->find("criticality")) {
      if (auto criticality = reader.choice(*e, "criticality", k_criticalities)) {
        if (*criticality == "critical")
          system.criticality = Criticality::critical;
        else if (*criticality == "high")
          system.criticality = Criticality::high;
        else if (*criticality == "low")
          system.criticality = Criticality::low;
        else
          system.criticality = Criticality::normal;
      }
    }
    if (const Entry* e = fields->find("externals")) {
      if (auto externals = reader.choice(*e, "externals setting", k_externals))
        system.externals_deny = *externals == "deny";
    }
    if (const Entry* e = fields->find("groups")) read_groups(reader, *e, system);
    if (const Entry* e = fields->find("activity")) {
      if (!e->value.IsSequence()) {
        reader.error(reader.at(*e),
                     "'activity' must be a list of rules, like "
                     "{ source: sshd, host: \"pay-*\" }");
      } else {
        for (const auto& rule : e->value) read_rule(reader, rule, system.activity);
      }
    }
    if (const Entry* e = fields->find("repositories")) {
      if (auto repositories = reader.plain_text_list(*e, "a list of repository paths"))
        system.repositories = *repositories;
    }
    if (const Entry* e = fields->find("docs")) {
      if (auto docs = reader.text_list(*e, "a list of path globs")) system.docs = *docs;
    }
    // Only for a system read whole: a rule dropped for an error would make it look unmeasured.
    if (identified && m_diagnostics.error_count() == errors_before &&
        system.criticality >= Criticality::normal && system.repositories.empty() &&
        system.activity.empty())
      reader.warning(system.where, "system '" + system.id + "' (criticality " +
                                       to_string(system.criticality) +
                                       ") has neither repositories nor activity rules: its "
                                       "knowledge cannot be measured");
    // Kept even when something else is wrong, so need_to_know does not report it unknown too.
    if (identified) m_policy.systems.push_back(std::move(system));
  }

  static void read_groups(YamlReader& reader, const Entry& entry, System& system) {
    auto groups = reader.located_text_list(entry, "a list of group DNs");
    if (!groups) return;
    for (auto& [dn, where] : *groups) {
      // The directory's DN parser judges the rest; here only what cannot be a DN at all.
      if (dn.find('=') == std::string::npos) {
        reader.error(where, "'" + dn + "' is not a DN, like cn=dev,ou=groups,dc=example,dc=com");
        continue;
      }
      system.groups.push_back(std::move(dn));
      system.group_locations.push_back(std::move(where));
    }
  }

  void read_rule(YamlReader& reader, const YAML::Node& item, std::vector<ActivityRule>& rules) {
    ActivityRule rule;
    rule.where = reader.at(item);
    const auto fields = reader.fields(item, rule.where, "activity rule", k_rule_keys,
                                      "each activity rule must be a map of " + join(k_rule_keys));
    if (!fields) return;
    bool ok = true;
    if (const Entry* e = fields->find("source")) {
      if (auto source = reader.text(*e, "a log format or the name of an audit log")) {
        const auto known = m_sources.find(*source);
        if (known == m_sources.end()) {
          std::vector<std::string> names;
          for (const auto& [name, ignored] : m_sources) names.push_back(name);
          reader.error(reader.at(*e),
                       "unknown source '" + *source +
                           "' in activity rule (expected one of: " + join(k_log_format_names) +
                           ", or the name of an audit log)" + did_you_mean(*source, names));
          ok = false;
        } else {
          rule.source = *source;
        }
      } else {
        ok = false;
      }
    }
    const std::pair<std::string_view, std::string*> patterns[] = {{"host", &rule.host},
                                                                  {"key", &rule.key},
                                                                  {"resource", &rule.resource},
                                                                  {"action", &rule.action}};
    bool any = false;
    for (const auto& [key, target] : patterns) {
      if (const Entry* e = fields->find(key)) {
        any = true;
        if (auto pattern = reader.plain_text(*e, "a glob pattern"))
          *target = *pattern;
        else
          ok = false;
      }
    }
    if (!any) {
      reader.error(rule.where,
                   "an activity rule needs at least one of host, key, resource, action");
      return;
    }
    if (ok) {
      warn_if_never_matched(reader, rule);
      rules.push_back(std::move(rule));
    }
  }

  // A rule that no configured audit log can satisfy is a system whose use is never seen: its
  // people look idle and its operators uncounted. Said once per rule, with what is missing.
  void warn_if_never_matched(YamlReader& reader, const ActivityRule& rule) {
    std::vector<const LogSourceConfig*> selected;
    for (const auto& log : m_logs)
      if (rule_selects(rule, log)) selected.push_back(&log);
    if (selected.empty()) {
      reader.warning(rule.where,
                     m_logs.empty()
                         ? std::string("no audit log is configured: this activity rule never "
                                       "matches")
                         : "no configured audit log carries '" + rule.source +
                               "' events: this activity rule never matches");
      return;
    }
    std::string_view missing;
    for (const auto* log : selected) {
      missing = never_matches(rule, *log);
      if (missing.empty()) return;
    }
    std::string names;
    for (const auto* log : selected)
      names += (names.empty() ? "" : ", ") + log->name + " (" + log->format + ")";
    reader.warning(rule.where,
                   missing == "action"
                       ? "the action pattern matches no event of " + names +
                             " (their action is always '" +
                             std::string(find_log_format(selected.back()->format)->action) +
                             "'): this activity rule never matches"
                       : "'" + std::string(missing) + "' is in no event of " + names +
                             ": this activity rule never matches");
  }

  void read_engagement(YamlReader& reader, const YAML::Node& item) {
    Engagement engagement;
    engagement.where = reader.at(item);
    const auto fields =
        reader.fields(item, engagement.where, "engagement", k_engagement_keys,
                      "each engagement must be a map of " + join(k_engagement_keys));
    if (!fields) return;
    bool identified = false;
    if (const Entry* e = fields->find("id")) {
      if (auto id = reader.text(*e, "an engagement id")) {
        if (const auto first = m_engagement_at.find(*id); first != m_engagement_at.end()) {
          reader.error(reader.at(*e), "duplicate engagement id '" + *id + "' (first defined at " +
                                          format_location(first->second) + ")");
        } else {
          m_engagement_at.emplace(*id, reader.at(*e));
          engagement.id = *id;
          identified = true;
        }
      }
    } else {
      reader.missing(*fields, "id", "engagement");
    }
    if (const Entry* e = fields->find("agency")) {
      if (auto agency = reader.text(*e, "an agency name")) engagement.agency = *agency;
    }
    const Entry* members = fields->find("members");
    const Entry* members_when = fields->find("members_when");
    if (members) {
      if (auto list = reader.text_list(*members, "a list of person ids"))
        engagement.members = *list;
    }
    if (members_when) {
      if (auto match = read_match(reader, *members_when)) engagement.members_when = *match;
    }
    if (!members && !members_when)
      reader.error(engagement.where, (identified ? "engagement '" + engagement.id + "'"
                                                 : std::string("an engagement")) +
                                         " needs members or members_when");
    if (const Entry* e = fields->find("need_to_know")) {
      if (auto systems = reader.located_text_list(*e, "a list of system ids")) {
        for (auto& [system, where] : *systems) {
          m_needs.push_back({engagement.id, system, where});
          engagement.need_to_know.push_back(std::move(system));
        }
      }
    }
    if (identified) m_policy.engagements.push_back(std::move(engagement));
  }

  Diagnostics& m_diagnostics;
  Policy& m_policy;
  std::map<std::string, std::string, std::less<>> m_sources;  // activity source -> log format
  const std::vector<LogSourceConfig>& m_logs;
  std::map<std::string, Location> m_system_at;  // id -> where first defined
  std::map<std::string, Location> m_engagement_at;
  std::optional<Location> m_defaults_at;
  std::optional<Location> m_staff_at;
  std::vector<NeedToKnow> m_needs;
  bool m_staff_seen = false;
  bool m_unreadable = false;
};

// The policy files in name order: one file, or every *.yaml / *.yml of a folder.
std::optional<std::vector<fs::path>> policy_files(const fs::path& policies,
                                                  Diagnostics& diagnostics) {
  const Location where{policies.string(), 0, 0};
  std::error_code ec;
  const fs::file_status status = fs::status(policies, ec);
  if (status.type() == fs::file_type::not_found) {
    diagnostics.error(
        where,
        "cannot read: " + std::make_error_code(std::errc::no_such_file_or_directory).message());
    return std::nullopt;
  }
  if (status.type() != fs::file_type::directory) return std::vector<fs::path>{policies};
  std::vector<fs::path> files;
  fs::directory_iterator it(policies, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const fs::path& path = it->path();
    const std::string name = path.filename().string();
    const std::string extension = path.extension().string();
    // Hidden files are editors' swap and backup files, not policy.
    if (name.front() == '.' || (extension != ".yaml" && extension != ".yml")) continue;
    std::error_code type_error;
    if (!it->is_regular_file(type_error)) continue;
    files.push_back(path);
  }
  if (ec) {
    diagnostics.error(where, "cannot read: " + ec.message());
    return std::nullopt;
  }
  if (files.empty()) {
    diagnostics.error(where, "no policy files (*.yaml, *.yml) in this folder");
    return std::nullopt;
  }
  std::sort(files.begin(), files.end(), [](const fs::path& a, const fs::path& b) {
    return a.filename().string() < b.filename().string();
  });
  return files;
}

}  // namespace

std::optional<Policy> load_policies(const Config& config, Diagnostics& diagnostics) {
  Diagnostics found;
  Policy policy;
  try {
    if (const auto files = policy_files(config.policies, found)) {
      PolicyReader reader(config, found, policy);
      for (const auto& file : *files) reader.read(file);
      reader.finish(Location{config.policies.string(), 0, 0});
    }
  } catch (const std::exception& e) {
    found.error(Location{config.policies.string(), 0, 0}, e.what());
  }
  append_in_file_order(found, diagnostics);
  if (found.has_errors()) return std::nullopt;
  return policy;
}

}  // namespace secondsight::config
