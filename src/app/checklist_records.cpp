#include "secondsight/app/checklist_records.hpp"

#include "secondsight/alert/payload.hpp"
#include "secondsight/checklist/progress.hpp"
#include "secondsight/core/text.hpp"
#include "secondsight/store/checklist_rows.hpp"
#include "secondsight/store/outbox.hpp"

namespace secondsight::app {
namespace {

Result<std::vector<checklist::Item>> stored_items(store::Database& db, const std::string& person) {
  auto rows = store::ChecklistRows(db).items(person);
  if (!rows) return rows.error();
  std::vector<checklist::Item> out;
  out.reserve(rows->size());
  for (auto& row : *rows) {
    checklist::Item item;
    item.id = std::move(row.item);
    auto section = checklist::parse_section(row.section);
    if (!section) return section.error();
    item.section = *section;
    item.text = std::move(row.text);
    item.details = nlohmann::json::parse(row.details, nullptr, false);
    if (item.details.is_discarded()) item.details = nlohmann::json::object();
    item.due = row.due;
    item.due_rule = std::move(row.due_rule);
    item.automatic = row.automatic;
    item.done_at = row.done_at;
    item.done = item.done_at.has_value();
    item.done_how = std::move(row.done_how);
    out.push_back(std::move(item));
  }
  return out;
}

std::vector<store::ChecklistItemRow> rows_of(const checklist::Checklist& list) {
  std::vector<store::ChecklistItemRow> out;
  out.reserve(list.items.size());
  for (const auto& item : list.items) {
    store::ChecklistItemRow row;
    row.item = item.id;
    row.section = std::string(to_string(item.section));
    row.text = item.text;
    row.details = json_text(item.details);
    row.due = item.due;
    row.due_rule = item.due_rule;
    row.automatic = item.automatic;
    row.done_at = item.done_at;
    row.done_how = item.done ? item.done_how : std::string();
    out.push_back(std::move(row));
  }
  return out;
}

alert::ChecklistNotice notice_of(const checklist::Checklist& list) {
  alert::ChecklistNotice notice;
  notice.person = list.person;
  notice.agency = list.agency;
  notice.end_stated = list.end_stated;
  notice.manager = list.manager;
  for (const auto& item : list.items) notice.open_items += item.done ? 0 : 1;
  notice.items = list.items.size();
  return notice;
}

}  // namespace

Result<checklist::Earlier> ChecklistRecords::earlier(const std::string& person) const {
  auto items = stored_items(*m_db, person);
  if (!items) return items.error();
  return checklist::earlier_of(*items);
}

Result<std::map<std::string, bool, std::less<>>> ChecklistRecords::kept() const {
  return store::ChecklistRows(*m_db).kept();
}

Result<void> ChecklistRecords::merge(checklist::Checklist& list, Instant now) const {
  auto stored = stored_items(*m_db, list.person);
  if (!stored) return stored.error();
  checklist::merge_stored(list, *stored, now);
  return {};
}

Result<std::vector<std::string>> ChecklistRecords::reconcile(
    checklist::Checklist& list, Instant now, const std::vector<findings::AlertRoute>& routes) {
  auto transaction = store::Transaction::begin(*m_db);
  if (!transaction) return transaction.error();
  auto stored = stored_items(*m_db, list.person);
  if (!stored) return stored.error();
  auto newly_done = checklist::merge_stored(list, *stored, now);
  if (auto written = store::ChecklistRows(*m_db).write(list.person, rows_of(list), now); !written)
    return written.error();
  if (stored->empty() && !routes.empty()) {
    // The key is the same for every sink and every attempt of this one announcement.
    const std::string id = findings::finding_fingerprint("offboarding_checklist/opened",
                                                         list.person, format_rfc3339(now));
    const auto alert = alert::checklist_alert_payload(notice_of(list), now, id);
    store::Outbox outbox(*m_db);
    for (const auto& route : routes) {
      if (route.min_severity > Severity::info) continue;
      if (auto queued =
              outbox.enqueue(route.sink, alert["fingerprint"], "opened", json_text(alert), id, now);
          !queued)
        return queued.error();
    }
  }
  if (auto committed = transaction->commit(); !committed) return committed.error();
  return newly_done;
}

Result<void> ChecklistRecords::tick(const std::string& person, const std::string& item,
                                    const std::string& by, Instant now) {
  auto items = stored_items(*m_db, person);
  if (!items) return items.error();
  if (auto allowed = checklist::can_tick(*items, person, item); !allowed) return allowed;
  return store::ChecklistRows(*m_db).mark_done(person, item, now, "ticked by " + by);
}

Result<checklist::Checklist> ChecklistRecords::gone(const std::string& person, Instant now) const {
  auto items = stored_items(*m_db, person);
  if (!items) return items.error();
  return checklist::gone_checklist(person, *items, now);
}

}  // namespace secondsight::app
