// What one directory poll saw, interpreted: people with their ids, end dates, disabled state
// and aliases; groups; and the nested membership graph that effective grants come from.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "secondsight/config/config.hpp"
#include "secondsight/core/result.hpp"
#include "secondsight/core/string_index.hpp"
#include "secondsight/core/time.hpp"
#include "secondsight/directory/entry.hpp"
#include "secondsight/directory/source.hpp"

namespace secondsight::directory {

// The end of an engagement as the directory states it, before any grace days.
struct EngagementEnd {
  config::EndDateFormat format = config::EndDateFormat::iso_date;
  std::string raw;                               // the attribute value as read
  std::optional<date::year_month_day> last_day;  // date formats: the last day of the engagement
  Instant rights_end;  // the instant rights must be gone: end of last_day (local), or the instant
};

struct Person {
  std::string id;
  std::string dn;
  std::string normalized_dn;
  std::string display_name;
  std::string kind;
  std::string agency;
  std::string manager_dn;
  std::optional<EngagementEnd> end;
  std::string end_problem;  // set when the end-date attribute is present but unreadable
  bool disabled = false;
  std::optional<long long> uid_number;
  std::vector<std::string> aliases;  // lower-cased, "smtp:" prefix removed
  PackedAttributes attributes;       // every attribute, for staff and engagement rules
};

struct Group {
  std::string dn;
  std::string normalized_dn;
  std::string name;
};

// A way a person reaches a group: the groups from the one the person is a direct member
// of up to the target group. They point into the snapshot that gave them.
using GroupPath = std::vector<const Group*>;
// The DNs of a path, as the directory writes them.
std::vector<std::string> path_dns(const GroupPath& path);

class DirectorySnapshot {
 public:
  std::string source;  // "ldif:/path", "ldaps://host"
  std::vector<Person> people;
  std::vector<Group> groups;
  std::vector<std::string> warnings;

  const Person* find_person(std::string_view id) const;
  const Person* find_person_by_dn(std::string_view dn) const;
  // A user name, email or other alias (case-insensitive, "smtp:" ignored); nullptr when it
  // names no one or more than one person.
  const Person* resolve_identity(std::string_view name) const;
  const Group* find_group(std::string_view dn) const;
  // The person with this uidNumber; nullptr when none or several have it.
  const Person* find_person_by_uid(long long uid) const;

  // Every person who reaches `group_dn` through membership, nested groups included, with one
  // shortest path per direct group of theirs that leads there. Cycle-safe. Safe to call from
  // several threads at once.
  std::unordered_map<const Person*, std::vector<GroupPath>> members_of(
      std::string_view group_dn) const;

 private:
  friend class SnapshotBuilder;

  // Indexes into people and groups.
  StringIndex m_person_by_id;                                    // lower-cased id
  StringIndex m_person_by_dn;                                    // normalised DN
  StringIndex m_person_by_identity;                              // UINT32_MAX: ambiguous
  StringIndex m_group_by_dn;                                     // normalised DN
  std::unordered_map<long long, std::uint32_t> m_person_by_uid;  // UINT32_MAX: shared
  // The membership graph. A group's member DNs are looked up when a traversal first reaches
  // the group: most groups of a large directory lead to no system, and a million lookups in
  // the people index cost more than the rest of a poll.
  struct Membership {
    // Per group, its direct members resolved so far: a person's index, or a group's index
    // with k_group_node.
    std::vector<std::vector<std::uint32_t>> children;
    // Per group, its member DNs not yet looked up: a byte range of `dns`, where each DN (as
    // the directory wrote it) follows its length as four bytes. Emptied by the lookup.
    std::vector<std::pair<std::size_t, std::size_t>> unresolved;
    std::string dns;
    std::mutex mutex;  // guards the lookup
  };
  void resolve_members(std::uint32_t group) const;
  std::unique_ptr<Membership> m_membership = std::make_unique<Membership>();
};

// Interprets the entries of the people and groups searches with the configured attributes, as
// they arrive, in any order. memberOf and memberUid values are looked up once the last entry
// is in. An entry whose DN the same search gave before, or a person whose id
// another person has, is an Error: the poll is incomplete, and the builder is not used further.
class SnapshotBuilder {
 public:
  SnapshotBuilder(const config::DirectoryConfig& config, Zone zone, std::string source);
  Result<void> add_person(const Entry& entry);  // read, not kept
  Result<void> add_group(const Entry& entry);   // read, not kept
  DirectorySnapshot finish() &&;

 private:
  // A memberOf edge whose DN is looked up at the end: `node` is a member of the group `dn`.
  struct Pending {
    std::uint32_t node;
    std::size_t offset;
    std::size_t length;
  };
  void add_pending(std::uint32_t node, std::string_view normalized_dn);
  // A memberUid value: the person with the id `key` (lower case) is a member of `group`.
  struct PendingUid {
    std::uint32_t group;
    std::size_t offset;
    std::size_t length;
  };
  void add_identity(std::string_view key, std::uint32_t person);

  const config::DirectoryConfig& m_config;
  Zone m_zone;
  DirectorySnapshot m_snapshot;
  std::vector<Pending> m_pending;
  std::string m_pending_dns;  // the DNs of m_pending, one after the other
  std::vector<PendingUid> m_pending_uids;
  std::string m_pending_uid_keys;  // the ids of m_pending_uids, one after the other
  std::string m_scratch;           // a normalised DN, reused
};

// The same for entries already read.
Result<DirectorySnapshot> build_snapshot(std::vector<Entry> people, std::vector<Entry> groups,
                                         const config::DirectoryConfig& config, Zone zone,
                                         std::string source);

// One poll: open the source, search people and groups, build the snapshot. Any failure
// makes the poll incomplete and is returned as an Error naming the source.
Result<DirectorySnapshot> poll_directory(DirectorySource& source,
                                         const config::DirectoryConfig& config, Zone zone);

// Said when the people search returned no one: every finding about them would resolve.
std::string no_people_warning(std::string_view source, const config::DirectoryConfig& config);

// Reads an end-date value in the given format. An AD "never" gives nullopt.
Result<std::optional<EngagementEnd>> parse_engagement_end(std::string_view value,
                                                          config::EndDateFormat format, Zone zone);

// The attributes a poll asks for: "*" and every configured attribute, for people or groups.
std::vector<std::string> requested_attributes(const config::DirectoryConfig& config, bool people);

// The source for a configured directory: an ldif: export, or an ldap:// or ldaps:// server.
Result<std::unique_ptr<DirectorySource>> make_directory_source(
    const config::DirectoryConfig& config);

// One poll of the configured directory: its source made and polled. What every command and
// the daemon call to read the directory.
Result<DirectorySnapshot> poll_configured_directory(const config::DirectoryConfig& config,
                                                    Zone zone);

}  // namespace secondsight::directory
