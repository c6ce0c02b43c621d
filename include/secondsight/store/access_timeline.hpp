// The timeline of access as the state database keeps it: each stretch a right of a seconded
// person was held (directory::AccessSpan), and the first and latest observation. Only what
// changes is written: a right still held is not rewritten at every observation.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "secondsight/core/result.hpp"
#include "secondsight/core/time.hpp"
#include "secondsight/directory/timeline.hpp"
#include "secondsight/store/database.hpp"

namespace secondsight::store {

struct TimelineRead {
  directory::AccessTimeline timeline;
  std::optional<Instant> first_observation;
  std::optional<Instant> latest_observation;
  std::int64_t damaged = 0;  // rows that could not be read, and were left out
};

class AccessTimelineStore {
 public:
  explicit AccessTimelineStore(Database& db) : m_db(&db) {}

  // The timeline as kept.
  Result<TimelineRead> load() const;
  // Records an observation at `at` that saw exactly `facts` (every right of every tracked
  // person): a right not held before begins a span, a held right missing from `facts` is seen
  // gone at `at`. Two observations may share a second (changes followed as they come); one
  // earlier than the latest changes nothing (a clock set back, a scan of the past): the timeline
  // is returned as kept. One transaction.
  Result<TimelineRead> observe(const std::vector<directory::AccessFact>& facts, Instant at);

 private:
  Database* m_db;
};

}  // namespace secondsight::store
