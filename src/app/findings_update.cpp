#include "secondsight/app/findings_update.hpp"

#include <optional>
#include <string>
#include <utility>

#include "secondsight/alert/payload.hpp"
#include "secondsight/core/text.hpp"
#include "secondsight/findings/lifecycle.hpp"
#include "secondsight/store/evidence_log.hpp"
#include "secondsight/store/findings_store.hpp"
#include "secondsight/store/outbox.hpp"

namespace secondsight::app {

namespace {

// What the evidence log keeps of a change.
nlohmann::json change_payload(const findings::FindingChange& change) {
  nlohmann::json out = json_of(change.after);
  if (change.severity_before) out["previous_severity"] = to_string(*change.severity_before);
  if (change.silenced) out["silenced_by_ack"] = true;
  return out;
}

}  // namespace

Result<findings::ReconcileResult> record_findings(store::Database& database,
                                                  const std::vector<findings::Finding>& seen,
                                                  const findings::ReconcileScope& scope,
                                                  Instant now,
                                                  const std::vector<findings::AlertRoute>& routes) {
  const auto unique = findings::distinct_findings(seen);
  auto transaction = store::Transaction::begin(database);
  if (!transaction) return transaction.error();
  store::FindingsStore rows(database);
  auto stored = rows.open(unique);
  if (!stored) return stored.error();
  auto reconciliation = findings::reconcile(std::move(*stored), unique, scope, now);
  if (auto applied = rows.apply(reconciliation); !applied) return applied.error();

  store::EvidenceLog evidence(database);
  store::Outbox outbox(database);
  for (const auto& change : reconciliation.result.changes) {
    const auto& after = change.after;
    auto entry = evidence.append(now, after.fingerprint, to_string(change.kind),
                                 to_string(after.finding.severity), change_payload(change));
    if (!entry) return entry.error();
    if (!alerts_on(change.kind) || change.silenced || routes.empty()) continue;
    // One key per alert, the same for every sink and every attempt: receivers drop repeats.
    const std::string id = entry->hash.substr(0, 32);
    const std::string payload = json_text(alert::alert_payload(change, *entry, id));
    for (const auto& route : routes) {
      if (after.finding.severity < route.min_severity) continue;
      if (auto queued = outbox.enqueue(route.sink, after.fingerprint,
                                       std::string(to_string(change.kind)), payload, id, now);
          !queued)
        return queued.error();
    }
  }
  if (auto committed = transaction->commit(); !committed) return committed.error();
  return std::move(reconciliation.result);
}

Result<Instant> ack_until(std::string_view text, Instant now, Zone zone) {
  const std::string given(text);
  std::optional<Instant> until;
  if (auto day = parse_iso_date(given))
    until = end_of_local_day(*day, zone);
  else if (auto at = parse_rfc3339(given))
    until = *at;
  if (!until)
    return make_error("'" + given + "' is neither a date (YYYY-MM-DD) nor an RFC 3339 time",
                      ErrorKind::invalid);
  if (*until <= now)
    return make_error(format_rfc3339(*until) + " is not in the future", ErrorKind::invalid);
  return *until;
}

Result<void> ack_reason(std::string_view reason) {
  if (reason.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return make_error("say why the finding may be silenced", ErrorKind::invalid);
  if (reason.size() > k_max_ack_reason)
    return make_error("at most " + std::to_string(k_max_ack_reason) + " bytes, please",
                      ErrorKind::invalid);
  return {};
}

}  // namespace secondsight::app
