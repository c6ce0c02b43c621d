// Activity across scans: per person and system daily counts with first and last seen, each
// system's coverage start, access events for a window, and the log sources' positions.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "secondsight/activity/view.hpp"
#include "secondsight/core/result.hpp"
#include "secondsight/core/time.hpp"
#include "secondsight/store/database.hpp"

namespace secondsight::store {

// An access event after identity resolution and attribution.
struct AttributedEvent {
  Instant time;
  std::optional<std::string> person;  // nullopt: the identity resolved to no one
  std::string identity;               // as logged: user name, email, or "uid:N"
  std::vector<std::string> systems;   // empty: no system's activity rules match
  std::string source;
  std::string host;
  std::string action;
  std::string resource;
};

// Where a source was read up to (files: identity and offset; journal: cursor).
struct SourcePosition {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  std::string fingerprint;
  std::uint64_t fingerprint_length = 0;
  std::uint64_t offset = 0;
  std::string cursor;
  bool known = false;
};

// One batch of activity, folded: per person, system ('' = none) and local day the number of
// events and their first and last time; per system its earliest event; and the events kept
// for evidence.
struct ActivityBatch {
  struct Day {
    std::uint64_t events = 0;
    Instant first_seen;
    Instant last_seen;
  };
  std::map<std::tuple<std::string, std::string, std::string>, Day> days;  // person, system, day
  std::map<std::string, Instant> coverage;
  std::vector<AttributedEvent> kept;  // at most k_events_kept_per_day per person/system/day
                                      // are stored, however many batches bring them

  bool empty() const { return days.empty() && coverage.empty() && kept.empty(); }
};

// One person's events on one system ('' = none) on one local calendar day.
struct DailyCount {
  std::string system;
  std::string day;  // YYYY-MM-DD
  std::uint64_t events = 0;
};

class ActivityStore {
 public:
  // Events kept one by one per person, system and local day, as evidence: examples, not every
  // event; the daily counts hold the rest.
  static constexpr std::uint64_t k_events_kept_per_day = 20;

  ActivityStore(Database& db, Zone zone) : m_db(&db), m_zone(zone) {}

  // Adds a batch to the daily counts, coverage and event window. Call inside a Transaction,
  // together with save_position for the same batch.
  Result<void> add(const ActivityBatch& batch);
  Result<SourcePosition> position(const std::string& source);
  Result<void> save_position(const std::string& source, const SourcePosition& position,
                             Instant now);

  // What the checks read: activity up to `now`.
  Result<activity::ActivityView> snapshot(Instant now);
  // A person's events in (after, until], oldest first, at most `limit` (for evidence).
  Result<std::vector<activity::EventSample>> events_of(const std::string& person, Instant after,
                                                       Instant until, std::size_t limit);
  // A person's daily counts from local day `from` (YYYY-MM-DD) on, by system, then day.
  Result<std::vector<DailyCount>> daily_of(const std::string& person, const std::string& from);
  // Drops stored events older than `before` (daily counts and coverage are kept).
  Result<void> prune_events(Instant before);

 private:
  Database* m_db;
  Zone m_zone;
};

}  // namespace secondsight::store
