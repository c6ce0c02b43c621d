#include "secondsight/directory/snapshot.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <climits>
#include <deque>
#include <unordered_set>

#include "secondsight/directory/dn.hpp"
#include "secondsight/directory/ldap.hpp"
#include "secondsight/directory/ldif.hpp"

namespace secondsight::directory {
namespace {

constexpr std::size_t k_ambiguous = SIZE_MAX;

std::string identity_key(std::string_view name) {
  std::string key = to_lower(name);
  if (key.rfind("smtp:", 0) == 0) key.erase(0, 5);
  return key;
}

std::string entry_location(const Entry& entry, const std::string& source) {
  return entry.line > 0 ? source + ":" + std::to_string(entry.line)
                        : source + " (" + entry.dn + ")";
}

bool is_disabled(const Entry& entry, const config::DisabledRule& rule) {
  if (rule.attribute.empty()) return false;
  const auto* values = entry.find(rule.attribute);
  if (!values || values->empty()) return false;
  if (rule.bit) {
    for (const auto& value : *values) {
      long long number = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
      if (ec != std::errc{} || end != value.data() + value.size()) continue;
      // AD writes userAccountControl as a signed 32-bit number.
      auto bits = static_cast<unsigned long long>(number) & 0xffffffffULL;
      if (number >= 0) bits = static_cast<unsigned long long>(number);
      if ((bits & *rule.bit) != 0) return true;
    }
    return false;
  }
  if (!rule.values.empty()) {
    for (const auto& value : *values)
      for (const auto& wanted : rule.values)
        if (iequals(value, wanted)) return true;
    return false;
  }
  return true;  // presence
}

// DN-valued membership attributes, normalised; uniqueMember's optional "#'0101'B" uid suffix
// is removed.
void add_member_dns(const Entry& entry, std::string_view attribute,
                    std::vector<std::string>& children) {
  const auto* values = entry.find(attribute);
  if (!values) return;
  for (const auto& value : *values) {
    std::string_view dn = value;
    if (auto hash = dn.rfind("#'"); hash != std::string_view::npos && dn.ends_with("'B"))
      dn = dn.substr(0, hash);
    children.push_back(normalize_dn(dn));
  }
}

}  // namespace

Result<std::optional<EngagementEnd>> parse_engagement_end(std::string_view value,
                                                          config::EndDateFormat format, Zone zone) {
  EngagementEnd end;
  end.format = format;
  end.raw = std::string(value);
  switch (format) {
    case config::EndDateFormat::iso_date: {
      auto day = parse_iso_date(value);
      if (!day) return day.error();
      end.last_day = *day;
      end.rights_end = end_of_local_day(*day, zone);
      break;
    }
    case config::EndDateFormat::generalized_time: {
      auto at = parse_generalized_time(value);
      if (!at) return at.error();
      end.rights_end = *at;
      break;
    }
    case config::EndDateFormat::ad_filetime: {
      auto at = parse_ad_filetime(value);
      if (!at) return at.error();
      if (!*at) return std::optional<EngagementEnd>{};
      end.rights_end = **at;
      break;
    }
    case config::EndDateFormat::days_since_epoch: {
      auto at = parse_days_since_epoch(value);
      if (!at) return at.error();
      end.rights_end = *at;
      break;
    }
  }
  return std::optional<EngagementEnd>{std::move(end)};
}

const Person* DirectorySnapshot::find_person(std::string_view id) const {
  auto it = m_person_by_id.find(to_lower(id));
  return it == m_person_by_id.end() ? nullptr : &people[it->second];
}

const Person* DirectorySnapshot::find_person_by_dn(std::string_view dn) const {
  auto it = m_person_by_dn.find(normalize_dn(dn));
  return it == m_person_by_dn.end() ? nullptr : &people[it->second];
}

const Person* DirectorySnapshot::resolve_identity(std::string_view name) const {
  auto it = m_person_by_identity.find(identity_key(name));
  if (it == m_person_by_identity.end() || it->second == k_ambiguous) return nullptr;
  return &people[it->second];
}

const Person* DirectorySnapshot::find_person_by_uid(long long uid) const {
  auto it = m_person_by_uid.find(uid);
  if (it == m_person_by_uid.end() || it->second == k_ambiguous) return nullptr;
  return &people[it->second];
}

const Group* DirectorySnapshot::find_group(std::string_view dn) const {
  auto it = m_group_by_dn.find(normalize_dn(dn));
  return it == m_group_by_dn.end() ? nullptr : &groups[it->second];
}

void DirectorySnapshot::index() {
  m_person_by_id.clear();
  m_person_by_dn.clear();
  m_person_by_identity.clear();
  m_group_by_dn.clear();
  m_person_by_uid.clear();
  m_children.clear();

  for (std::size_t i = 0; i < people.size(); ++i) {
    m_person_by_id.emplace(to_lower(people[i].id), i);
    m_person_by_dn.emplace(people[i].normalized_dn, i);
  }
  // An alias shared by two people resolves to neither: attributing an event to the wrong
  // person is worse than counting it unresolved.
  auto add_identity = [&](const std::string& key, std::size_t i) {
    auto [it, inserted] = m_person_by_identity.emplace(key, i);
    if (!inserted && it->second != i) it->second = k_ambiguous;
  };
  for (std::size_t i = 0; i < people.size(); ++i) {
    if (people[i].uid_number) {
      auto [it, inserted] = m_person_by_uid.emplace(*people[i].uid_number, i);
      if (!inserted && it->second != i) it->second = k_ambiguous;
    }
    add_identity(identity_key(people[i].id), i);
    for (const auto& alias : people[i].aliases) add_identity(alias, i);
  }
  for (std::size_t i = 0; i < groups.size(); ++i) m_group_by_dn.emplace(groups[i].normalized_dn, i);

  // Membership edges come from both sides: a group's member values, and a member's memberOf.
  for (const auto& group : groups) {
    auto& list = m_children[group.normalized_dn];
    list.insert(list.end(), group.members.begin(), group.members.end());
  }
  for (const auto& person : people)
    for (const auto& parent : person.member_of) m_children[parent].push_back(person.normalized_dn);
  for (const auto& group : groups)
    for (const auto& parent : group.member_of) m_children[parent].push_back(group.normalized_dn);
}

std::unordered_map<const Person*, std::vector<GroupPath>> DirectorySnapshot::members_of(
    std::string_view group_dn) const {
  std::unordered_map<const Person*, std::vector<GroupPath>> result;
  const std::string target = normalize_dn(group_dn);
  auto target_it = m_group_by_dn.find(target);
  if (target_it == m_group_by_dn.end()) return result;

  // Breadth-first down the membership graph from the target: the first visit of a group is
  // along a shortest path; `parent` leads back up to the target.
  std::unordered_map<std::string, std::string> parent{{target, std::string()}};
  std::deque<std::string> queue{target};
  while (!queue.empty()) {
    std::string current = std::move(queue.front());
    queue.pop_front();
    auto children = m_children.find(current);
    if (children == m_children.end()) continue;
    for (const auto& child : children->second) {
      if (auto person = m_person_by_dn.find(child); person != m_person_by_dn.end()) {
        GroupPath path;
        for (std::string at = current; !at.empty(); at = parent[at])
          path.push_back(groups[m_group_by_dn.at(at)].dn);
        auto& paths = result[&people[person->second]];
        if (std::find(paths.begin(), paths.end(), path) == paths.end())
          paths.push_back(std::move(path));
      } else if (m_group_by_dn.count(child) && !parent.count(child)) {
        parent.emplace(child, current);
        queue.push_back(child);
      }
    }
  }
  return result;
}

DirectorySnapshot build_snapshot(std::vector<Entry> people, std::vector<Entry> groups,
                                 const config::DirectoryConfig& config, Zone zone,
                                 std::string source) {
  const auto& attrs = config.attributes;
  DirectorySnapshot snapshot;
  snapshot.source = std::move(source);

  std::unordered_set<std::string> seen_ids;
  for (auto& entry : people) {
    std::string id(entry.first(attrs.id));
    if (id.empty()) {
      snapshot.warnings.push_back(entry_location(entry, snapshot.source) + ": person '" + entry.dn +
                                  "' has no " + attrs.id + " and is ignored");
      continue;
    }
    if (!seen_ids.insert(to_lower(id)).second) {
      snapshot.warnings.push_back(entry_location(entry, snapshot.source) + ": " + attrs.id + " '" +
                                  id + "' is used by more than one entry; '" + entry.dn +
                                  "' is ignored");
      continue;
    }
    Person person;
    person.id = id;
    person.dn = entry.dn;
    person.normalized_dn = normalize_dn(entry.dn);
    person.display_name = std::string(entry.first(attrs.display_name));
    if (person.display_name.empty()) person.display_name = id;
    person.kind = std::string(entry.first(attrs.kind));
    person.agency = std::string(entry.first(attrs.agency));
    person.manager_dn = std::string(entry.first(attrs.manager));
    person.disabled = is_disabled(entry, attrs.disabled);
    if (attrs.end_date) {
      std::string_view raw = entry.first(attrs.end_date->attribute);
      if (!raw.empty()) {
        auto end = parse_engagement_end(raw, attrs.end_date->format, zone);
        if (end) {
          person.end = std::move(*end);
        } else {
          person.end_problem = end.error().message;
          snapshot.warnings.push_back(entry_location(entry, snapshot.source) + ": " + id + ": " +
                                      attrs.end_date->attribute + ": " + end.error().message);
        }
      }
    }
    if (std::string_view uid = entry.first(attrs.uid_number); !uid.empty()) {
      long long number = 0;
      auto [end, ec] = std::from_chars(uid.data(), uid.data() + uid.size(), number);
      if (ec == std::errc{} && end == uid.data() + uid.size()) person.uid_number = number;
    }
    add_member_dns(entry, attrs.member_of, person.member_of);
    for (const auto& alias_attribute : attrs.aliases)
      if (const auto* values = entry.find(alias_attribute))
        for (const auto& value : *values)
          if (!value.empty()) person.aliases.push_back(identity_key(value));
    person.entry = std::move(entry);
    snapshot.people.push_back(std::move(person));
  }

  std::unordered_map<std::string, std::string> dn_by_uid;  // posixGroup memberUid lists ids
  for (const auto& person : snapshot.people)
    dn_by_uid.emplace(to_lower(person.id), person.normalized_dn);
  for (auto& entry : groups) {
    Group group;
    group.dn = entry.dn;
    group.normalized_dn = normalize_dn(entry.dn);
    group.name = std::string(entry.first("cn"));
    if (group.name.empty()) group.name = dn_leaf_value(entry.dn);
    add_member_dns(entry, attrs.member, group.members);
    if (!iequals(attrs.member, "uniqueMember"))
      add_member_dns(entry, "uniqueMember", group.members);
    if (const auto* uids = entry.find("memberUid"))
      for (const auto& uid : *uids)
        if (auto it = dn_by_uid.find(to_lower(uid)); it != dn_by_uid.end())
          group.members.push_back(it->second);
    add_member_dns(entry, attrs.member_of, group.member_of);
    snapshot.groups.push_back(std::move(group));
    entry = Entry{};  // a large group's values are not needed twice at the peak
  }
  snapshot.index();
  return snapshot;
}

std::vector<std::string> requested_attributes(const config::DirectoryConfig& config, bool people) {
  // "*" brings every user attribute (policies match on any of them); the configured ones are
  // named as well, because servers return operational attributes only when asked by name
  // (OpenLDAP's pwdAccountLockedTime and memberOf, 389's nsAccountLock).
  const auto& a = config.attributes;
  std::vector<std::string> names{"*"};
  auto add = [&](const std::string& name) {
    if (name.empty()) return;
    for (const auto& known : names)
      if (iequals(known, name)) return;
    names.push_back(name);
  };
  add(a.member_of);
  if (people) {
    for (const auto* name : {&a.id, &a.kind, &a.agency, &a.uid_number, &a.manager, &a.display_name})
      add(*name);
    if (a.end_date) add(a.end_date->attribute);
    add(a.disabled.attribute);
    for (const auto& alias : a.aliases) add(alias);
  } else {
    add(a.member);
    add("uniqueMember");
    add("memberUid");
    add("cn");
  }
  return names;
}

Result<DirectorySnapshot> poll_directory(DirectorySource& source,
                                         const config::DirectoryConfig& config, Zone zone) {
  if (auto opened = source.open(); !opened) return opened.error();
  // A base that names no entry would make everyone under it look gone, and resolve every
  // finding about them: more likely a renamed OU or a bind that may not read it than an empty
  // company, so the poll is incomplete.
  auto missing_base = [&](const char* scope, const std::string& base) {
    return make_error(source.name() + ": the " + scope + " base '" + base +
                      "' names no entry this poll may read");
  };
  auto people =
      source.search({config.people.base, config.people.filter, requested_attributes(config, true)});
  if (!people) return people.error();
  if (!people->base_found) return missing_base("people", config.people.base);
  auto groups = source.search(
      {config.groups.base, config.groups.filter, requested_attributes(config, false)});
  if (!groups) return groups.error();
  if (!groups->base_found) return missing_base("groups", config.groups.base);
  const bool no_people = people->entries.empty();
  auto snapshot = build_snapshot(std::move(people->entries), std::move(groups->entries), config,
                                 zone, source.name());
  snapshot.warnings.insert(snapshot.warnings.begin(), groups->warnings.begin(),
                           groups->warnings.end());
  snapshot.warnings.insert(snapshot.warnings.begin(), people->warnings.begin(),
                           people->warnings.end());
  // Every person gone at once resolves every finding about them: say so loudly, as a filter
  // the server cannot evaluate (an unknown attribute or class) also matches no one.
  if (no_people)
    snapshot.warnings.push_back(source.name() + ": the people search (" + config.people.filter +
                                " under '" + config.people.base + "') returned no entries");
  return snapshot;
}

Result<std::unique_ptr<DirectorySource>> make_directory_source(
    const config::DirectoryConfig& config) {
  if (config.uri.rfind("ldif:", 0) == 0)
    return std::unique_ptr<DirectorySource>(make_ldif_source(config.ldif_path));
  const std::string scheme = to_lower(config.uri.substr(0, config.uri.find("://")));
  if (scheme == "ldap" || scheme == "ldaps") return make_ldap_source(config);
  return make_error("directory " + config.uri + ": not an ldap://, ldaps:// or ldif: URI");
}

}  // namespace secondsight::directory
