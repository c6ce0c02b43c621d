// What the store keeps for knowledge: each repository's history as read at one HEAD, and the
// handovers recorded on the command line.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "secondsight/core/result.hpp"
#include "secondsight/core/time.hpp"
#include "secondsight/knowledge/handovers.hpp"
#include "secondsight/store/database.hpp"

namespace secondsight::store {

struct StoredHistory {
  std::string head;
  std::string history;  // JSON, as knowledge::to_json writes it
};

class KnowledgeStore {
 public:
  explicit KnowledgeStore(Database& db) : m_db(&db) {}

  Result<std::optional<StoredHistory>> history(const std::string& repository) const;
  // Replaces what was kept for the repository.
  Result<void> save_history(const std::string& repository, const StoredHistory& history,
                            Instant now);

  // Keeps a handover; `recorded_by` is who ran the command.
  Result<void> record_handover(const knowledge::HandoverRecord& record,
                               const std::string& recorded_by, Instant now);
  // Every recorded handover, oldest first; `origin` says who recorded it and when.
  Result<std::vector<knowledge::HandoverRecord>> handovers() const;

 private:
  Database* m_db;
};

}  // namespace secondsight::store
