// The rows of offboarding checklists across scans: each item once seen, and when it was seen
// done. Plain rows: what the items mean is the checklist's.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "secondsight/core/result.hpp"
#include "secondsight/core/time.hpp"
#include "secondsight/store/database.hpp"

namespace secondsight::store {

struct ChecklistItemRow {
  std::string item;     // the item's id
  std::string section;  // as the checklist names it
  std::string text;
  std::string details;  // JSON
  std::optional<Instant> due;
  std::string due_rule;
  bool automatic = false;
  std::optional<Instant> done_at;
  std::string done_how;
};

class ChecklistRows {
 public:
  explicit ChecklistRows(Database& db) : m_db(&db) {}

  // A person's items, in their order.
  Result<std::vector<ChecklistItemRow>> items(const std::string& person) const;
  // Everyone who has had a checklist, and whether it still has an item not done: one query
  // per scan, not one per person in the directory.
  Result<std::map<std::string, bool, std::less<>>> kept() const;
  // Writes a person's items in this order (first_seen = now for items new to the store).
  // Call inside a Transaction.
  Result<void> write(const std::string& person, const std::vector<ChecklistItemRow>& items,
                     Instant now);
  // Marks one item done.
  Result<void> mark_done(const std::string& person, const std::string& item, Instant at,
                         const std::string& how);
  // Makes an automatic item that was seen done not done again (what ticked it, a handover,
  // was revoked), so that the next scan looks at it again even when the rest of the checklist
  // is done. False when the person has no such item done.
  Result<bool> reopen(const std::string& person, const std::string& item);

 private:
  Database* m_db;
};

}  // namespace secondsight::store
