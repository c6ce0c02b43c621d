// The checklists' state across scans: each item once seen, and when it was seen done.
#pragma once

#include <map>
#include <string>

#include "secondsight/checklist/checklist.hpp"
#include "secondsight/core/result.hpp"
#include "secondsight/store/database.hpp"
#include "secondsight/store/outbox.hpp"

namespace secondsight::checklist {

class ChecklistStore {
 public:
  explicit ChecklistStore(store::Database& db) : m_db(&db) {}

  // What earlier checklists of the person held.
  Result<Earlier> earlier(const std::string& person) const;
  // Everyone who has had a checklist, and whether it still has an item not done: one query
  // per scan, not one per person in the directory.
  Result<std::map<std::string, bool, std::less<>>> kept() const;

  // Merges the checklist as built now with what is stored, in one transaction: an item seen
  // done for the first time gets done_at = now; an automatic item that is no longer built
  // (the group membership is gone) is done; manual items keep their ticks. `list` ends up with
  // every item and its done_at. Returns the ids of items seen done in this call. A checklist
  // that appears for the first time is announced, in the same transaction, to each route that
  // takes severity info (an "offboarding_checklist" alert).
  Result<std::vector<std::string>> reconcile(Checklist& list, Instant now,
                                             const std::vector<store::AlertRoute>& routes = {});

  // Ticks a manual item. An unknown item, or one that ticks itself, is an error that says so.
  Result<void> tick(const std::string& person, const std::string& item, const std::string& by,
                    Instant now);

  // The checklist of a person who is no longer in the directory, as last stored, for
  // reconcile to tick what their leaving did.
  Result<Checklist> gone(const std::string& person, Instant now) const;

 private:
  store::Database* m_db;
};

}  // namespace secondsight::checklist
