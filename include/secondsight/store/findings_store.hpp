// Findings across scans: fingerprint, first_seen, last_seen, status; what changed in a scan.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "secondsight/checks/finding.hpp"
#include "secondsight/core/result.hpp"
#include "secondsight/core/time.hpp"
#include "secondsight/store/database.hpp"

namespace secondsight::store {

enum class FindingStatus { open, resolved };
std::string_view to_string(FindingStatus status);

struct StoredFinding {
  checks::Finding finding;
  std::string fingerprint;
  FindingStatus status = FindingStatus::open;
  Instant first_seen;
  Instant last_seen;
  std::optional<Instant> resolved_at;
  std::optional<Instant> acked_until;
  std::string ack_reason;
  std::string ack_by;
};

enum class ChangeKind { opened, escalated, deescalated, resolved, reopened };
std::string_view to_string(ChangeKind kind);

struct FindingChange {
  ChangeKind kind;
  StoredFinding after;
  std::optional<checks::Severity> severity_before;
};

// What the scan could see. A finding kind whose inputs were incomplete keeps its open
// findings as they are: nothing resolves on partial data.
struct ReconcileScope {
  std::vector<std::string> complete_kinds;  // kinds evaluated on complete data
};

struct ReconcileResult {
  std::vector<StoredFinding> current;  // every finding seen in this scan, stored state
  std::vector<FindingChange> changes;  // opened / severity changed / resolved / reopened
};

class FindingsStore {
 public:
  explicit FindingsStore(Database& db) : m_db(&db) {}

  // In one transaction: inserts new findings (first_seen = last_seen = now), updates
  // last_seen, severity, summary and evidence of those still seen, reopens resolved ones
  // that are seen again (first_seen = now: a new occurrence), and resolves open findings of
  // the complete kinds that were not seen.
  Result<ReconcileResult> reconcile(const std::vector<checks::Finding>& seen, Instant now,
                                    const ReconcileScope& scope);

  Result<std::vector<StoredFinding>> list(std::optional<FindingStatus> status) const;
  Result<std::optional<StoredFinding>> get(const std::string& fingerprint) const;

 private:
  Database* m_db;
};

}  // namespace secondsight::store
