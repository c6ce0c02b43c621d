// A finding across scans (its status, when it was seen, its ack) and what a scan changed of it.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "secondsight/core/result.hpp"
#include "secondsight/core/time.hpp"
#include "secondsight/findings/finding.hpp"

namespace secondsight::findings {

enum class FindingStatus { open, resolved };
std::string_view to_string(FindingStatus status);
Result<FindingStatus> parse_finding_status(std::string_view text);

struct StoredFinding {
  Finding finding;
  std::string fingerprint;
  FindingStatus status = FindingStatus::open;
  Instant first_seen;
  Instant last_seen;
  std::optional<Instant> resolved_at;
  std::optional<Instant> acked_until;
  std::string ack_reason;
  std::string ack_by;
};

// The finding as `scan --format jsonl` prints it.
nlohmann::json json_of(const StoredFinding& stored);

// ack_expired: a scan saw an open finding whose ack has ended (the ack is cleared).
enum class ChangeKind { opened, escalated, deescalated, resolved, reopened, ack_expired };
std::string_view to_string(ChangeKind kind);
// Whether a change is announced by an alert (when a finding opens, when its
// severity rises, when it resolves; a re-opening is an opening, the end of an ack a reminder).
bool alerts_on(ChangeKind kind);

struct FindingChange {
  ChangeKind kind;
  StoredFinding after;
  std::optional<Severity> severity_before;
  bool silenced = false;  // an ack held its alert back
};

struct AckRequest {
  std::string fingerprint;  // whole
  Instant until;            // silenced while now < until
  std::string reason;
  std::string by;  // the user who acked
  Instant at;
};

// Where the alerts of a change go: each sink that takes the finding's severity.
struct AlertRoute {
  std::string sink;  // the sink's key (alert::sink_key)
  Severity min_severity = Severity::info;
};

// What the scan could see. A finding kind whose inputs were incomplete keeps its open
// findings as they are: nothing resolves on partial data.
struct ReconcileScope {
  std::vector<std::string> complete_kinds;  // kinds evaluated on complete data
  // Called with each finding about to resolve; may add to its summary and evidence what the
  // resolution says (true when it changed them), which the resolved finding keeps.
  std::function<bool(Finding&)> note_resolution = nullptr;
};

struct ReconcileResult {
  // Every finding open after the scan, stored state, in the order the store lists them.
  std::vector<StoredFinding> open;
  std::vector<FindingChange> changes;  // opened / severity changed / resolved / reopened
};

}  // namespace secondsight::findings
