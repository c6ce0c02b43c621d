#include "secondsight/directory/snapshot.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <climits>
#include <cstring>
#include <deque>
#include <unordered_set>

#include "secondsight/directory/dn.hpp"
#include "secondsight/directory/ldap.hpp"
#include "secondsight/directory/ldif.hpp"

namespace secondsight::directory {
namespace {

constexpr std::uint32_t k_ambiguous = UINT32_MAX;
constexpr std::uint32_t k_group_node = 1u << 31;  // marks a group in a list of members

std::string identity_key(std::string_view name) {
  std::string key = to_lower(name);
  if (key.rfind("smtp:", 0) == 0) key.erase(0, 5);
  return key;
}

std::string entry_location(const Entry& entry, const std::string& source) {
  return entry.line > 0 ? source + ":" + std::to_string(entry.line)
                        : source + " (" + entry.dn + ")";
}

// Where an earlier entry was, for a message about a later one: its line, else its DN.
std::string earlier_entry(int line, std::string_view dn) {
  return line > 0 ? "line " + std::to_string(line) : "'" + std::string(dn) + "'";
}

// One search that returns an entry twice (a proxy joining two servers, a paged search over a
// directory that changed) is a damaged answer, as the same DN twice in an export is: which
// copy is right cannot be told, and keeping either could hide what the other says.
Error repeated_entry(const std::string& source, const Entry& entry, const char* search,
                     const std::string& first) {
  const std::string at = entry.line > 0 ? source + ":" + std::to_string(entry.line) : source;
  return make_error(at + ": entry '" + entry.dn + "' appears again in the " + search +
                    " search; first at " + first);
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

// A membership value's DN: uniqueMember's optional "#'0101'B" uid suffix is removed.
std::string_view member_dn(std::string_view value) {
  if (auto hash = value.rfind("#'"); hash != std::string_view::npos && value.ends_with("'B"))
    return value.substr(0, hash);
  return value;
}

// DN-valued membership attributes, each normalised into `scratch` and handed to `use`;
// uniqueMember's optional "#'0101'B" uid suffix is removed.
template <class Use>
void for_each_member_dn(const Entry& entry, std::string_view attribute, std::string& scratch,
                        Use&& use) {
  const auto* values = entry.find(attribute);
  if (!values) return;
  for (const auto& value : *values) {
    normalize_dn_into(member_dn(value), scratch);
    use(scratch);
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
      if (!*at) return std::optional<EngagementEnd>{};
      end.rights_end = **at;
      break;
    }
  }
  // An end on the last day secondsight represents or later, in any zone (9999-12-31, as HR
  // systems write "open-ended"), is no end.
  if (end.rights_end >= k_open_ended) return std::optional<EngagementEnd>{};
  return std::optional<EngagementEnd>{std::move(end)};
}

std::vector<std::string> path_dns(const GroupPath& path) {
  std::vector<std::string> dns;
  dns.reserve(path.size());
  for (const Group* group : path) dns.push_back(group->dn);
  return dns;
}

const Person* DirectorySnapshot::find_person(std::string_view id) const {
  auto found = m_person_by_id.find(to_lower(id));
  return found ? &people[*found] : nullptr;
}

const Person* DirectorySnapshot::find_person_by_dn(std::string_view dn) const {
  auto found = m_person_by_dn.find(normalize_dn(dn));
  return found ? &people[*found] : nullptr;
}

const Person* DirectorySnapshot::resolve_identity(std::string_view name) const {
  auto found = m_person_by_identity.find(identity_key(name));
  return found && *found != k_ambiguous ? &people[*found] : nullptr;
}

const Person* DirectorySnapshot::find_person_by_uid(long long uid) const {
  auto it = m_person_by_uid.find(uid);
  if (it == m_person_by_uid.end() || it->second == k_ambiguous) return nullptr;
  return &people[it->second];
}

const Group* DirectorySnapshot::find_group(std::string_view dn) const {
  auto found = m_group_by_dn.find(normalize_dn(dn));
  return found ? &groups[*found] : nullptr;
}

void DirectorySnapshot::resolve_members(std::uint32_t group) const {
  auto& membership = *m_membership;
  auto& [at, end] = membership.unresolved[group];
  auto& children = membership.children[group];
  std::string dn;
  while (at < end) {
    std::uint32_t length = 0;
    std::memcpy(&length, membership.dns.data() + at, sizeof length);
    normalize_dn_into(std::string_view(membership.dns.data() + at + sizeof length, length), dn);
    at += sizeof length + length;
    if (auto person = m_person_by_dn.find(dn))
      children.push_back(*person);
    else if (auto child = m_group_by_dn.find(dn))
      children.push_back(*child | k_group_node);
    // else: names neither a person nor a group of this snapshot
  }
}

std::unordered_map<const Person*, std::vector<GroupPath>> DirectorySnapshot::members_of(
    std::string_view group_dn) const {
  std::unordered_map<const Person*, std::vector<GroupPath>> result;
  const auto found = m_group_by_dn.find(normalize_dn(group_dn));
  if (!found) return result;
  const std::uint32_t target = *found;
  std::lock_guard lock(m_membership->mutex);
  const auto& children = m_membership->children;

  // Breadth-first down the membership graph from the target: the first visit of a group is
  // along a shortest path; `parent` leads back up to the target.
  constexpr std::uint32_t k_unseen = UINT32_MAX;
  std::vector<std::uint32_t> parent(groups.size(), k_unseen);
  parent[target] = target;
  std::deque<std::uint32_t> queue{target};
  while (!queue.empty()) {
    const std::uint32_t current = queue.front();
    queue.pop_front();
    resolve_members(current);
    for (const std::uint32_t child : children[current]) {
      if (child & k_group_node) {
        const std::uint32_t group = child & ~k_group_node;
        if (parent[group] != k_unseen) continue;
        parent[group] = current;
        queue.push_back(group);
        continue;
      }
      GroupPath path;
      for (std::uint32_t at = current;; at = parent[at]) {
        path.push_back(&groups[at]);
        if (at == target) break;
      }
      auto& paths = result[&people[child]];
      if (std::find(paths.begin(), paths.end(), path) == paths.end())
        paths.push_back(std::move(path));
    }
  }
  return result;
}

SnapshotBuilder::SnapshotBuilder(const config::DirectoryConfig& config, Zone zone,
                                 std::string source)
    : m_config(config), m_zone(zone) {
  m_snapshot.source = std::move(source);
}

void SnapshotBuilder::add_pending(std::uint32_t node, std::string_view normalized_dn) {
  m_pending.push_back({node, m_pending_dns.size(), normalized_dn.size()});
  m_pending_dns += normalized_dn;
}

// An alias shared by two people resolves to neither: attributing an event to the wrong person
// is worse than counting it unresolved.
void SnapshotBuilder::add_identity(std::string_view key, std::uint32_t person) {
  auto [value, inserted] = m_snapshot.m_person_by_identity.insert(key, person);
  if (!inserted && value != person) m_snapshot.m_person_by_identity.assign(key, k_ambiguous);
}

Result<void> SnapshotBuilder::add_person(const Entry& entry) {
  const auto& attrs = m_config.attributes;
  auto& snapshot = m_snapshot;
  std::string id(entry.first(attrs.id));
  if (id.empty()) {
    snapshot.warnings.push_back(entry_location(entry, snapshot.source) + ": person '" + entry.dn +
                                "' has no " + attrs.id + " and is ignored");
    return {};
  }
  const auto index = static_cast<std::uint32_t>(snapshot.people.size());
  std::string normalized = normalize_dn(entry.dn);
  if (auto [first, added] = snapshot.m_person_by_dn.insert(normalized, index); !added) {
    const Person& earlier = snapshot.people[first];
    return repeated_entry(snapshot.source, entry, "people",
                          earlier_entry(earlier.attributes.line, earlier.dn));
  }
  // Findings, activity and checklists all name a person by id: two entries with one id cannot
  // both be kept, and keeping the first would hide the second (a contractor's entry behind an
  // employee's). The poll is incomplete until the directory gives each its own id.
  if (auto [first, added] = snapshot.m_person_by_id.insert(to_lower(id), index); !added) {
    const Person& earlier = snapshot.people[first];
    const std::string at =
        entry.line > 0 ? snapshot.source + ":" + std::to_string(entry.line) : snapshot.source;
    return make_error(at + ": " + attrs.id + " '" + id + "' of '" + entry.dn + "' is also the " +
                      attrs.id + " of '" + earlier.dn + "'" +
                      (earlier.attributes.line > 0
                           ? " (line " + std::to_string(earlier.attributes.line) + ")"
                           : std::string()) +
                      "; each person needs an id of their own");
  }
  Person person;
  person.id = id;
  person.dn = entry.dn;
  person.normalized_dn = std::move(normalized);
  person.display_name = std::string(entry.first(attrs.display_name));
  if (person.display_name.empty()) person.display_name = id;
  person.kind = std::string(entry.first(attrs.kind));
  person.agency = std::string(entry.first(attrs.agency));
  person.manager_dn = std::string(entry.first(attrs.manager));
  person.disabled = is_disabled(entry, attrs.disabled);
  if (attrs.end_date) {
    std::string_view raw = entry.first(attrs.end_date->attribute);
    if (!raw.empty()) {
      auto end = parse_engagement_end(raw, attrs.end_date->format, m_zone);
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
  for (const auto& alias_attribute : attrs.aliases)
    if (const auto* values = entry.find(alias_attribute))
      for (const auto& value : *values)
        if (!value.empty()) person.aliases.push_back(identity_key(value));

  // Membership edges come from both sides: a group's member values, and a member's memberOf.
  for_each_member_dn(entry, attrs.member_of, m_scratch,
                     [&](const std::string& group_dn) { add_pending(index, group_dn); });
  if (person.uid_number) {
    auto [it, inserted] = snapshot.m_person_by_uid.emplace(*person.uid_number, index);
    if (!inserted && it->second != index) it->second = k_ambiguous;
  }
  add_identity(identity_key(person.id), index);
  for (const auto& alias : person.aliases) add_identity(alias, index);
  person.attributes = PackedAttributes(entry);
  snapshot.people.push_back(std::move(person));
  return {};
}

Result<void> SnapshotBuilder::add_group(const Entry& entry) {
  const auto& attrs = m_config.attributes;
  auto& snapshot = m_snapshot;
  auto& membership = *snapshot.m_membership;
  Group group;
  group.dn = entry.dn;
  group.normalized_dn = normalize_dn(entry.dn);
  group.name = std::string(entry.first("cn"));
  if (group.name.empty()) group.name = dn_leaf_value(entry.dn);
  // Not a structured binding: the lambda below captures the index, which clang before 16 refuses.
  const auto inserted = snapshot.m_group_by_dn.insert(
      group.normalized_dn, static_cast<std::uint32_t>(snapshot.groups.size()));
  const auto index = inserted.first;
  if (!inserted.second)
    return repeated_entry(snapshot.source, entry, "groups", "'" + snapshot.groups[index].dn + "'");
  snapshot.groups.push_back(std::move(group));
  membership.children.emplace_back();
  membership.unresolved.emplace_back(membership.dns.size(), membership.dns.size());
  // Kept as written: normalised when looked up.
  auto add_members = [&](std::string_view attribute) {
    const auto* values = entry.find(attribute);
    if (!values) return;
    for (const auto& value : *values) {
      const std::string_view dn = member_dn(value);
      const auto length = static_cast<std::uint32_t>(dn.size());
      membership.dns.append(reinterpret_cast<const char*>(&length), sizeof length);
      membership.dns += dn;
    }
    membership.unresolved.back().second = membership.dns.size();
  };
  add_members(attrs.member);
  if (!iequals(attrs.member, "uniqueMember")) add_members("uniqueMember");
  if (const auto* uids = entry.find("memberUid"))  // posixGroup memberUid lists ids
    for (const auto& uid : *uids) {
      m_pending_uids.push_back({index, m_pending_uid_keys.size(), uid.size()});
      m_pending_uid_keys += to_lower(uid);
    }
  for_each_member_dn(entry, attrs.member_of, m_scratch, [&](const std::string& parent_dn) {
    add_pending(index | k_group_node, parent_dn);
  });
  return {};
}

DirectorySnapshot SnapshotBuilder::finish() && {
  auto& snapshot = m_snapshot;
  auto& children = snapshot.m_membership->children;
  for (const PendingUid& uid : m_pending_uids) {
    const std::string_view key(m_pending_uid_keys.data() + uid.offset, uid.length);
    if (auto person = snapshot.m_person_by_id.find(key)) children[uid.group].push_back(*person);
  }
  m_pending_uids.clear();
  m_pending_uid_keys.clear();
  for (const Pending& edge : m_pending) {
    const std::string_view dn(m_pending_dns.data() + edge.offset, edge.length);
    if (auto group = snapshot.m_group_by_dn.find(dn)) children[*group].push_back(edge.node);
  }
  m_pending.clear();
  m_pending_dns.clear();
  return std::move(m_snapshot);
}

Result<DirectorySnapshot> build_snapshot(std::vector<Entry> people, std::vector<Entry> groups,
                                         const config::DirectoryConfig& config, Zone zone,
                                         std::string source) {
  SnapshotBuilder builder(config, zone, std::move(source));
  for (auto& entry : people)
    if (auto added = builder.add_person(entry); !added) return added.error();
  for (auto& entry : groups)
    if (auto added = builder.add_group(entry); !added) return added.error();
  return std::move(builder).finish();
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
  SnapshotBuilder builder(config, zone, source.name());
  auto searched = source.search_each_of(
      {{config.people.base, config.people.filter, requested_attributes(config, true)},
       {config.groups.base, config.groups.filter, requested_attributes(config, false)}},
      {[&](Entry&& entry) { return builder.add_person(entry); },
       [&](Entry&& entry) { return builder.add_group(entry); }});
  if (!searched) return searched.error();
  if (searched->size() != 2) return make_error(source.name() + ": a search went unanswered");
  const SearchSummary* people = &(*searched)[0];
  const SearchSummary* groups = &(*searched)[1];
  if (!people->base_found) return missing_base("people", config.people.base);
  if (!groups->base_found) return missing_base("groups", config.groups.base);
  const bool no_people = people->count == 0;
  auto snapshot = std::move(builder).finish();
  snapshot.warnings.insert(snapshot.warnings.begin(), groups->warnings.begin(),
                           groups->warnings.end());
  snapshot.warnings.insert(snapshot.warnings.begin(), people->warnings.begin(),
                           people->warnings.end());
  // Every person gone at once resolves every finding about them: say so loudly, as a filter
  // the server cannot evaluate (an unknown attribute or class) also matches no one.
  if (no_people) snapshot.warnings.push_back(no_people_warning(source.name(), config));
  return snapshot;
}

std::string no_people_warning(std::string_view source, const config::DirectoryConfig& config) {
  return std::string(source) + ": the people search (" + config.people.filter + " under '" +
         config.people.base + "') returned no entries";
}

Result<std::unique_ptr<DirectorySource>> make_directory_source(
    const config::DirectoryConfig& config) {
  if (config.uri.rfind("ldif:", 0) == 0)
    return std::unique_ptr<DirectorySource>(make_ldif_source(config.ldif_path));
  const std::string scheme = to_lower(config.uri.substr(0, config.uri.find("://")));
  if (scheme == "ldap" || scheme == "ldaps") return make_ldap_source(config);
  return make_error("directory " + config.uri + ": not an ldap://, ldaps:// or ldif: URI");
}

Result<DirectorySnapshot> poll_configured_directory(const config::DirectoryConfig& config,
                                                    Zone zone) {
  auto source = make_directory_source(config);
  if (!source) return source.error();
  return poll_directory(**source, config, zone);
}

}  // namespace secondsight::directory
