#include "secondsight/store/knowledge_store.hpp"

#include <nlohmann/json.hpp>

#include "secondsight/store/evidence_log.hpp"

namespace secondsight::store {

Result<std::optional<StoredHistory>> KnowledgeStore::history(const std::string& repository) const {
  auto stmt = m_db->prepare("SELECT head, history FROM repository_history WHERE repository = ?");
  if (!stmt) return stmt.error();
  stmt->bind(1, repository);
  auto row = stmt->step();
  if (!row) return row.error();
  if (!*row) return std::optional<StoredHistory>();
  return std::optional<StoredHistory>(StoredHistory{stmt->column_text(0), stmt->column_text(1)});
}

Result<void> KnowledgeStore::save_history(const std::string& repository,
                                          const StoredHistory& history, Instant now) {
  auto stmt = m_db->prepare(
      "INSERT INTO repository_history (repository, head, history, read_at) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (repository) DO UPDATE SET head = excluded.head, history = excluded.history, "
      "read_at = excluded.read_at");
  if (!stmt) return stmt.error();
  stmt->bind(1, repository).bind(2, history.head).bind(3, history.history);
  stmt->bind(4, format_rfc3339(now));
  return stmt->run();
}

namespace {

constexpr std::string_view k_handover_columns =
    "id, person, system, receiver, date, doc, recorded_by, recorded_at, revoked_at, revoked_by, "
    "revoked_reason";

Result<StoredHandover> read_handover(const Statement& row) {
  StoredHandover out;
  out.id = row.column_int(0);
  auto& record = out.record;
  record.person = row.column_text(1);
  record.system = row.column_text(2);
  record.receiver = row.column_text(3);
  record.date = row.column_text(4);
  record.doc = row.column_text(5);
  out.recorded_by = row.column_text(6);
  const std::string recorded_at = row.column_text(7);
  record.origin = "recorded by " + out.recorded_by + " at " + recorded_at;
  const auto unreadable = [&](const std::string& text) {
    return make_error("state database: handover " + std::to_string(out.id) +
                      " has an unreadable time '" + text + "'");
  };
  auto at = parse_rfc3339(recorded_at);
  if (!at) return unreadable(recorded_at);
  out.recorded_at = *at;
  if (auto revoked = row.column_optional_text(8)) {
    auto when = parse_rfc3339(*revoked);
    if (!when) return unreadable(*revoked);
    out.revoked_at = *when;
    out.revoked_by = row.column_text(9);
    out.revoked_reason = row.column_text(10);
  }
  return out;
}

// What the evidence log keeps of a handover: enough to tell what was recorded without the
// handovers table.
nlohmann::json evidence_of(const StoredHandover& stored) {
  const auto& record = stored.record;
  return {{"kind", "handover"},
          {"handover", stored.id},
          {"person", record.person},
          {"system", record.system},
          {"receiver", record.receiver},
          {"date", record.date},
          {"doc", record.doc},
          {"recorded_by", stored.recorded_by},
          {"recorded_at", format_rfc3339(stored.recorded_at)}};
}

std::string evidence_key(std::int64_t id) {
  return "handover:" + std::to_string(id);
}

}  // namespace

Result<std::int64_t> KnowledgeStore::record_handover(const knowledge::HandoverRecord& record,
                                                     const std::string& recorded_by, Instant now) {
  auto stmt = m_db->prepare(
      "INSERT INTO handovers (person, system, receiver, date, doc, recorded_by, recorded_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
  if (!stmt) return stmt.error();
  stmt->bind(1, record.person).bind(2, record.system).bind(3, record.receiver);
  stmt->bind(4, record.date).bind(5, record.doc).bind(6, recorded_by);
  stmt->bind(7, format_rfc3339(now));
  auto row = stmt->step();
  if (!row) return row.error();
  if (!*row) return make_error("state database: a recorded handover has no id");
  StoredHandover stored{stmt->column_int(0), record, recorded_by, now, {}, {}, {}};
  if (auto done = stmt->run(); !done) return done.error();
  auto payload = evidence_of(stored);
  payload["by"] = recorded_by;
  EvidenceLog evidence(*m_db);
  auto entry = evidence.append(now, evidence_key(stored.id), k_handover_recorded, "", payload);
  if (!entry) return entry.error();
  return stored.id;
}

Result<StoredHandover> KnowledgeStore::revoke_handover(std::int64_t id,
                                                       const std::string& revoked_by,
                                                       const std::string& reason, Instant now) {
  auto found = recorded_handover(id);
  if (!found) return found.error();
  if (!*found)
    return make_error("no recorded handover has the id " + std::to_string(id), ErrorKind::invalid);
  StoredHandover stored = std::move(**found);
  if (stored.revoked_at)
    return make_error("handover " + std::to_string(id) + " was revoked already, at " +
                          format_rfc3339(*stored.revoked_at) + " by " + stored.revoked_by + ": " +
                          stored.revoked_reason,
                      ErrorKind::invalid);
  auto update = m_db->prepare(
      "UPDATE handovers SET revoked_at = ?2, revoked_by = ?3, revoked_reason = ?4 "
      "WHERE id = ?1 AND revoked_at IS NULL");
  if (!update) return update.error();
  update->bind(1, id).bind(2, format_rfc3339(now)).bind(3, revoked_by).bind(4, reason);
  if (auto done = update->run(); !done) return done.error();
  stored.revoked_at = now;
  stored.revoked_by = revoked_by;
  stored.revoked_reason = reason;
  auto payload = evidence_of(stored);
  payload["by"] = revoked_by;
  payload["reason"] = reason;
  EvidenceLog evidence(*m_db);
  auto entry = evidence.append(now, evidence_key(id), k_handover_revoked, "", payload);
  if (!entry) return entry.error();
  return stored;
}

Result<std::optional<StoredHandover>> KnowledgeStore::recorded_handover(std::int64_t id) const {
  auto stmt =
      m_db->prepare("SELECT " + std::string(k_handover_columns) + " FROM handovers WHERE id = ?");
  if (!stmt) return stmt.error();
  stmt->bind(1, id);
  auto row = stmt->step();
  if (!row) return row.error();
  if (!*row) return std::optional<StoredHandover>();
  auto stored = read_handover(*stmt);
  if (!stored) return stored.error();
  return std::optional<StoredHandover>(std::move(*stored));
}

Result<std::vector<StoredHandover>> KnowledgeStore::recorded_handovers() const {
  auto stmt =
      m_db->prepare("SELECT " + std::string(k_handover_columns) + " FROM handovers ORDER BY id");
  if (!stmt) return stmt.error();
  std::vector<StoredHandover> out;
  while (true) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) break;
    auto stored = read_handover(*stmt);
    if (!stored) return stored.error();
    out.push_back(std::move(*stored));
  }
  return out;
}

Result<std::vector<knowledge::HandoverRecord>> KnowledgeStore::handovers() const {
  auto all = recorded_handovers();
  if (!all) return all.error();
  std::vector<knowledge::HandoverRecord> records;
  for (auto& stored : *all)
    if (!stored.revoked_at) records.push_back(std::move(stored.record));
  return records;
}

}  // namespace secondsight::store
