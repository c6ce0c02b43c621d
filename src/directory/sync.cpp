#include "secondsight/directory/sync.hpp"

#include <utility>

namespace secondsight::directory {

std::string_view to_string(SyncScope scope) {
  return scope == SyncScope::people ? "people" : "groups";
}

void SyncReplica::begin_refresh(SyncScope scope, bool from_cookie) {
  auto& p = part(scope);
  p.refreshed = false;
  p.unseen.clear();
  if (!from_cookie) {
    if (!p.entries.empty()) ++m_version;
    p.entries.clear();
    p.changes = SyncChanges{};
    p.changes.cleared = true;
    return;
  }
  for (const auto& [uuid, entry] : p.entries) p.unseen.insert(p.unseen.end(), uuid);
}

void SyncReplica::put(SyncScope scope, const std::string& uuid, Entry entry) {
  auto& p = part(scope);
  p.unseen.erase(uuid);
  p.entries.insert_or_assign(uuid, std::move(entry));
  p.changes.removed.erase(uuid);
  p.changes.put.insert(uuid);
  ++m_version;
}

void SyncReplica::present(SyncScope scope, const std::string& uuid) {
  part(scope).unseen.erase(uuid);
}

void SyncReplica::remove(SyncScope scope, const std::string& uuid) {
  auto& p = part(scope);
  p.unseen.erase(uuid);
  if (p.entries.erase(uuid) == 0) return;
  p.changes.put.erase(uuid);
  p.changes.removed.insert(uuid);
  ++m_version;
}

void SyncReplica::end_present_phase(SyncScope scope) {
  auto& p = part(scope);
  const auto unseen = std::exchange(p.unseen, {});
  for (const auto& uuid : unseen) remove(scope, uuid);
}

void SyncReplica::load(SyncScope scope, const std::string& uuid, Entry entry) {
  part(scope).entries.insert_or_assign(uuid, std::move(entry));
  ++m_version;
}

void SyncReplica::clear() {
  for (auto scope : k_sync_scopes) {
    auto& p = part(scope);
    p = Part{};
    p.changes.cleared = true;
  }
  ++m_version;
}

const Entry* SyncReplica::find(SyncScope scope, const std::string& uuid) const {
  const auto& entries = part(scope).entries;
  auto it = entries.find(uuid);
  return it == entries.end() ? nullptr : &it->second;
}

SyncChanges SyncReplica::take_changes(SyncScope scope) {
  return std::exchange(part(scope).changes, {});
}

Result<DirectorySnapshot> build_snapshot(const SyncReplica& replica,
                                         const config::DirectoryConfig& config, Zone zone,
                                         std::string source) {
  SnapshotBuilder builder(config, zone, source);
  for (const auto& [uuid, entry] : replica.entries(SyncScope::people))
    if (auto added = builder.add_person(entry); !added) return added.error();
  for (const auto& [uuid, entry] : replica.entries(SyncScope::groups))
    if (auto added = builder.add_group(entry); !added) return added.error();
  auto snapshot = std::move(builder).finish();
  if (replica.size(SyncScope::people) == 0)
    snapshot.warnings.push_back(no_people_warning(snapshot.source, config));
  return snapshot;
}

std::string sync_identity(const config::DirectoryConfig& config) {
  std::string identity;
  for (const auto* part : {&config.uri, &config.bind_dn, &config.people.base, &config.people.filter,
                           &config.groups.base, &config.groups.filter}) {
    identity += *part;
    identity += '\n';
  }
  for (bool people : {true, false}) {
    for (const auto& name : requested_attributes(config, people)) identity += name + ' ';
    identity += '\n';
  }
  return identity;
}

}  // namespace secondsight::directory
