#include "secondsight/store/findings_store.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "secondsight/core/text.hpp"
#include "secondsight/store/evidence_log.hpp"

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

// One row in the column order of k_columns. With `evidence_text`, the evidence is left as the
// stored text there, unparsed.
Result<StoredFinding> read_row(const Statement& row, std::string* evidence_text = nullptr) {
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
  if (evidence_text) {
    *evidence_text = row.column_text(6);
  } else {
    out.finding.evidence = nlohmann::json::parse(row.column_text(6), nullptr, false);
    if (out.finding.evidence.is_discarded()) return corrupt(fp, "evidence that is not JSON");
  }
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

// A stored open finding and its evidence as stored, parsed only when it is needed.
struct OpenRow {
  StoredFinding stored;
  std::string evidence;
  bool seen = false;
};

Result<std::vector<OpenRow>> read_open(Statement& stmt) {
  std::vector<OpenRow> out;
  for (;;) {
    auto row = stmt.step();
    if (!row) return row.error();
    if (!*row) break;
    OpenRow open;
    auto finding = read_row(stmt, &open.evidence);
    if (!finding) {
      stmt.reset();
      return finding.error();
    }
    open.stored = std::move(*finding);
    out.push_back(std::move(open));
  }
  stmt.reset();
  return out;
}

Result<void> parse_evidence(OpenRow& row) {
  row.stored.finding.evidence = nlohmann::json::parse(row.evidence, nullptr, false);
  if (row.stored.finding.evidence.is_discarded())
    return corrupt(row.stored.fingerprint, "evidence that is not JSON");
  return {};
}

// The order `list` gives: the most severe first, then kind, person, system and fingerprint.
bool listed_before(const StoredFinding& a, const StoredFinding& b) {
  if (a.finding.severity != b.finding.severity) return a.finding.severity > b.finding.severity;
  return std::tie(a.finding.kind, a.finding.person, a.finding.system, a.fingerprint) <
         std::tie(b.finding.kind, b.finding.person, b.finding.system, b.fingerprint);
}

// Evidence carries strings from directories and logs, which need not be valid UTF-8:
// replace bad bytes rather than throw.
std::string evidence_text(const nlohmann::json& evidence) {
  return json_text(evidence);
}

// The statements of one reconcile, prepared once per call.
struct ReconcileStatements {
  Statement select_one;
  Statement select_open;
  Statement insert;
  Statement update_seen;
  Statement touch;
  Statement resolve;
  Statement insert_event;
  Statement clear_ack;
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
  auto touch = db.prepare("UPDATE findings SET last_seen = ?2 WHERE fingerprint = ?1");
  if (!touch) return touch.error();
  auto resolve = db.prepare(
      "UPDATE findings SET status = 'resolved', resolved_at = ?2 WHERE fingerprint = ?1");
  if (!resolve) return resolve.error();
  auto insert_event = db.prepare(
      "INSERT INTO finding_events (fingerprint, at, change, severity, previous_severity) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!insert_event) return insert_event.error();
  auto clear_ack = db.prepare(
      "UPDATE findings SET acked_until = NULL, ack_reason = NULL, ack_by = NULL "
      "WHERE fingerprint = ?1");
  if (!clear_ack) return clear_ack.error();
  return ReconcileStatements{std::move(*select_one),   std::move(*select_open), std::move(*insert),
                             std::move(*update_seen),  std::move(*touch),       std::move(*resolve),
                             std::move(*insert_event), std::move(*clear_ack)};
}

nlohmann::json optional_json(const std::optional<std::string>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json();
}

// Slack's mrkdwn gives &, < and > a meaning: text from directories and logs is escaped.
std::string slack_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else
      out += c;
  }
  return out;
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// One line for people (chat receivers show it): what changed, about whom, and the summary.
std::string alert_text(const FindingChange& change) {
  const auto& f = change.after.finding;
  std::string about = f.kind;
  if (f.person) about += " for " + *f.person;
  if (f.system) about += (f.person ? " on " : " on system ") + *f.system;
  const std::string severity = upper(checks::to_string(f.severity));
  std::string line;
  switch (change.kind) {
    case ChangeKind::opened: line = fmt::format("{} opened: {}", severity, about); break;
    case ChangeKind::reopened: line = fmt::format("{} opened again: {}", severity, about); break;
    case ChangeKind::escalated:
      line = fmt::format("{} rose from {} to {}", about,
                         checks::to_string(change.severity_before.value_or(f.severity)), severity);
      break;
    case ChangeKind::deescalated:
      line = fmt::format("{} fell from {} to {}", about,
                         checks::to_string(change.severity_before.value_or(f.severity)),
                         checks::to_string(f.severity));
      break;
    case ChangeKind::resolved:
      line = fmt::format("resolved: {} (was {})", about, checks::to_string(f.severity));
      break;
    case ChangeKind::ack_expired:
      line = fmt::format("the ack of {} has ended and it is still open ({})", about, severity);
      break;
  }
  std::string text = "secondsight: " + line;
  if (change.kind != ChangeKind::resolved) text += ". " + f.summary;
  // One line, whatever the values hold, then Slack's own escaping.
  return slack_escape(escape_terminal(text));
}

// What the evidence log keeps of a change.
nlohmann::json change_payload(const FindingChange& change) {
  nlohmann::json out = json_of(change.after);
  if (change.severity_before) out["previous_severity"] = checks::to_string(*change.severity_before);
  if (change.silenced) out["silenced_by_ack"] = true;
  return out;
}

// The alert: the finding as `scan --format jsonl` prints it, what changed, where its entry in
// the evidence log is (an anchor for `evidence verify --anchor`), and a Slack-style "text".
nlohmann::json alert_payload(const FindingChange& change, const EvidenceEntry& entry,
                             const std::string& id) {
  nlohmann::json out = json_of(change.after);
  out["id"] = id;
  out["change"] = to_string(change.kind);
  out["at"] = entry.at;
  if (change.severity_before) out["previous_severity"] = checks::to_string(*change.severity_before);
  out["evidence_log"] = {{"seq", entry.seq}, {"hash", entry.hash}};
  out["text"] = alert_text(change);
  return out;
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
    case ChangeKind::ack_expired: return "ack_expired";
  }
  return "opened";
}

bool alerts_on(ChangeKind kind) {
  return kind != ChangeKind::deescalated;
}

nlohmann::json json_of(const StoredFinding& stored) {
  const auto& f = stored.finding;
  nlohmann::json out = nlohmann::json::object();
  out["fingerprint"] = stored.fingerprint;
  out["kind"] = f.kind;
  out["severity"] = checks::to_string(f.severity);
  out["person"] = optional_json(f.person);
  out["system"] = optional_json(f.system);
  out["summary"] = f.summary;
  out["evidence"] = f.evidence;
  out["first_seen"] = format_rfc3339(stored.first_seen);
  out["last_seen"] = format_rfc3339(stored.last_seen);
  out["status"] = to_string(stored.status);
  if (stored.acked_until) {
    out["acked_until"] = format_rfc3339(*stored.acked_until);
    out["ack_reason"] = stored.ack_reason;
  }
  return out;
}

Result<ReconcileResult> FindingsStore::reconcile(const std::vector<checks::Finding>& seen,
                                                 Instant now, const ReconcileScope& scope,
                                                 const std::vector<AlertRoute>& alerts) {
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
  EvidenceLog evidence(*m_db);
  Outbox outbox(*m_db);
  auto record = [&](ChangeKind kind, const StoredFinding& after,
                    std::optional<checks::Severity> before, bool silenced) -> Result<void> {
    FindingChange change{kind, after, before, silenced};
    if (kind != ChangeKind::ack_expired) {  // finding_events (schema 1) knows the five others
      st.insert_event.bind(1, after.fingerprint)
          .bind(2, now_text)
          .bind(3, to_string(kind))
          .bind(4, to_string(after.finding.severity));
      if (before)
        st.insert_event.bind(5, to_string(*before));
      else
        st.insert_event.bind(5, std::nullopt);
      if (auto done = run(st.insert_event); !done) return done;
    }
    auto entry = evidence.append(now, after.fingerprint, to_string(kind),
                                 to_string(after.finding.severity), change_payload(change));
    if (!entry) return entry.error();
    if (alerts_on(kind) && !silenced && !alerts.empty()) {
      // One key per alert, the same for every sink and every attempt: receivers drop repeats.
      const std::string id = entry->hash.substr(0, 32);
      const std::string payload = json_text(alert_payload(change, *entry, id));
      for (const auto& route : alerts) {
        if (after.finding.severity < route.min_severity) continue;
        if (auto queued = outbox.enqueue(route.sink, after.fingerprint,
                                         std::string(to_string(kind)), payload, id, now);
            !queued)
          return queued;
      }
    }
    result.changes.push_back(std::move(change));
    return {};
  };

  // Every open finding, read before any is updated; most are seen again unchanged, and
  // their evidence is compared as the text it is stored as.
  auto open = read_open(st.select_open);
  if (!open) return open.error();
  std::vector<OpenRow*> open_of(unique.size(), nullptr);  // per unique finding
  for (auto& row : *open) {
    if (auto at = position.find(row.stored.fingerprint); at != position.end()) {
      open_of[at->second] = &row;
      row.seen = true;
    }
  }

  for (std::size_t i = 0; i < unique.size(); ++i) {
    const auto& [fingerprint, finding] = unique[i];
    StoredFinding stored;
    std::string evidence_now = evidence_text(finding->evidence);
    bool changed = true;
    if (OpenRow* row = open_of[i]) {
      stored = std::move(row->stored);
      changed = stored.finding.severity != finding->severity ||
                stored.finding.summary != finding->summary || row->evidence != evidence_now;
    } else {
      st.select_one.bind(1, fingerprint);
      auto rows = read_all(st.select_one);
      if (!rows) return rows.error();
      if (rows->empty()) {
        stored.finding = *finding;
        stored.fingerprint = fingerprint;
        stored.first_seen = stored.last_seen = now;
        st.insert.bind(1, fingerprint)
            .bind(2, finding->kind)
            .bind(3, finding->person)
            .bind(4, finding->system)
            .bind(5, to_string(finding->severity))
            .bind(6, finding->summary)
            .bind(7, evidence_now)
            .bind(8, now_text);
        if (auto done = run(st.insert); !done) return done.error();
        if (auto done = record(ChangeKind::opened, stored, std::nullopt, false); !done)
          return done.error();
        result.open.push_back(std::move(stored));
        continue;
      }
      stored = std::move(rows->front());
    }

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
    if (changed || reopened) {
      st.update_seen.bind(1, fingerprint)
          .bind(2, to_string(finding->severity))
          .bind(3, finding->summary)
          .bind(4, evidence_now)
          .bind(5, format_rfc3339(stored.first_seen))
          .bind(6, now_text);
      if (auto done = run(st.update_seen); !done) return done.error();
    } else {
      st.touch.bind(1, fingerprint).bind(2, now_text);
      if (auto done = run(st.touch); !done) return done.error();
    }

    const bool acked = stored.acked_until && now < *stored.acked_until;
    const bool ack_ended = stored.acked_until && !acked;
    if (ack_ended) {
      // Over: the finding is loud again, and the ack stays in the history (acks table).
      st.clear_ack.bind(1, fingerprint);
      if (auto done = run(st.clear_ack); !done) return done.error();
      stored.acked_until.reset();
      stored.ack_reason.clear();
      stored.ack_by.clear();
    }

    Result<void> recorded;
    if (reopened)
      recorded = record(ChangeKind::reopened, stored, std::nullopt, acked);
    else if (finding->severity > before)
      recorded = record(ChangeKind::escalated, stored, before, acked);
    else if (finding->severity < before)
      recorded = record(ChangeKind::deescalated, stored, before, false);
    if (!recorded) return recorded.error();
    // A reminder that the finding the ack silenced is still there, unless one just went out.
    if (ack_ended && !reopened && !(finding->severity > before)) {
      if (auto done = record(ChangeKind::ack_expired, stored, std::nullopt, false); !done)
        return done.error();
    }
    result.open.push_back(std::move(stored));
  }

  // Open findings this scan did not see resolve, but only for kinds evaluated on complete
  // data: a kind whose inputs were partial may simply not have been able to see them.
  const std::unordered_set<std::string> complete(scope.complete_kinds.begin(),
                                                 scope.complete_kinds.end());
  for (auto& row : *open) {
    if (row.seen) continue;
    if (auto parsed = parse_evidence(row); !parsed) return parsed.error();
    auto& stored = row.stored;
    if (!complete.count(stored.finding.kind)) {
      result.open.push_back(std::move(stored));
      continue;
    }
    stored.status = FindingStatus::resolved;
    stored.resolved_at = now;
    st.resolve.bind(1, stored.fingerprint).bind(2, now_text);
    if (auto done = run(st.resolve); !done) return done.error();
    if (auto done = record(ChangeKind::resolved, stored, std::nullopt, false); !done)
      return done.error();
  }
  std::sort(result.open.begin(), result.open.end(), listed_before);

  if (auto committed = transaction->commit(); !committed) return committed.error();
  return result;
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

Result<StoredFinding> FindingsStore::ack(const AckRequest& request) {
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
                               checks::to_string(stored.finding.severity), payload);
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
