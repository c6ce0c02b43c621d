#include "secondsight/store/findings_store.hpp"

#include <unordered_set>
#include <utility>

#include "secondsight/core/text.hpp"
#include "secondsight/store/evidence_log.hpp"

namespace secondsight::store {

using findings::FindingStatus;
using findings::StoredFinding;

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

// One row in the column order of k_columns. With `evidence_text`, the evidence is left as the
// stored text there, unparsed.
Result<StoredFinding> read_row(const Statement& row, std::string* evidence_text = nullptr) {
  StoredFinding out;
  out.fingerprint = row.column_text(0);
  const std::string& fp = out.fingerprint;
  out.finding.kind = row.column_text(1);
  out.finding.person = row.column_optional_text(2);
  out.finding.system = row.column_optional_text(3);
  auto severity = parse_severity(row.column_text(4));
  if (!severity) return corrupt(fp, "an unknown severity: " + severity.error().message);
  out.finding.severity = *severity;
  out.finding.summary = row.column_text(5);
  // No exceptions: a damaged value is an Error like any other.
  if (evidence_text) {
    *evidence_text = row.column_text(6);
  } else {
    out.finding.evidence = nlohmann::json::parse(row.column_text(6), nullptr, false);
    if (out.finding.evidence.is_discarded()) return corrupt(fp, "evidence that is not JSON");
  }
  auto status = findings::parse_finding_status(row.column_text(7));
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

Result<std::vector<StoredFinding>> read_all(Statement& stmt, Evidence evidence = Evidence::parsed) {
  std::vector<StoredFinding> out;
  std::string unparsed;
  for (;;) {
    auto row = stmt.step();
    if (!row) return row.error();
    if (!*row) break;
    auto finding = read_row(stmt, evidence == Evidence::left_out ? &unparsed : nullptr);
    if (!finding) {
      stmt.reset();
      return finding.error();
    }
    out.push_back(std::move(*finding));
  }
  stmt.reset();
  return out;
}

nlohmann::json optional_json(const std::optional<std::string>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json();
}

// The statements of one apply, prepared once per call.
struct ApplyStatements {
  Statement insert;
  Statement update_seen;
  Statement touch;
  Statement resolve;
  Statement insert_event;
  Statement clear_ack;
};

Result<ApplyStatements> prepare_apply(Database& db) {
  auto insert = db.prepare(
      "INSERT INTO findings (fingerprint, kind, person, system, severity, summary, evidence, "
      "status, first_seen, last_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'open', ?8, ?8)");
  if (!insert) return insert.error();
  // Also reopens: status open, first_seen and resolved_at as given.
  auto update_seen = db.prepare(
      "UPDATE findings SET severity = ?2, summary = ?3, evidence = ?4, status = 'open', "
      "first_seen = ?5, last_seen = ?6, resolved_at = NULL WHERE fingerprint = ?1");
  if (!update_seen) return update_seen.error();
  auto touch = db.prepare("UPDATE findings SET last_seen = ?2 WHERE fingerprint = ?1");
  if (!touch) return touch.error();
  // A summary and evidence the resolution noted replace the stored ones; NULL keeps them.
  auto resolve = db.prepare(
      "UPDATE findings SET status = 'resolved', resolved_at = ?2, summary = coalesce(?3, "
      "summary), evidence = coalesce(?4, evidence) WHERE fingerprint = ?1");
  if (!resolve) return resolve.error();
  auto insert_event = db.prepare(
      "INSERT INTO finding_events (fingerprint, at, change, severity, previous_severity) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!insert_event) return insert_event.error();
  auto clear_ack = db.prepare(
      "UPDATE findings SET acked_until = NULL, ack_reason = NULL, ack_by = NULL "
      "WHERE fingerprint = ?1");
  if (!clear_ack) return clear_ack.error();
  return ApplyStatements{std::move(*insert),  std::move(*update_seen),  std::move(*touch),
                         std::move(*resolve), std::move(*insert_event), std::move(*clear_ack)};
}

Result<void> run(Statement& stmt) {
  auto done = stmt.run();
  stmt.reset();
  return done;
}

}  // namespace

Result<std::vector<findings::StoredRow>> FindingsStore::open(
    const std::vector<findings::SeenFinding>& seen) const {
  std::unordered_set<std::string_view> seen_now;
  seen_now.reserve(seen.size());
  for (const auto& s : seen) seen_now.insert(s.fingerprint);

  // Every open finding. Most are seen again unchanged: their evidence stays the text it is
  // stored as, for comparing, and is parsed only for those this scan did not see.
  auto select_open = m_db->prepare(select_findings("WHERE status = 'open'"));
  if (!select_open) return select_open.error();
  std::vector<findings::StoredRow> out;
  std::unordered_set<std::string_view> open_now;
  for (;;) {
    auto row = select_open->step();
    if (!row) return row.error();
    if (!*row) break;
    findings::StoredRow open;
    auto finding = read_row(*select_open, &open.evidence);
    if (!finding) return finding.error();
    open.stored = std::move(*finding);
    out.push_back(std::move(open));
  }
  open_now.reserve(out.size());
  for (auto& row : out) {
    open_now.insert(row.stored.fingerprint);
    if (seen_now.count(row.stored.fingerprint)) continue;
    row.stored.finding.evidence = nlohmann::json::parse(row.evidence, nullptr, false);
    if (row.stored.finding.evidence.is_discarded())
      return corrupt(row.stored.fingerprint, "evidence that is not JSON");
  }

  // Seen and not open: resolved ones come back, the rest are new.
  auto select_one = m_db->prepare(select_findings("WHERE fingerprint = ?1"));
  if (!select_one) return select_one.error();
  for (const auto& s : seen) {
    if (open_now.count(s.fingerprint)) continue;
    select_one->bind(1, s.fingerprint);
    auto rows = read_all(*select_one);
    if (!rows) return rows.error();
    for (auto& stored : *rows) out.push_back(findings::StoredRow{std::move(stored), {}});
  }
  return out;
}

Result<void> FindingsStore::apply(const findings::Reconciliation& reconciliation) {
  auto prepared = prepare_apply(*m_db);
  if (!prepared) return prepared.error();
  auto& st = *prepared;
  const std::string now_text = format_rfc3339(reconciliation.now);
  using What = findings::FindingWrite::What;
  for (const auto& write : reconciliation.writes) {
    Result<void> done;
    switch (write.what) {
      case What::insert:
        st.insert.bind(1, write.fingerprint)
            .bind(2, write.kind)
            .bind(3, write.person)
            .bind(4, write.system)
            .bind(5, to_string(write.severity))
            .bind(6, write.summary)
            .bind(7, write.evidence)
            .bind(8, now_text);
        done = run(st.insert);
        break;
      case What::update:
        st.update_seen.bind(1, write.fingerprint)
            .bind(2, to_string(write.severity))
            .bind(3, write.summary)
            .bind(4, write.evidence)
            .bind(5, format_rfc3339(write.first_seen))
            .bind(6, now_text);
        done = run(st.update_seen);
        break;
      case What::touch:
        st.touch.bind(1, write.fingerprint).bind(2, now_text);
        done = run(st.touch);
        break;
      case What::resolve:
        st.resolve.bind(1, write.fingerprint).bind(2, now_text);
        if (write.evidence.empty())
          st.resolve.bind(3, std::nullopt).bind(4, std::nullopt);
        else
          st.resolve.bind(3, write.summary).bind(4, write.evidence);
        done = run(st.resolve);
        break;
      case What::clear_ack:
        st.clear_ack.bind(1, write.fingerprint);
        done = run(st.clear_ack);
        break;
    }
    if (!done) return done;
  }
  for (const auto& change : reconciliation.result.changes) {
    // finding_events (schema 1) knows the five others.
    if (change.kind == findings::ChangeKind::ack_expired) continue;
    st.insert_event.bind(1, change.after.fingerprint)
        .bind(2, now_text)
        .bind(3, to_string(change.kind))
        .bind(4, to_string(change.after.finding.severity));
    if (change.severity_before)
      st.insert_event.bind(5, to_string(*change.severity_before));
    else
      st.insert_event.bind(5, std::nullopt);
    if (auto done = run(st.insert_event); !done) return done;
  }
  return {};
}

Result<std::optional<Instant>> FindingsStore::latest_scan() const {
  auto stmt = m_db->prepare("SELECT max(last_seen), max(resolved_at) FROM findings");
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return row.error();
  std::optional<Instant> latest;
  for (int column = 0; column < 2 && *row; ++column) {
    auto text = stmt->column_optional_text(column);
    if (!text) continue;
    auto at = parse_rfc3339(*text);
    if (!at) return make_error("findings: unreadable time '" + *text + "'");
    if (!latest || *at > *latest) latest = *at;
  }
  return latest;
}

Result<std::vector<StoredFinding>> FindingsStore::list(std::optional<FindingStatus> status,
                                                       Evidence evidence) const {
  auto stmt = m_db->prepare(select_findings(
      "WHERE ?1 IS NULL OR status = ?1 "
      "ORDER BY CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 "
      "WHEN 'low' THEN 1 ELSE 0 END DESC, kind, person, system, fingerprint"));
  if (!stmt) return stmt.error();
  if (status)
    stmt->bind(1, to_string(*status));
  else
    stmt->bind(1, std::nullopt);
  return read_all(*stmt, evidence);
}

Result<std::map<std::string, std::int64_t>> FindingsStore::open_count_by_person() const {
  auto stmt = m_db->prepare(
      "SELECT person, COUNT(*) FROM findings WHERE status = ?1 AND person IS NOT NULL "
      "GROUP BY person");
  if (!stmt) return stmt.error();
  stmt->bind(1, to_string(FindingStatus::open));
  std::map<std::string, std::int64_t> out;
  for (;;) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) break;
    out[stmt->column_text(0)] = stmt->column_int(1);
  }
  stmt->reset();
  return out;
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

Result<std::vector<StoredFinding>> FindingsStore::of_person(const std::string& person) const {
  auto stmt =
      m_db->prepare(select_findings("WHERE person = ?1 ORDER BY first_seen DESC, fingerprint"));
  if (!stmt) return stmt.error();
  stmt->bind(1, person);
  return read_all(*stmt);
}

Result<std::vector<StoredFinding>> FindingsStore::of_system(const std::string& system) const {
  auto stmt =
      m_db->prepare(select_findings("WHERE system = ?1 ORDER BY first_seen DESC, fingerprint"));
  if (!stmt) return stmt.error();
  stmt->bind(1, system);
  return read_all(*stmt);
}

Result<OpenCountHistory> FindingsStore::open_count_since(Instant since) const {
  // Times are RFC 3339 UTC of one fixed width, so text order is time order.
  const std::string from = format_rfc3339(since);
  OpenCountHistory out;
  auto before = m_db->prepare(
      "SELECT coalesce(sum(CASE change WHEN 'resolved' THEN -1 ELSE 1 END), 0) FROM "
      "finding_events WHERE at < ?1 AND change IN ('opened', 'reopened', 'resolved')");
  if (!before) return before.error();
  before->bind(1, from);
  auto row = before->step();
  if (!row) return row.error();
  if (*row) out.open_before = before->column_int(0);
  auto after = m_db->prepare(
      "SELECT at, change FROM finding_events WHERE at >= ?1 AND change IN ('opened', 'reopened', "
      "'resolved') ORDER BY at, id");
  if (!after) return after.error();
  after->bind(1, from);
  for (;;) {
    auto next = after->step();
    if (!next) return next.error();
    if (!*next) break;
    const std::string at_text = after->column_text(0);
    auto at = parse_rfc3339(at_text);
    if (!at) return make_error("state database: finding_events has a bad time '" + at_text + "'");
    out.changes.emplace_back(*at, after->column_text(1) == "resolved" ? -1 : 1);
  }
  return out;
}

Result<StoredFinding> FindingsStore::ack(const findings::AckRequest& request) {
  auto transaction = Transaction::begin(*m_db);
  if (!transaction) return transaction.error();
  auto current = get(request.fingerprint);
  if (!current) return current.error();
  if (!*current) return make_error("no finding has the fingerprint " + request.fingerprint);
  StoredFinding stored = std::move(**current);

  auto update = m_db->prepare(
      "UPDATE findings SET acked_until = ?2, ack_reason = ?3, ack_by = ?4 WHERE fingerprint = ?1");
  if (!update) return update.error();
  update->bind(1, request.fingerprint)
      .bind(2, format_rfc3339(request.until))
      .bind(3, request.reason)
      .bind(4, request.by);
  if (auto done = update->run(); !done) return done.error();
  auto history = m_db->prepare(
      "INSERT INTO acks (fingerprint, until, reason, acked_by, acked_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!history) return history.error();
  history->bind(1, request.fingerprint)
      .bind(2, format_rfc3339(request.until))
      .bind(3, request.reason)
      .bind(4, request.by)
      .bind(5, format_rfc3339(request.at));
  if (auto done = history->run(); !done) return done.error();

  nlohmann::json payload = {{"until", format_rfc3339(request.until)},
                            {"reason", request.reason},
                            {"by", request.by},
                            {"kind", stored.finding.kind},
                            {"person", optional_json(stored.finding.person)},
                            {"system", optional_json(stored.finding.system)},
                            {"status", to_string(stored.status)}};
  if (stored.acked_until)
    payload["replaces"] = {{"until", format_rfc3339(*stored.acked_until)},
                           {"reason", stored.ack_reason},
                           {"by", stored.ack_by}};
  EvidenceLog evidence(*m_db);
  auto entry = evidence.append(request.at, request.fingerprint, "acked",
                               to_string(stored.finding.severity), payload);
  if (!entry) return entry.error();
  if (auto committed = transaction->commit(); !committed) return committed.error();

  stored.acked_until = request.until;
  stored.ack_reason = request.reason;
  stored.ack_by = request.by;
  return stored;
}

Result<std::vector<std::string>> FindingsStore::fingerprints_starting(
    const std::string& prefix) const {
  // substr, not LIKE: a prefix with % or _ in it matches nothing rather than everything.
  auto stmt = m_db->prepare(
      "SELECT fingerprint FROM findings WHERE substr(fingerprint, 1, length(?1)) = ?1 "
      "ORDER BY fingerprint");
  if (!stmt) return stmt.error();
  stmt->bind(1, prefix);
  return stmt->column_texts();
}

}  // namespace secondsight::store
