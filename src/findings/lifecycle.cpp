#include "secondsight/findings/lifecycle.hpp"

#include <algorithm>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "secondsight/core/text.hpp"

namespace secondsight::findings {

namespace {

// The order the store lists findings in: the most severe first, then kind, person, system and
// fingerprint.
bool listed_before(const StoredFinding& a, const StoredFinding& b) {
  if (a.finding.severity != b.finding.severity) return a.finding.severity > b.finding.severity;
  return std::tie(a.finding.kind, a.finding.person, a.finding.system, a.fingerprint) <
         std::tie(b.finding.kind, b.finding.person, b.finding.system, b.fingerprint);
}

}  // namespace

std::vector<SeenFinding> distinct_findings(const std::vector<Finding>& seen) {
  std::vector<SeenFinding> unique;
  std::unordered_map<std::string, std::size_t> position;
  for (const auto& finding : seen) {
    auto fingerprint = finding.fingerprint();
    auto [it, inserted] = position.try_emplace(fingerprint, unique.size());
    if (inserted)
      unique.push_back(SeenFinding{std::move(fingerprint), &finding});
    else if (finding.severity > unique[it->second].finding->severity)
      unique[it->second].finding = &finding;
  }
  return unique;
}

Reconciliation reconcile(std::vector<StoredRow> stored, const std::vector<SeenFinding>& seen,
                         const ReconcileScope& scope, Instant now) {
  Reconciliation out;
  out.now = now;
  auto& result = out.result;
  auto record = [&](ChangeKind kind, const StoredFinding& after, std::optional<Severity> before,
                    bool silenced) {
    result.changes.push_back(FindingChange{kind, after, before, silenced});
  };

  std::unordered_map<std::string_view, std::size_t> position;  // fingerprint -> in `seen`
  position.reserve(seen.size());
  for (std::size_t i = 0; i < seen.size(); ++i) position.emplace(seen[i].fingerprint, i);
  std::vector<StoredRow*> stored_of(seen.size(), nullptr);
  std::vector<bool> was_seen(stored.size(), false);
  for (std::size_t r = 0; r < stored.size(); ++r) {
    if (auto at = position.find(stored[r].stored.fingerprint); at != position.end()) {
      stored_of[at->second] = &stored[r];
      was_seen[r] = true;
    }
  }

  for (std::size_t i = 0; i < seen.size(); ++i) {
    const auto& [fingerprint, finding] = seen[i];
    std::string evidence_now = json_text(finding->evidence);
    StoredRow* row = stored_of[i];
    if (!row) {
      StoredFinding opened;
      opened.finding = *finding;
      opened.fingerprint = fingerprint;
      opened.first_seen = opened.last_seen = now;
      FindingWrite write;
      write.what = FindingWrite::What::insert;
      write.fingerprint = fingerprint;
      write.kind = finding->kind;
      write.person = finding->person;
      write.system = finding->system;
      write.severity = finding->severity;
      write.summary = finding->summary;
      write.evidence = std::move(evidence_now);
      write.first_seen = now;
      out.writes.push_back(std::move(write));
      record(ChangeKind::opened, opened, std::nullopt, false);
      result.open.push_back(std::move(opened));
      continue;
    }

    StoredFinding current = std::move(row->stored);
    const bool reopened = current.status == FindingStatus::resolved;
    const bool changed = reopened || current.finding.severity != finding->severity ||
                         current.finding.summary != finding->summary ||
                         row->evidence != evidence_now;
    const Severity before = current.finding.severity;
    // The identity (kind, person, system) is the fingerprint's; the rest is this scan's.
    current.finding.severity = finding->severity;
    current.finding.summary = finding->summary;
    current.finding.evidence = finding->evidence;
    current.status = FindingStatus::open;
    current.last_seen = now;
    if (reopened) {
      // A new occurrence: its age counts from now. An ack keeps its own end date.
      current.first_seen = now;
      current.resolved_at.reset();
    }
    FindingWrite write;
    write.fingerprint = fingerprint;
    if (changed) {
      write.what = FindingWrite::What::update;
      write.severity = finding->severity;
      write.summary = finding->summary;
      write.evidence = std::move(evidence_now);
      write.first_seen = current.first_seen;
    } else {
      write.what = FindingWrite::What::touch;
    }
    out.writes.push_back(std::move(write));

    const bool acked = current.acked_until && now < *current.acked_until;
    const bool ack_ended = current.acked_until && !acked;
    if (ack_ended) {
      // Over: the finding is loud again, and the ack stays in the history.
      FindingWrite clear;
      clear.what = FindingWrite::What::clear_ack;
      clear.fingerprint = fingerprint;
      out.writes.push_back(std::move(clear));
      current.acked_until.reset();
      current.ack_reason.clear();
      current.ack_by.clear();
    }

    if (reopened)
      record(ChangeKind::reopened, current, std::nullopt, acked);
    else if (finding->severity > before)
      record(ChangeKind::escalated, current, before, acked);
    else if (finding->severity < before)
      record(ChangeKind::deescalated, current, before, false);
    // A reminder that the finding the ack silenced is still there, unless one just went out.
    if (ack_ended && !reopened && !(finding->severity > before))
      record(ChangeKind::ack_expired, current, std::nullopt, false);
    result.open.push_back(std::move(current));
  }

  // Open findings this scan did not see resolve, but only for kinds evaluated on complete
  // data: a kind whose inputs were partial may simply not have been able to see them.
  const std::unordered_set<std::string> complete(scope.complete_kinds.begin(),
                                                 scope.complete_kinds.end());
  for (std::size_t r = 0; r < stored.size(); ++r) {
    if (was_seen[r] || stored[r].stored.status != FindingStatus::open) continue;
    auto& kept = stored[r].stored;
    if (!complete.count(kept.finding.kind)) {
      result.open.push_back(std::move(kept));
      continue;
    }
    kept.status = FindingStatus::resolved;
    kept.resolved_at = now;
    FindingWrite resolve;
    resolve.what = FindingWrite::What::resolve;
    resolve.fingerprint = kept.fingerprint;
    if (scope.note_resolution && scope.note_resolution(kept.finding)) {
      resolve.summary = kept.finding.summary;
      resolve.evidence = json_text(kept.finding.evidence);
    }
    out.writes.push_back(std::move(resolve));
    record(ChangeKind::resolved, kept, std::nullopt, false);
  }
  std::sort(result.open.begin(), result.open.end(), listed_before);
  return out;
}

}  // namespace secondsight::findings
