#include "secondsight/directory/dirsync.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "secondsight/directory/dn.hpp"
#include "secondsight/directory/ldap_sync.hpp"

namespace secondsight::directory {

namespace {

constexpr std::string_view k_added = "range=1-1";    // incremental values: added
constexpr std::string_view k_removed = "range=0-0";  // incremental values: removed

// What makes two values of a DN-valued attribute the same: the GUID they name, else the value.
std::string identity(std::string_view value) {
  auto parsed = parse_extended_dn(value);
  return parsed.guid.empty() ? std::string(value) : "<" + parsed.guid + ">";
}

std::vector<std::string>* values_of(std::vector<Attribute>& attributes, std::string_view name) {
  for (auto& attribute : attributes)
    if (iequals(attribute.name, name)) return &attribute.values;
  return nullptr;
}

void erase_attribute(std::vector<Attribute>& attributes, std::string_view name) {
  attributes.erase(std::remove_if(attributes.begin(), attributes.end(),
                                  [&](const Attribute& a) { return iequals(a.name, name); }),
                   attributes.end());
}

Result<Filter> search_filter(const config::SearchScope& search) {
  return Filter::parse(search.filter.empty() ? "(objectClass=*)" : search.filter);
}

}  // namespace

ExtendedDn parse_extended_dn(std::string_view value) {
  ExtendedDn out{{}, value};
  constexpr std::string_view k_guid = "<GUID=";
  if (value.size() < k_guid.size() || !iequals(value.substr(0, k_guid.size()), k_guid)) return out;
  const auto close = value.find('>');
  if (close == std::string_view::npos) return out;
  out.guid = to_lower(value.substr(k_guid.size(), close - k_guid.size()));
  // Further components (<SID=…>) follow, each ended by '>' and a ';'; then the DN.
  std::size_t at = close + 1;
  while (at < value.size() && value[at] == ';') {
    ++at;
    if (at < value.size() && value[at] == '<') {
      const auto end = value.find('>', at);
      if (end == std::string_view::npos) break;
      at = end + 1;
    } else {
      break;
    }
  }
  out.dn = value.substr(at);
  return out;
}

Result<DirSyncObjects> DirSyncObjects::make(const config::DirectoryConfig& config) {
  auto people = search_filter(config.people);
  if (!people) return make_error("people filter: " + people.error().message);
  auto groups = search_filter(config.groups);
  if (!groups) return make_error("groups filter: " + groups.error().message);
  return DirSyncObjects(config, std::move(*people), std::move(*groups));
}

DirSyncObjects::DirSyncObjects(config::DirectoryConfig config, Filter people, Filter groups)
    : m_config(std::move(config)),
      m_people_filter(std::move(people)),
      m_groups_filter(std::move(groups)),
      m_people_base(normalize_dn(m_config.people.base)),
      m_groups_base(normalize_dn(m_config.groups.base)) {}

void DirSyncObjects::index_references(const std::string& guid, const Entry& entry, bool add) {
  for (const auto& attribute : entry.attributes())
    for (const auto& value : attribute.values) {
      auto named = parse_extended_dn(value);
      if (named.guid.empty() || named.guid == guid) continue;
      if (add) {
        m_named_by[named.guid].insert(guid);
      } else if (auto found = m_named_by.find(named.guid); found != m_named_by.end()) {
        found->second.erase(guid);
        if (found->second.empty()) m_named_by.erase(found);
      }
    }
}

void DirSyncObjects::forget(const std::string& guid) {
  auto found = m_objects.find(guid);
  if (found != m_objects.end()) {
    index_references(guid, found->second.entry, false);
    m_objects.erase(found);
  }
  m_changed.insert(guid);
  // DirSync reports no change on the objects that named it: their values go here.
  auto named = m_named_by.find(guid);
  if (named == m_named_by.end()) return;
  const std::string gone = "<" + guid + ">";
  for (const auto& referrer : named->second) {
    auto object = m_objects.find(referrer);
    if (object == m_objects.end()) continue;
    auto attributes = object->second.entry.take_attributes();
    for (auto& attribute : attributes)
      attribute.values.erase(
          std::remove_if(attribute.values.begin(), attribute.values.end(),
                         [&](const std::string& value) { return identity(value) == gone; }),
          attribute.values.end());
    for (auto& attribute : attributes)
      object->second.entry.add_values(attribute.name, std::move(attribute.values));
    m_changed.insert(referrer);
  }
  m_named_by.erase(named);
}

Result<void> DirSyncObjects::apply(const Entry& change) {
  // With the extended DN control the object's own DN comes in extended form too.
  const std::string dn(parse_extended_dn(change.dn).dn);
  const auto* guids = change.find("objectGUID");
  if (!guids || guids->empty() || guids->front().empty())
    return make_error("an object of the DirSync answer has no objectGUID: " + dn);
  const std::string guid = uuid_hex(guids->front());
  if (iequals(change.first("isDeleted"), "TRUE")) {
    forget(guid);
    return {};
  }

  for (const auto& attribute : change.attributes()) {
    const auto semicolon = attribute.name.find(';');
    if (semicolon == std::string::npos) continue;
    const std::string_view option = std::string_view(attribute.name).substr(semicolon + 1);
    if (iequals(option.substr(0, 6), "range=") && !iequals(option, k_added) &&
        !iequals(option, k_removed))
      return make_error("the DirSync answer for " + dn + " holds only a range of " +
                        attribute.name.substr(0, semicolon) + " (" + std::string(option) + ")");
  }

  auto [at, created] = m_objects.try_emplace(guid);
  Object& object = at->second;
  if (!created) index_references(guid, object.entry, false);
  const std::string normalized = normalize_dn(dn);
  if (!created && normalized != object.normalized_dn)
    if (auto named = m_named_by.find(guid); named != m_named_by.end())
      m_changed.insert(named->second.begin(), named->second.end());  // they name the new DN
  object.entry.dn = dn;
  object.normalized_dn = normalized;

  auto attributes = object.entry.take_attributes();
  for (const auto& attribute : change.attributes()) {
    const auto semicolon = attribute.name.find(';');
    const std::string name = attribute.name.substr(0, semicolon);
    const std::string_view option = semicolon == std::string::npos
                                        ? std::string_view()
                                        : std::string_view(attribute.name).substr(semicolon + 1);
    if (iequals(option, k_added) || iequals(option, k_removed)) {
      auto* values = values_of(attributes, name);
      if (!values) {
        attributes.push_back({name, {}});
        values = &attributes.back().values;
      }
      for (const auto& value : attribute.values) {
        const std::string key = identity(value);
        values->erase(std::remove_if(values->begin(), values->end(),
                                     [&](const std::string& v) { return identity(v) == key; }),
                      values->end());
        if (iequals(option, k_added)) values->push_back(value);
      }
      if (values->empty()) erase_attribute(attributes, name);
      continue;
    }
    // A whole attribute replaces what was known of it; none of its values: it was cleared.
    erase_attribute(attributes, attribute.name);
    if (!attribute.values.empty()) attributes.push_back(attribute);
  }
  for (auto& attribute : attributes)
    object.entry.add_values(attribute.name, std::move(attribute.values));
  index_references(guid, object.entry, true);
  m_changed.insert(guid);
  return {};
}

Entry DirSyncObjects::resolved(const Entry& entry) const {
  Entry out;
  out.dn = entry.dn;
  for (const auto& attribute : entry.attributes()) {
    std::vector<std::string> values;
    values.reserve(attribute.values.size());
    for (const auto& value : attribute.values) {
      auto named = parse_extended_dn(value);
      if (named.guid.empty()) {
        values.push_back(value);
      } else if (auto found = m_objects.find(named.guid); found != m_objects.end()) {
        values.push_back(found->second.entry.dn);
      } else {
        values.emplace_back(named.dn);  // an object not followed (a contact, another domain)
      }
    }
    out.add_values(attribute.name, std::move(values));
  }
  return out;
}

bool DirSyncObjects::selects(SyncScope scope, const Object& object, const Entry& entry) const {
  const bool people = scope == SyncScope::people;
  return dn_is_within(object.normalized_dn, people ? m_people_base : m_groups_base) &&
         (people ? m_people_filter : m_groups_filter).matches(entry);
}

void DirSyncObjects::clear() {
  m_objects.clear();
  m_named_by.clear();
  m_changed.clear();
  m_cleared = true;
}

void DirSyncObjects::publish(SyncReplica& replica) {
  if (m_cleared) {
    for (auto scope : k_sync_scopes) {
      std::vector<std::string> gone;
      for (const auto& [uuid, entry] : replica.entries(scope))
        if (!m_objects.count(uuid)) gone.push_back(uuid);
      for (const auto& uuid : gone) replica.remove(scope, uuid);
    }
    for (const auto& [guid, object] : m_objects) m_changed.insert(guid);
    m_cleared = false;
  }
  for (const auto& guid : m_changed) {
    auto found = m_objects.find(guid);
    if (found == m_objects.end()) {
      for (auto scope : k_sync_scopes) replica.remove(scope, guid);
      continue;
    }
    const Entry entry = resolved(found->second.entry);
    for (auto scope : k_sync_scopes) {
      if (selects(scope, found->second, entry))
        replica.put(scope, guid, entry);
      else
        replica.remove(scope, guid);
    }
  }
  m_changed.clear();
}

}  // namespace secondsight::directory
