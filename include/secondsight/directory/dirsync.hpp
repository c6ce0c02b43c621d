// Following Active Directory with DirSync (1.2.840.113556.1.4.841). A DirSync search from the
// last cookie returns the objects of the naming context that changed since, each with its
// objectGUID and only the attributes that changed; with incremental values a member added comes
// as "member;range=1-1" and one removed as "member;range=0-0"; a deleted object comes as its
// tombstone (isDeleted: TRUE). DirSyncObjects merges those answers into whole objects by
// objectGUID and puts into a SyncReplica the people and groups the configured searches select
// (base and filter), as the server would answer those searches.
//
// DN values are asked for in extended form ("<GUID=…>;<SID=…>;CN=…", the extended DN control),
// so every reference names its object by GUID: a member that moves or is deleted, which DirSync
// does not report on the groups that list it, is still named by its current DN, or dropped.
// Plain values: no server.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>

#include "secondsight/config/config.hpp"
#include "secondsight/core/result.hpp"
#include "secondsight/directory/entry.hpp"
#include "secondsight/directory/filter.hpp"
#include "secondsight/directory/sync.hpp"

namespace secondsight::directory {

// The GUID of an extended DN value ("<GUID=0a1b…>;<SID=…>;CN=x,DC=y": "0a1b…", lower case) and
// its DN ("CN=x,DC=y"); a plain DN has no GUID.
struct ExtendedDn {
  std::string guid;
  std::string_view dn;
};
ExtendedDn parse_extended_dn(std::string_view value);

class DirSyncObjects {
 public:
  // The people and groups searches of `config`; an unreadable filter is an error.
  static Result<DirSyncObjects> make(const config::DirectoryConfig& config);

  // One object of a DirSync answer, merged into what is known of it. An object without an
  // objectGUID, or with a range of values other than incremental ones, is an error: the
  // object's values would be incomplete.
  Result<void> apply(const Entry& change);
  // Puts into `replica` the people and groups changed since the last publish, as the searches
  // select them, and removes those gone or no longer selected.
  void publish(SyncReplica& replica);
  // Forgets every object (a DirSync search without a cookie returns them all again); the next
  // publish removes from `replica` what is not sent again.
  void clear();

  std::size_t size() const { return m_objects.size(); }
  // The DirSync cookie of the last complete answer, as the server sent it.
  std::string cookie;

 private:
  struct Object {
    Entry entry;  // every attribute received, DN values in extended form
    std::string normalized_dn;
  };

  DirSyncObjects(config::DirectoryConfig config, Filter people, Filter groups);
  void forget(const std::string& guid);
  void index_references(const std::string& guid, const Entry& entry, bool add);
  // The entry as the searches would return it: extended DN values written as the current DN
  // of the object they name, references to objects gone left out.
  Entry resolved(const Entry& entry) const;
  bool selects(SyncScope scope, const Object& object, const Entry& resolved) const;

  config::DirectoryConfig m_config;
  Filter m_people_filter;
  Filter m_groups_filter;
  std::string m_people_base;  // normalised
  std::string m_groups_base;
  std::unordered_map<std::string, Object> m_objects;  // by GUID
  // GUID -> the objects whose values name it (a group's members, a person's manager).
  std::unordered_map<std::string, std::set<std::string>> m_named_by;
  std::set<std::string> m_changed;  // GUIDs to publish, gone ones among them
  bool m_cleared = false;           // the replica's scopes are rebuilt at the next publish
};

}  // namespace secondsight::directory
