// Findings across scans: fingerprint, first_seen, last_seen, status; what changed in a scan,
// written to the evidence log and queued as alerts in the same transaction; acks.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "secondsight/checks/finding.hpp"
#include "secondsight/core/result.hpp"
#include "secondsight/core/time.hpp"
#include "secondsight/store/database.hpp"
#include "secondsight/store/outbox.hpp"

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

// ack_expired: a scan saw an open finding whose ack has ended (the ack is cleared).
enum class ChangeKind { opened, escalated, deescalated, resolved, reopened, ack_expired };
std::string_view to_string(ChangeKind kind);
// Whether a change is announced by an alert (DESIGN.md: when a finding opens, when its
// severity rises, when it resolves; a re-opening is an opening, the end of an ack a reminder).
bool alerts_on(ChangeKind kind);

// The finding as `scan --format jsonl` prints it.
nlohmann::json json_of(const StoredFinding& stored);

struct FindingChange {
  ChangeKind kind;
  StoredFinding after;
  std::optional<checks::Severity> severity_before;
  bool silenced = false;  // an ack held its alert back
};

struct AckRequest {
  std::string fingerprint;  // whole
  Instant until;            // silenced while now < until
  std::string reason;
  std::string by;  // the user who acked
  Instant at;
};

// What the scan could see. A finding kind whose inputs were incomplete keeps its open
// findings as they are: nothing resolves on partial data.
struct ReconcileScope {
  std::vector<std::string> complete_kinds;  // kinds evaluated on complete data
};

struct ReconcileResult {
  // Every finding open after the scan, stored state, in the order `list` gives.
  std::vector<StoredFinding> open;
  std::vector<FindingChange> changes;  // opened / severity changed / resolved / reopened
};

class FindingsStore {
 public:
  explicit FindingsStore(Database& db) : m_db(&db) {}

  // In one transaction: inserts new findings (first_seen = last_seen = now), updates
  // last_seen, severity, summary and evidence of those still seen, reopens resolved ones
  // that are seen again (first_seen = now: a new occurrence), and resolves open findings of
  // the complete kinds that were not seen. In the same transaction every change goes to the
  // evidence log, and each change that alerts (alerts_on) is queued in the outbox for every
  // route whose min_severity the finding's severity reaches, so a crash can neither lose nor
  // repeat one.
  //
  // Acks: while a finding's ack runs (now < acked_until), its escalations and re-openings are
  // logged but not alerted; resolutions are always alerted (they close what a receiver has
  // open). The first scan that sees the finding open after its ack ended clears the ack and
  // alerts once more (ack_expired), unless the same scan alerts on it anyway.
  Result<ReconcileResult> reconcile(const std::vector<checks::Finding>& seen, Instant now,
                                    const ReconcileScope& scope,
                                    const std::vector<AlertRoute>& alerts = {});

  // Acks a finding (open or resolved) until request.until: the finding's ack, the ack
  // history and the evidence log, in one transaction. An error when there is no such finding.
  Result<StoredFinding> ack(const AckRequest& request);
  // The fingerprints that start with `prefix`, sorted.
  Result<std::vector<std::string>> fingerprints_starting(const std::string& prefix) const;

  Result<std::vector<StoredFinding>> list(std::optional<FindingStatus> status) const;
  // The clock of the latest scan that reconciled findings (the latest time a finding was seen
  // or resolved); none before the first.
  Result<std::optional<Instant>> latest_scan() const;
  Result<std::optional<StoredFinding>> get(const std::string& fingerprint) const;

 private:
  Database* m_db;
};

}  // namespace secondsight::store
