// Following a directory as it changes (content synchronisation, RFC 4533): a replica of the
// entries the people and groups searches select, kept by each entry's UUID, changed by what a
// sync session receives, and the snapshot built from it. Plain values: no server, no SQL.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "secondsight/config/config.hpp"
#include "secondsight/core/result.hpp"
#include "secondsight/core/time.hpp"
#include "secondsight/directory/entry.hpp"
#include "secondsight/directory/snapshot.hpp"

namespace secondsight::directory {

// The two searches a directory is followed with.
enum class SyncScope : std::uint8_t { people = 0, groups = 1 };
inline constexpr std::array k_sync_scopes{SyncScope::people, SyncScope::groups};
std::string_view to_string(SyncScope scope);

// What changed in a replica since the changes were last taken, to be stored: entries put (the
// UUIDs, their entries are in the replica) and entries gone. `cleared`: every stored entry of
// the scope goes first.
struct SyncChanges {
  bool cleared = false;
  std::set<std::string> put;
  std::set<std::string> removed;
  bool empty() const { return !cleared && put.empty() && removed.empty(); }
};

class SyncReplica {
 public:
  // A refresh of `scope` begins. Without a cookie the server sends the whole content again,
  // so what the replica held goes; with one, every entry is unseen until the server names it.
  void begin_refresh(SyncScope scope, bool from_cookie);
  // An entry added or changed.
  void put(SyncScope scope, const std::string& uuid, Entry entry);
  // An entry the server says is unchanged and still there.
  void present(SyncScope scope, const std::string& uuid);
  // An entry gone (deleted, moved out of the search, or no longer matching its filter).
  void remove(SyncScope scope, const std::string& uuid);
  // A present phase ended: entries the refresh did not name are gone.
  void end_present_phase(SyncScope scope);
  // The refresh of `scope` is complete: the replica is the directory (for that scope).
  void mark_refreshed(SyncScope scope) { part(scope).refreshed = true; }
  bool refreshed(SyncScope scope) const { return part(scope).refreshed; }
  bool refreshed() const { return refreshed(SyncScope::people) && refreshed(SyncScope::groups); }

  // An entry loaded from the state database, as it was when it was stored.
  void load(SyncScope scope, const std::string& uuid, Entry entry);
  // Forgets everything of every scope: cookies, entries, refreshed marks.
  void clear();

  std::string& cookie(SyncScope scope) { return part(scope).cookie; }
  const std::string& cookie(SyncScope scope) const { return part(scope).cookie; }
  std::size_t size(SyncScope scope) const { return part(scope).entries.size(); }
  const Entry* find(SyncScope scope, const std::string& uuid) const;
  // Counts every change since the replica was made: a snapshot is built again when it moved.
  std::uint64_t version() const { return m_version; }

  // The entries of a scope, ordered by UUID.
  const std::map<std::string, Entry>& entries(SyncScope scope) const { return part(scope).entries; }
  // What changed since the last call, for the store; the replica forgets it.
  SyncChanges take_changes(SyncScope scope);

 private:
  struct Part {
    std::map<std::string, Entry> entries;
    std::set<std::string> unseen;  // during a refresh from a cookie
    std::string cookie;
    bool refreshed = false;
    SyncChanges changes;
  };
  Part& part(SyncScope scope) { return m_parts[static_cast<std::size_t>(scope)]; }
  const Part& part(SyncScope scope) const { return m_parts[static_cast<std::size_t>(scope)]; }

  std::array<Part, 2> m_parts;
  std::uint64_t m_version = 0;
};

// The snapshot of a replica, built as a poll builds it from the same entries.
Result<DirectorySnapshot> build_snapshot(const SyncReplica& replica,
                                         const config::DirectoryConfig& config, Zone zone,
                                         std::string source);

// What identifies the content a replica follows: the server and the two searches. A replica
// stored under another identity is of another directory and is not used.
std::string sync_identity(const config::DirectoryConfig& config);

}  // namespace secondsight::directory
