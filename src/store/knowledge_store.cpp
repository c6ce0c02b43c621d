#include "secondsight/store/knowledge_store.hpp"

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

Result<void> KnowledgeStore::record_handover(const knowledge::HandoverRecord& record,
                                             const std::string& recorded_by, Instant now) {
  auto stmt = m_db->prepare(
      "INSERT INTO handovers (person, system, receiver, date, doc, recorded_by, recorded_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  stmt->bind(1, record.person).bind(2, record.system).bind(3, record.receiver);
  stmt->bind(4, record.date).bind(5, record.doc).bind(6, recorded_by);
  stmt->bind(7, format_rfc3339(now));
  return stmt->run();
}

Result<std::vector<knowledge::HandoverRecord>> KnowledgeStore::handovers() const {
  auto stmt = m_db->prepare(
      "SELECT person, system, receiver, date, doc, recorded_by, recorded_at FROM handovers "
      "ORDER BY id");
  if (!stmt) return stmt.error();
  std::vector<knowledge::HandoverRecord> records;
  while (true) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) break;
    knowledge::HandoverRecord record;
    record.person = stmt->column_text(0);
    record.system = stmt->column_text(1);
    record.receiver = stmt->column_text(2);
    record.date = stmt->column_text(3);
    record.doc = stmt->column_text(4);
    record.origin = "recorded by " + stmt->column_text(5) + " at " + stmt->column_text(6);
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace secondsight::store
