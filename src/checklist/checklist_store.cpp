#include "secondsight/checklist/checklist_store.hpp"

#include <map>

#include "secondsight/checks/finding.hpp"
#include "secondsight/core/text.hpp"

namespace secondsight::checklist {
namespace {

struct StoredItem {
  Item item;
  bool found = false;  // built again in this reconcile
};

Result<Section> parse_section(const std::string& text) {
  for (auto section : {Section::access, Section::knowledge, Section::other})
    if (to_string(section) == text) return section;
  return make_error("state database: unknown checklist section '" + text + "'");
}

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

Result<std::map<std::string, StoredItem>> load(store::Database& db, const std::string& person) {
  auto stmt = db.prepare(
      "SELECT item, section, text, details, due, due_rule, automatic, done_at, done_how "
      "FROM checklist_items WHERE person = ? ORDER BY position");
  if (!stmt) return stmt.error();
  stmt->bind(1, person);
  std::map<std::string, StoredItem> out;
  for (;;) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) break;
    Item item;
    item.id = stmt->column_text(0);
    auto section = parse_section(stmt->column_text(1));
    if (!section) return section.error();
    item.section = *section;
    item.text = stmt->column_text(2);
    item.details = nlohmann::json::parse(stmt->column_text(3), nullptr, false);
    if (item.details.is_discarded()) item.details = nlohmann::json::object();
    auto due = optional_time(stmt->column_optional_text(4));
    if (!due) return due.error();
    item.due = *due;
    item.due_rule = stmt->column_text(5);
    item.automatic = stmt->column_int(6) != 0;
    auto done_at = optional_time(stmt->column_optional_text(7));
    if (!done_at) return done_at.error();
    item.done_at = *done_at;
    item.done = item.done_at.has_value();
    item.done_how = stmt->column_text(8);
    std::string id = item.id;
    out.emplace(std::move(id), StoredItem{std::move(item), false});
  }
  return out;
}

// What made an automatic item done when it is no longer built.
std::string done_by_absence(const Item& item, bool gone) {
  if (gone) return "the account is gone from the directory";
  if (item.id.rfind("group:", 0) == 0) return "no longer a member of the group";
  return "no longer needed";
}

}  // namespace

Result<Earlier> ChecklistStore::earlier(const std::string& person) const {
  auto items = load(*m_db, person);
  if (!items) return items.error();
  Earlier out;
  for (const auto& [id, stored] : *items)
    if (id.rfind("handover:", 0) == 0) out.handover_systems.insert(id.substr(9));
  return out;
}

Result<std::map<std::string, bool, std::less<>>> ChecklistStore::kept() const {
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

namespace {

// The alert that a checklist appeared: shaped like a finding's, kind offboarding_checklist.
nlohmann::json checklist_alert(const Checklist& list, Instant now, const std::string& id) {
  std::size_t open = 0;
  for (const auto& item : list.items) open += item.done ? 0 : 1;
  std::string who = list.person + (list.agency.empty() ? "" : " (" + list.agency + ")");
  std::string summary = "offboarding checklist for " + who + ": the engagement ends " +
                        (list.end_stated.empty() ? "on no known date" : list.end_stated) + "; " +
                        std::to_string(open) + " of " + std::to_string(list.items.size()) +
                        " items to do" +
                        (list.manager.empty() ? "" : "; internal contact " + list.manager);
  const std::string fingerprint =
      checks::finding_fingerprint("offboarding_checklist", list.person, std::nullopt);
  return {{"id", id},
          {"change", "opened"},
          {"at", format_rfc3339(now)},
          {"fingerprint", fingerprint},
          {"kind", "offboarding_checklist"},
          {"severity", "info"},
          {"person", list.person},
          {"system", nullptr},
          {"summary", summary},
          {"status", "open"},
          {"text", "secondsight: INFO " + summary}};
}

}  // namespace

Result<std::vector<std::string>> ChecklistStore::reconcile(
    Checklist& list, Instant now, const std::vector<store::AlertRoute>& routes) {
  auto transaction = store::Transaction::begin(*m_db);
  if (!transaction) return transaction.error();
  auto stored = load(*m_db, list.person);
  if (!stored) return stored.error();
  std::vector<std::string> newly_done;
  const bool gone = list.account == "gone";

  for (auto& item : list.items) {
    auto it = stored->find(item.id);
    const Item* before = it == stored->end() ? nullptr : &it->second.item;
    if (it != stored->end()) it->second.found = true;
    if (!item.automatic) {
      // Manual items keep their ticks.
      if (before && before->done) {
        item.done = true;
        item.done_at = before->done_at;
        item.done_how = before->done_how;
      }
    } else if (item.done) {
      item.done_at = before && before->done ? before->done_at : std::optional<Instant>(now);
    } else {
      item.done_at.reset();
    }
    if (item.done && (!before || !before->done)) newly_done.push_back(item.id);
  }
  for (auto& [id, entry] : *stored) {
    if (entry.found) continue;
    Item item = entry.item;
    const bool handover = id.rfind("handover:", 0) == 0;
    if (item.automatic && !handover && !item.done) {
      item.done = true;
      item.done_at = now;
      item.done_how = done_by_absence(item, gone);
      newly_done.push_back(id);
    }
    list.items.push_back(std::move(item));
  }

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
  for (const auto& item : list.items) {
    upsert->reset();
    upsert->bind(1, list.person).bind(2, item.id).bind(3, position++);
    upsert->bind(4, std::string(to_string(item.section))).bind(5, item.text);
    upsert->bind(6, json_text(item.details)).bind(7, optional_text(item.due));
    upsert->bind(8, item.due_rule).bind(9, std::int64_t{item.automatic ? 1 : 0});
    upsert->bind(10, format_rfc3339(now)).bind(11, optional_text(item.done_at));
    upsert->bind(12, item.done ? item.done_how : std::string());
    if (auto ran = upsert->run(); !ran) return ran.error();
  }
  if (stored->empty() && !routes.empty()) {
    // The key is the same for every sink and every attempt of this one announcement.
    const std::string id = checks::finding_fingerprint("offboarding_checklist/opened", list.person,
                                                       format_rfc3339(now));
    const auto alert = checklist_alert(list, now, id);
    store::Outbox outbox(*m_db);
    for (const auto& route : routes) {
      if (route.min_severity > checks::Severity::info) continue;
      if (auto queued =
              outbox.enqueue(route.sink, alert["fingerprint"], "opened", json_text(alert), id, now);
          !queued)
        return queued.error();
    }
  }
  if (auto committed = transaction->commit(); !committed) return committed.error();
  return newly_done;
}

Result<void> ChecklistStore::tick(const std::string& person, const std::string& item,
                                  const std::string& by, Instant now) {
  auto items = load(*m_db, person);
  if (!items) return items.error();
  auto it = items->find(item);
  if (it == items->end()) {
    std::string known;
    for (const auto& [id, stored] : *items)
      if (!stored.item.automatic) known += (known.empty() ? "" : ", ") + id;
    return make_error("the checklist of " + person + " has no item '" + item + "'" +
                      (known.empty() ? std::string() : " (items to tick by hand: " + known + ")"));
  }
  if (it->second.item.automatic)
    return make_error("item '" + item + "' ticks itself when a scan sees it done");
  auto stmt = m_db->prepare(
      "UPDATE checklist_items SET done_at = ?, done_how = ? WHERE person = ? AND item = ?");
  if (!stmt) return stmt.error();
  stmt->bind(1, format_rfc3339(now)).bind(2, "ticked by " + by).bind(3, person).bind(4, item);
  return stmt->run();
}

Result<Checklist> ChecklistStore::gone(const std::string& person, Instant now) const {
  auto items = load(*m_db, person);
  if (!items) return items.error();
  Checklist list;
  list.now = now;
  list.person = person;
  list.account = "gone";
  // Only the items that do not tick by absence are carried: reconcile ticks the rest.
  for (auto& [id, stored] : *items)
    if (!stored.item.automatic || id.rfind("handover:", 0) == 0)
      list.items.push_back(std::move(stored.item));
  return list;
}

}  // namespace secondsight::checklist
