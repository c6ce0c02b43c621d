#include "secondsight/store/checklist_rows.hpp"

namespace secondsight::store {
namespace {

Result<std::optional<Instant>> optional_time(const std::optional<std::string>& text) {
  if (!text) return std::optional<Instant>();
  auto at = parse_rfc3339(*text);
  if (!at) return make_error("state database: unreadable time '" + *text + "'");
  return std::optional<Instant>(*at);
}

std::optional<std::string> optional_text(const std::optional<Instant>& at) {
  if (!at) return std::nullopt;
  return format_rfc3339(*at);
}

}  // namespace

Result<std::vector<ChecklistItemRow>> ChecklistRows::items(const std::string& person) const {
  auto stmt = m_db->prepare(
      "SELECT item, section, text, details, due, due_rule, automatic, done_at, done_how "
      "FROM checklist_items WHERE person = ? ORDER BY position");
  if (!stmt) return stmt.error();
  stmt->bind(1, person);
  std::vector<ChecklistItemRow> out;
  for (;;) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) break;
    ChecklistItemRow item;
    item.item = stmt->column_text(0);
    item.section = stmt->column_text(1);
    item.text = stmt->column_text(2);
    item.details = stmt->column_text(3);
    auto due = optional_time(stmt->column_optional_text(4));
    if (!due) return due.error();
    item.due = *due;
    item.due_rule = stmt->column_text(5);
    item.automatic = stmt->column_int(6) != 0;
    auto done_at = optional_time(stmt->column_optional_text(7));
    if (!done_at) return done_at.error();
    item.done_at = *done_at;
    item.done_how = stmt->column_text(8);
    out.push_back(std::move(item));
  }
  return out;
}

Result<std::map<std::string, bool, std::less<>>> ChecklistRows::kept() const {
  auto stmt =
      m_db->prepare("SELECT person, MAX(done_at IS NULL) FROM checklist_items GROUP BY person");
  if (!stmt) return stmt.error();
  std::map<std::string, bool, std::less<>> out;
  for (;;) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return out;
    out.emplace(stmt->column_text(0), stmt->column_int(1) != 0);
  }
}

Result<void> ChecklistRows::write(const std::string& person,
                                  const std::vector<ChecklistItemRow>& items, Instant now) {
  auto upsert = m_db->prepare(
      "INSERT INTO checklist_items (person, item, position, section, text, details, due, "
      "due_rule, automatic, first_seen, done_at, done_how) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (person, item) DO UPDATE SET position = excluded.position, "
      "section = excluded.section, text = excluded.text, details = excluded.details, "
      "due = excluded.due, due_rule = excluded.due_rule, automatic = excluded.automatic, "
      "done_at = excluded.done_at, done_how = excluded.done_how");
  if (!upsert) return upsert.error();
  std::int64_t position = 0;
  for (const auto& item : items) {
    upsert->reset();
    upsert->bind(1, person).bind(2, item.item).bind(3, position++);
    upsert->bind(4, item.section).bind(5, item.text);
    upsert->bind(6, item.details).bind(7, optional_text(item.due));
    upsert->bind(8, item.due_rule).bind(9, std::int64_t{item.automatic ? 1 : 0});
    upsert->bind(10, format_rfc3339(now)).bind(11, optional_text(item.done_at));
    upsert->bind(12, item.done_how);
    if (auto ran = upsert->run(); !ran) return ran.error();
  }
  return {};
}

Result<void> ChecklistRows::mark_done(const std::string& person, const std::string& item,
                                      Instant at, const std::string& how) {
  auto stmt = m_db->prepare(
      "UPDATE checklist_items SET done_at = ?, done_how = ? WHERE person = ? AND item = ?");
  if (!stmt) return stmt.error();
  stmt->bind(1, format_rfc3339(at)).bind(2, how).bind(3, person).bind(4, item);
  return stmt->run();
}

Result<bool> ChecklistRows::reopen(const std::string& person, const std::string& item) {
  auto stmt = m_db->prepare(
      "UPDATE checklist_items SET done_at = NULL, done_how = '' WHERE person = ? AND item = ? "
      "AND automatic = 1 AND done_at IS NOT NULL RETURNING item");
  if (!stmt) return stmt.error();
  stmt->bind(1, person).bind(2, item);
  auto reopened = stmt->column_texts();
  if (!reopened) return reopened.error();
  return !reopened->empty();
}

}  // namespace secondsight::store
