// The rows of findings across scans (fingerprint, first_seen, last_seen, status), the history
// of their changes, and acks. What a scan changes is decided by findings::reconcile.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "secondsight/core/result.hpp"
#include "secondsight/core/time.hpp"
#include "secondsight/findings/change.hpp"
#include "secondsight/findings/lifecycle.hpp"
#include "secondsight/store/database.hpp"

namespace secondsight::store {

// How the count of open findings moved from an instant on, as the history of changes says:
// the count just before it, then +1 for each opening or re-opening and -1 for each resolution.
struct OpenCountHistory {
  std::int64_t open_before = 0;
  std::vector<std::pair<Instant, int>> changes;  // oldest first
};

// Whether the findings read carry their evidence (parsed from its stored JSON), or leave it an
// empty object: a list that shows no evidence need not pay for parsing it.
enum class Evidence { parsed, left_out };

class FindingsStore {
 public:
  explicit FindingsStore(Database& db) : m_db(&db) {}

  // What findings::reconcile needs of the store: every open finding (its evidence as stored
  // text, parsed only for those `seen` does not hold), then the resolved findings among
  // `seen`. Call inside the transaction that applies the result.
  Result<std::vector<findings::StoredRow>> open(
      const std::vector<findings::SeenFinding>& seen) const;
  // Writes the rows of a reconciliation, and each change but ack_expired to the history of
  // changes (finding_events), in their order.
  Result<void> apply(const findings::Reconciliation& reconciliation);

  // Acks a finding (open or resolved) until request.until: the finding's ack, the ack
  // history and the evidence log, in one transaction. An error when there is no such finding.
  Result<findings::StoredFinding> ack(const findings::AckRequest& request);
  // The fingerprints that start with `prefix`, sorted.
  Result<std::vector<std::string>> fingerprints_starting(const std::string& prefix) const;

  Result<std::vector<findings::StoredFinding>> list(std::optional<findings::FindingStatus> status,
                                                    Evidence evidence = Evidence::parsed) const;
  // Open findings per person (findings about no person are not counted).
  Result<std::map<std::string, std::int64_t>> open_count_by_person() const;
  // The clock of the latest scan that reconciled findings (the latest time a finding was seen
  // or resolved); none before the first.
  Result<std::optional<Instant>> latest_scan() const;
  Result<std::optional<findings::StoredFinding>> get(const std::string& fingerprint) const;
  // A person's or a system's findings, open and resolved, the latest first seen first.
  Result<std::vector<findings::StoredFinding>> of_person(const std::string& person) const;
  Result<std::vector<findings::StoredFinding>> of_system(const std::string& system) const;
  // The count of open findings from `since` on (escalations and de-escalations do not move it).
  Result<OpenCountHistory> open_count_since(Instant since) const;

 private:
  Database* m_db;
};

}  // namespace secondsight::store
