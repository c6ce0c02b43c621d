// Records what a scan saw: the findings' rows, their changes in the evidence log and the
// alerts of those changes in the outbox, all in one transaction.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "secondsight/core/result.hpp"
#include "secondsight/core/time.hpp"
#include "secondsight/findings/change.hpp"
#include "secondsight/store/database.hpp"

namespace secondsight::app {

// Reconciles `seen` with the stored findings (findings::reconcile) and writes the result in
// one transaction: the rows, every change in the evidence log, and each change that alerts
// (alerts_on, not silenced by an ack) queued in the outbox for every route whose min_severity
// the finding's severity reaches, so a crash can neither lose nor repeat one.
Result<findings::ReconcileResult> record_findings(
    store::Database& database, const std::vector<findings::Finding>& seen,
    const findings::ReconcileScope& scope, Instant now,
    const std::vector<findings::AlertRoute>& routes = {});

// The rules of an ack, however it is given (`findings ack`, the dashboard's form): until is a
// date (to the end of that local day in `zone`) or an RFC 3339 time, and later than now. The
// error (kind invalid) says what is wrong with the value, without naming the field.
Result<Instant> ack_until(std::string_view text, Instant now, Zone zone);
// A reason says something: not blank, and at most k_max_ack_reason bytes.
inline constexpr std::size_t k_max_ack_reason = 1000;
Result<void> ack_reason(std::string_view reason);

}  // namespace secondsight::app
