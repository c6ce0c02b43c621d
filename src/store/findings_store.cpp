#include "secondsight/store/findings_store.hpp"

#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace secondsight::store {

namespace {

constexpr std::string_view k_columns =
    "fingerprint, kind, person, system, severity, summary, evidence, status, first_seen, "
    "last_seen, resolved_at, acked_until, ack_reason, ack_by";

std::string select_findings(std::string_view tail) {
  return "SELECT " + std::string(k_columns) + " FROM findings " + std::string(tail);
}

Error corrupt(const std::string& fingerprint, const std::string& what) {
  return make_error("state database: finding " + fingerprint + " has " + what);
}

Result<Instant> read_time(const std::string& fingerprint, const char* column,
                          const std::string& text) {
  auto at = parse_rfc3339(text);
  if (!at) return corrupt(fingerprint, std::string("an unreadable ") + column + " '" + text + "'");
  return *at;
}

Result<std::optional<Instant>> read_optional_time(const std::string& fingerprint,
                                                  const char* column,
                                                  const std::optional<std::string>& text) {
  if (!text) return std::optional<Instant>();
  auto at = read_time(fingerprint, column, *text);
  if (!at) return at.error();
  return std::optional<Instant>(*at);
}

Result<FindingStatus> parse_status(std::string_view text) {
  if (text == "open") return FindingStatus::open;
  if (text == "resolved") return FindingStatus::resolved;
  return make_error("'" + std::string(text) + "' is not a finding status");
}

// One row in the column order of k_columns.
Result<StoredFinding> read_row(const Statement& row) {
  StoredFinding out;
  out.fingerprint = row.column_text(0);
  const std::string& fp = out.fingerprint;
  out.finding.kind = row.column_text(1);
  out.finding.person = row.column_optional_text(2);
  out.finding.system = row.column_optional_text(3);
  auto severity = checks::parse_severity(row.column_text(4));
  if (!severity) return corrupt(fp, "an unknown severity: " + severity.error().message);
  out.finding.severity = *severity;
  out.finding.summary = row.column_text(5);
  // No exceptions: a damaged value is an Error like any other.
  out.finding.evidence = nlohmann::json::parse(row.column_text(6), nullptr, false);
  if (out.finding.evidence.is_discarded()) return corrupt(fp, "evidence that is not JSON");
  auto status = parse_status(row.column_text(7));
  if (!status) return corrupt(fp, "an unknown status: " + status.error().message);
  out.status = *status;
  auto first_seen = read_time(fp, "first_seen", row.column_text(8));
  if (!first_seen) return first_seen.error();
  out.first_seen = *first_seen;
  auto last_seen = read_time(fp, "last_seen", row.column_text(9));
  if (!last_seen) return last_seen.error();
  out.last_seen = *last_seen;
  auto resolved_at = read_optional_time(fp, "resolved_at", row.column_optional_text(10));
  if (!resolved_at) return resolved_at.error();
  out.resolved_at = *resolved_at;
  auto acked_until = read_optional_time(fp, "acked_until", row.column_optional_text(11));
  if (!acked_until) return acked_until.error();
  out.acked_until = *acked_until;
  out.ack_reason = row.column_text(12);
  out.ack_by = row.column_text(13);
  return out;
}

Result<std::vector<StoredFinding>> read_all(Statement& stmt) {
  std::vector<StoredFinding> out;
  for (;;) {
    auto row = stmt.step();
    if (!row) return row.error();
    if (!*row) break;
    auto finding = read_row(stmt);
    if (!finding) {
      stmt.reset();
      return finding.error();
    }
    out.push_back(std::move(*finding));
  }
  stmt.reset();
  return out;
}

// Evidence carries strings from directories and logs, which need not be valid UTF-8:
// replace bad bytes rather than throw.
std::string evidence_text(const nlohmann::json& evidence) {
  return evidence.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The statements of one reconcile, prepared once per call.
struct ReconcileStatements {
  Statement select_one;
  Statement select_open;
  Statement insert;
  Statement update_seen;
  Statement resolve;
  Statement insert_event;
};

Result<ReconcileStatements> prepare_reconcile(Database& db) {
  auto select_one = db.prepare(select_findings("WHERE fingerprint = ?1"));
  if (!select_one) return select_one.error();
  auto select_open = db.prepare(select_findings("WHERE status = 'open'"));
  if (!select_open) return select_open.error();
  auto insert = db.prepare(
      "INSERT INTO findings (fingerprint, kind, person, system, severity, summary, evidence, "
      "status, first_seen, last_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'open', ?8, ?8)");
  if (!insert) return insert.error();
  // Also reopens: status open, first_seen and resolved_at as given.
  auto update_seen = db.prepare(
      "UPDATE findings SET severity = ?2, summary = ?3, evidence = ?4, status = 'open', "
      "first_seen = ?5, last_seen = ?6, resolved_at = NULL WHERE fingerprint = ?1");
  if (!update_seen) return update_seen.error();
  auto resolve = db.prepare(
      "UPDATE findings SET status = 'resolved', resolved_at = ?2 WHERE fingerprint = ?1");
  if (!resolve) return resolve.error();
  auto insert_event = db.prepare(
      "INSERT INTO finding_events (fingerprint, at, change, severity, previous_severity) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!insert_event) return insert_event.error();
  return ReconcileStatements{std::move(*select_one), std::move(*select_open),
                             std::move(*insert),     std::move(*update_seen),
                             std::move(*resolve),    std::move(*insert_event)};
}

Result<void> run(Statement& stmt) {
  auto done = stmt.run();
  stmt.reset();
  return done;
}

}  // namespace

std::string_view to_string(FindingStatus status) {
  switch (status) {
    case FindingStatus::open: return "open";
    case FindingStatus::resolved: return "resolved";
  }
  return "open";
}

std::string_view to_string(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::opened: return "opened";
    case ChangeKind::escalated: return "escalated";
    case ChangeKind::deescalated: return "deescalated";
    case ChangeKind::resolved: return "resolved";
    case ChangeKind::reopened: return "reopened";
  }
  return "opened";
}

Result<ReconcileResult> FindingsStore::reconcile(const std::vector<checks::Finding>& seen,
                                                 Instant now, const ReconcileScope& scope) {
  // One entry per fingerprint, in the order first given; of duplicates (a check bug) the
  // most severe wins, so a duplicate can never hide a critical finding.
  std::vector<std::pair<std::string, const checks::Finding*>> unique;
  std::unordered_map<std::string, std::size_t> position;
  for (const auto& finding : seen) {
    auto fingerprint = finding.fingerprint();
    auto [it, inserted] = position.try_emplace(fingerprint, unique.size());
    if (inserted)
      unique.emplace_back(std::move(fingerprint), &finding);
    else if (finding.severity > unique[it->second].second->severity)
      unique[it->second].second = &finding;
  }

  auto transaction = Transaction::begin(*m_db);
  if (!transaction) return transaction.error();
  auto prepared = prepare_reconcile(*m_db);
  if (!prepared) return prepared.error();
  auto& st = *prepared;
  const std::string now_text = format_rfc3339(now);

  ReconcileResult result;
  auto record = [&](ChangeKind kind, const StoredFinding& after,
                    std::optional<checks::Severity> before) -> Result<void> {
    st.insert_event.bind(1, after.fingerprint)
        .bind(2, now_text)
        .bind(3, to_string(kind))
        .bind(4, to_string(after.finding.severity));
    if (before)
      st.insert_event.bind(5, to_string(*before));
    else
      st.insert_event.bind(5, std::nullopt);
    if (auto done = run(st.insert_event); !done) return done;
    result.changes.push_back(FindingChange{kind, after, before});
    return {};
  };

  for (const auto& [fingerprint, finding] : unique) {
    st.select_one.bind(1, fingerprint);
    auto rows = read_all(st.select_one);
    if (!rows) return rows.error();

    if (rows->empty()) {
      StoredFinding stored;
      stored.finding = *finding;
      stored.fingerprint = fingerprint;
      stored.first_seen = stored.last_seen = now;
      st.insert.bind(1, fingerprint)
          .bind(2, finding->kind)
          .bind(3, finding->person)
          .bind(4, finding->system)
          .bind(5, to_string(finding->severity))
          .bind(6, finding->summary)
          .bind(7, evidence_text(finding->evidence))
          .bind(8, now_text);
      if (auto done = run(st.insert); !done) return done.error();
      if (auto done = record(ChangeKind::opened, stored, std::nullopt); !done) return done.error();
      result.current.push_back(std::move(stored));
      continue;
    }

    StoredFinding stored = std::move(rows->front());
    const bool reopened = stored.status == FindingStatus::resolved;
    const checks::Severity before = stored.finding.severity;
    // The identity (kind, person, system) is the fingerprint's; the rest is this scan's.
    stored.finding.severity = finding->severity;
    stored.finding.summary = finding->summary;
    stored.finding.evidence = finding->evidence;
    stored.status = FindingStatus::open;
    stored.last_seen = now;
    if (reopened) {
      // A new occurrence: its age counts from now. An ack keeps its own end date.
      stored.first_seen = now;
      stored.resolved_at.reset();
    }
    st.update_seen.bind(1, fingerprint)
        .bind(2, to_string(finding->severity))
        .bind(3, finding->summary)
        .bind(4, evidence_text(finding->evidence))
        .bind(5, format_rfc3339(stored.first_seen))
        .bind(6, now_text);
    if (auto done = run(st.update_seen); !done) return done.error();

    Result<void> recorded;
    if (reopened)
      recorded = record(ChangeKind::reopened, stored, std::nullopt);
    else if (finding->severity > before)
      recorded = record(ChangeKind::escalated, stored, before);
    else if (finding->severity < before)
      recorded = record(ChangeKind::deescalated, stored, before);
    if (!recorded) return recorded.error();
    result.current.push_back(std::move(stored));
  }

  // Open findings this scan did not see resolve, but only for kinds evaluated on complete
  // data: a kind whose inputs were partial may simply not have been able to see them.
  const std::unordered_set<std::string> complete(scope.complete_kinds.begin(),
                                                 scope.complete_kinds.end());
  auto open = read_all(st.select_open);  // read fully before updating the same rows
  if (!open) return open.error();
  for (auto& stored : *open) {
    if (position.count(stored.fingerprint) || !complete.count(stored.finding.kind)) continue;
    stored.status = FindingStatus::resolved;
    stored.resolved_at = now;
    st.resolve.bind(1, stored.fingerprint).bind(2, now_text);
    if (auto done = run(st.resolve); !done) return done.error();
    if (auto done = record(ChangeKind::resolved, stored, std::nullopt); !done) return done.error();
  }

  if (auto committed = transaction->commit(); !committed) return committed.error();
  return result;
}

Result<std::vector<StoredFinding>> FindingsStore::list(std::optional<FindingStatus> status) const {
  auto stmt = m_db->prepare(select_findings(
      "WHERE ?1 IS NULL OR status = ?1 "
      "ORDER BY CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 "
      "WHEN 'low' THEN 1 ELSE 0 END DESC, kind, person, system, fingerprint"));
  if (!stmt) return stmt.error();
  if (status)
    stmt->bind(1, to_string(*status));
  else
    stmt->bind(1, std::nullopt);
  return read_all(*stmt);
}

Result<std::optional<StoredFinding>> FindingsStore::get(const std::string& fingerprint) const {
  auto stmt = m_db->prepare(select_findings("WHERE fingerprint = ?1"));
  if (!stmt) return stmt.error();
  stmt->bind(1, fingerprint);
  auto rows = read_all(*stmt);
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<StoredFinding>();
  return std::optional<StoredFinding>(std::move(rows->front()));
}

}  // namespace secondsight::store
