// What content synchronisation leaves in the state database: the entries of the directory's
// people and groups searches as last received, and each search's cookie. A daemon that starts
// again resumes from them, and the server sends only what changed meanwhile.
#pragma once

#include <string>

#include "secondsight/core/result.hpp"
#include "secondsight/directory/sync.hpp"
#include "secondsight/store/database.hpp"

namespace secondsight::store {

class DirectoryReplicaStore {
 public:
  explicit DirectoryReplicaStore(Database& db) : m_db(&db) {}

  // Fills `replica` with what is kept for `identity` (directory::sync_identity); a replica of
  // another directory or searches is dropped, and `replica` stays empty.
  Result<void> load(const std::string& identity, directory::SyncReplica& replica);
  // Writes what changed in `replica` since the last save, and its cookies, in one transaction.
  Result<void> save(const std::string& identity, directory::SyncReplica& replica);

 private:
  Database* m_db;
};

// An entry as the store keeps it (its DN and attributes, each length-prefixed), and back.
std::string encode_entry(const directory::Entry& entry);
Result<directory::Entry> decode_entry(std::string_view bytes);

}  // namespace secondsight::store
