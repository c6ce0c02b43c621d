// The lifecycle of findings across scans, as a pure function: which findings a scan opens,
// escalates, de-escalates, reopens and resolves, and what happens to their acks. Storage
// reads what it needs and writes what it returns.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "secondsight/core/time.hpp"
#include "secondsight/findings/change.hpp"

namespace secondsight::findings {

// One finding of a scan and its fingerprint.
struct SeenFinding {
  std::string fingerprint;
  const Finding* finding = nullptr;  // into the scan's findings
};

// One entry per fingerprint, in the order first given; of duplicates (a check bug) the most
// severe wins, so a duplicate can never hide a critical finding.
std::vector<SeenFinding> distinct_findings(const std::vector<Finding>& seen);
// The entries point into `seen`, which must outlive them: never a temporary.
std::vector<SeenFinding> distinct_findings(const std::vector<Finding>&& seen) = delete;

// A stored finding as a reconcile reads it. Most open findings are seen again unchanged: their
// evidence is compared as the text it is stored as, and `stored.finding.evidence` is only
// filled for the open findings the scan did not see (they are kept or resolved as they are).
struct StoredRow {
  StoredFinding stored;
  std::string evidence;  // of an open finding: as stored
};

// A write to a stored finding, in the order they are to be made. `now` is the scan's.
struct FindingWrite {
  enum class What {
    insert,     // a new finding: first_seen = last_seen = now, status open
    update,     // seen again and changed, or reopened: severity, summary, evidence, first_seen
    touch,      // seen again unchanged: last_seen
    resolve,    // status resolved, resolved_at = now; summary and evidence when noted
    clear_ack,  // its ack ended: the ack columns cleared (the acks history keeps it)
  };
  What what = What::touch;
  std::string fingerprint;
  // insert: the identity
  std::string kind;
  std::optional<std::string> person;
  std::optional<std::string> system;
  // insert, update (and resolve, when evidence is not empty: what the resolution noted)
  Severity severity = Severity::info;
  std::string summary;
  std::string evidence;  // the JSON text to store
  Instant first_seen;
};

struct Reconciliation {
  Instant now;
  std::vector<FindingWrite> writes;
  // The open findings in the order the store lists them, and the changes in the order made.
  ReconcileResult result;
};

// Reconciles what a scan saw with what is stored. `stored` holds every open finding (in the
// order they are read), then the stored resolved findings that were seen. Findings seen and
// not stored open; those seen again take this scan's severity, summary and evidence (and
// escalate or de-escalate); resolved ones seen again reopen (first_seen = now: a new
// occurrence); open findings of the complete kinds that were not seen resolve.
//
// Acks: while a finding's ack runs (now < acked_until), its escalations and re-openings are
// silenced; resolutions never are (they close what a receiver has open). The first scan that
// sees the finding open after its ack ended clears the ack and reports ack_expired once, unless
// the same scan reports a change that alerts anyway.
Reconciliation reconcile(std::vector<StoredRow> stored, const std::vector<SeenFinding>& seen,
                         const ReconcileScope& scope, Instant now);

}  // namespace secondsight::findings
