// What the store keeps for knowledge: each repository's history as read at one HEAD, and the
// handovers recorded on the command line, revoked ones too.
#pragma once

#include <cstdint>
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

// A handover recorded with `secondsight handover record`.
struct StoredHandover {
  std::int64_t id = 0;
  knowledge::HandoverRecord record;  // origin: "recorded by USER at TIME"
  std::string recorded_by;
  Instant recorded_at;
  // A revoked handover stays on record and no longer counts.
  std::optional<Instant> revoked_at;
  std::string revoked_by;
  std::string revoked_reason;
};

// The evidence log entries of handovers: fingerprint "handover:ID", these changes, no
// severity, and the handover in the payload.
inline constexpr const char* k_handover_recorded = "handover_recorded";
inline constexpr const char* k_handover_revoked = "handover_revoked";

class KnowledgeStore {
 public:
  explicit KnowledgeStore(Database& db) : m_db(&db) {}

  Result<std::optional<StoredHistory>> history(const std::string& repository) const;
  // Replaces what was kept for the repository.
  Result<void> save_history(const std::string& repository, const StoredHistory& history,
                            Instant now);

  // Keeps a handover, `recorded_by` being who ran the command, and appends it to the evidence
  // log; returns its id. Call inside a Transaction, so both are written or neither.
  Result<std::int64_t> record_handover(const knowledge::HandoverRecord& record,
                                       const std::string& recorded_by, Instant now);
  // Revokes a recorded handover: who, when and why are kept with it and appended to the
  // evidence log. Call inside a Transaction. An error of kind invalid when no handover has
  // the id, or it was revoked already.
  Result<StoredHandover> revoke_handover(std::int64_t id, const std::string& revoked_by,
                                         const std::string& reason, Instant now);
  // One recorded handover, revoked or not; nullopt when no handover has the id.
  Result<std::optional<StoredHandover>> recorded_handover(std::int64_t id) const;
  // Every recorded handover, revoked ones too, oldest first.
  Result<std::vector<StoredHandover>> recorded_handovers() const;
  // The recorded handovers that count: every one not revoked, oldest first; `origin` says who
  // recorded it and when.
  Result<std::vector<knowledge::HandoverRecord>> handovers() const;

 private:
  Database* m_db;
};

}  // namespace secondsight::store
