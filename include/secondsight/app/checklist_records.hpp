// The offboarding checklists kept across scans: their items in the store, merged with what a
// scan builds (checklist/progress.hpp), and the alert of a checklist that appears, written in
// one transaction.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "secondsight/checklist/checklist.hpp"
#include "secondsight/core/result.hpp"
#include "secondsight/core/time.hpp"
#include "secondsight/findings/change.hpp"
#include "secondsight/store/database.hpp"

namespace secondsight::app {

class ChecklistRecords {
 public:
  explicit ChecklistRecords(store::Database& db) : m_db(&db) {}

  // What earlier checklists of the person held.
  Result<checklist::Earlier> earlier(const std::string& person) const;
  // Everyone who has had a checklist, and whether it still has an item not done.
  Result<std::map<std::string, bool, std::less<>>> kept() const;

  // Merges the checklist as built now with what is stored (checklist::merge_stored) and
  // stores the result, in one transaction. Returns the ids of items seen done in this call. A
  // checklist that appears for the first time is announced, in the same transaction, to each
  // route that takes severity info (an "offboarding_checklist" alert).
  Result<std::vector<std::string>> reconcile(checklist::Checklist& list, Instant now,
                                             const std::vector<findings::AlertRoute>& routes = {});

  // Merges the checklist as built now with what is stored, as reconcile does, storing nothing.
  Result<void> merge(checklist::Checklist& list, Instant now) const;

  // Ticks a manual item. An unknown item, or one that ticks itself, is an error that says so.
  Result<void> tick(const std::string& person, const std::string& item, const std::string& by,
                    Instant now);

  // The checklist of a person who is no longer in the directory, as last stored, for
  // reconcile to tick what their leaving did.
  Result<checklist::Checklist> gone(const std::string& person, Instant now) const;

 private:
  store::Database* m_db;
};

}  // namespace secondsight::app
