#include "secondsight/store/activity_store.hpp"

#include <chrono>
#include <tuple>

namespace secondsight::store {
namespace {

std::int64_t unix_seconds(Instant at) {
  return at.time_since_epoch().count();
}
Instant from_unix(std::int64_t seconds) {
  return Instant{std::chrono::seconds{seconds}};
}

}  // namespace

Result<void> ActivityStore::add(const ActivityBatch& batch) {
  if (batch.empty()) return {};
  // The cap counts what earlier batches stored too, so what is kept does not depend on where
  // the batches were cut.
  auto insert = m_db->prepare(
      "INSERT INTO access_events (time, person, identity, system, source, host, action, "
      "resource, day) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 WHERE (SELECT count(*) FROM "
      "access_events WHERE person IS ?2 AND system = ?4 AND day = ?9) < ?10");
  if (!insert) return insert.error();
  static const std::vector<std::string> k_unattributed{std::string()};
  for (const auto& event : batch.kept) {
    const std::string day = format_date(local_date(event.time, m_zone));
    for (const auto& system : event.systems.empty() ? k_unattributed : event.systems) {
      insert->bind(1, unix_seconds(event.time))
          .bind(2, event.person)
          .bind(3, event.identity)
          .bind(4, system)
          .bind(5, event.source)
          .bind(6, event.host)
          .bind(7, event.action)
          .bind(8, event.resource)
          .bind(9, day)
          .bind(10, static_cast<std::int64_t>(k_events_kept_per_day));
      if (auto done = insert->run(); !done) return done.error();
      insert->reset();
    }
  }

  auto upsert_day = m_db->prepare(
      "INSERT INTO activity_daily (person, system, day, events, first_seen, last_seen) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (person, system, day) DO UPDATE SET "
      "events = events + excluded.events, first_seen = min(first_seen, excluded.first_seen), "
      "last_seen = max(last_seen, excluded.last_seen)");
  if (!upsert_day) return upsert_day.error();
  for (const auto& [key, totals] : batch.days) {
    const auto& [person, system, day] = key;
    upsert_day->bind(1, person)
        .bind(2, system)
        .bind(3, day)
        .bind(4, static_cast<std::int64_t>(totals.events))
        .bind(5, unix_seconds(totals.first_seen))
        .bind(6, unix_seconds(totals.last_seen));
    if (auto done = upsert_day->run(); !done) return done.error();
    upsert_day->reset();
  }

  auto upsert_coverage = m_db->prepare(
      "INSERT INTO system_coverage (system, first_event) VALUES (?1, ?2) ON CONFLICT (system) "
      "DO UPDATE SET first_event = min(first_event, excluded.first_event)");
  if (!upsert_coverage) return upsert_coverage.error();
  for (const auto& [system, first] : batch.coverage) {
    upsert_coverage->bind(1, system).bind(2, unix_seconds(first));
    if (auto done = upsert_coverage->run(); !done) return done.error();
    upsert_coverage->reset();
  }
  return {};
}

Result<SourcePosition> ActivityStore::position(const std::string& source) {
  auto select = m_db->prepare(
      "SELECT device, inode, fingerprint, fingerprint_length, offset, cursor FROM log_positions "
      "WHERE source = ?1");
  if (!select) return select.error();
  select->bind(1, source);
  auto row = select->step();
  if (!row) return row.error();
  SourcePosition out;
  if (!*row) return out;
  out.device = static_cast<std::uint64_t>(select->column_int(0));
  out.inode = static_cast<std::uint64_t>(select->column_int(1));
  out.fingerprint = select->column_text(2);
  out.fingerprint_length = static_cast<std::uint64_t>(select->column_int(3));
  out.offset = static_cast<std::uint64_t>(select->column_int(4));
  out.cursor = select->column_text(5);
  out.known = true;
  return out;
}

Result<void> ActivityStore::save_position(const std::string& source, const SourcePosition& position,
                                          Instant now) {
  auto upsert = m_db->prepare(
      "INSERT INTO log_positions (source, device, inode, fingerprint, fingerprint_length, "
      "offset, cursor, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (source) "
      "DO UPDATE SET device = excluded.device, inode = excluded.inode, fingerprint = "
      "excluded.fingerprint, fingerprint_length = excluded.fingerprint_length, offset = "
      "excluded.offset, cursor = excluded.cursor, updated_at = excluded.updated_at");
  if (!upsert) return upsert.error();
  upsert->bind(1, source)
      .bind(2, static_cast<std::int64_t>(position.device))
      .bind(3, static_cast<std::int64_t>(position.inode))
      .bind(4, position.fingerprint)
      .bind(5, static_cast<std::int64_t>(position.fingerprint_length))
      .bind(6, static_cast<std::int64_t>(position.offset))
      .bind(7, position.cursor)
      .bind(8, format_rfc3339(now));
  return upsert->run();
}

Result<activity::ActivityView> ActivityStore::snapshot(Instant now) {
  activity::ActivityView out;
  const std::int64_t until = unix_seconds(now);
  auto days = m_db->prepare(
      "SELECT person, system, day, events, first_seen, min(last_seen, ?1) FROM activity_daily "
      "WHERE first_seen <= ?1 ORDER BY person, system, day");
  if (!days) return days.error();
  days->bind(1, until);
  for (;;) {
    auto row = days->step();
    if (!row) return row.error();
    if (!*row) break;
    auto day = parse_iso_date(days->column_text(2));
    if (!day)
      return make_error("state database: activity_daily has a bad day '" + days->column_text(2) +
                        "'");
    out.days[days->column_text(0)][days->column_text(1)].push_back(
        activity::DayActivity{*day, static_cast<std::uint64_t>(days->column_int(3)),
                              from_unix(days->column_int(4)), from_unix(days->column_int(5))});
  }
  auto coverage =
      m_db->prepare("SELECT system, first_event FROM system_coverage WHERE first_event <= ?1");
  if (!coverage) return coverage.error();
  coverage->bind(1, until);
  for (;;) {
    auto row = coverage->step();
    if (!row) return row.error();
    if (!*row) break;
    out.coverage_start[coverage->column_text(0)] = from_unix(coverage->column_int(1));
  }
  return out;
}

Result<std::vector<activity::EventSample>> ActivityStore::events_of(const std::string& person,
                                                                    Instant after, Instant until,
                                                                    std::size_t limit) {
  auto select = m_db->prepare(
      "SELECT time, system, source, host, action, resource FROM access_events WHERE person = ?1 "
      "AND time > ?2 AND time <= ?3 ORDER BY time, system LIMIT ?4");
  if (!select) return select.error();
  select->bind(1, person)
      .bind(2, unix_seconds(after))
      .bind(3, unix_seconds(until))
      .bind(4, static_cast<std::int64_t>(limit));
  std::vector<activity::EventSample> out;
  for (;;) {
    auto row = select->step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back({from_unix(select->column_int(0)), select->column_text(1), select->column_text(2),
                   select->column_text(3), select->column_text(4), select->column_text(5)});
  }
  return out;
}

Result<void> ActivityStore::prune_events(Instant before) {
  auto remove = m_db->prepare("DELETE FROM access_events WHERE time < ?1");
  if (!remove) return remove.error();
  remove->bind(1, unix_seconds(before));
  return remove->run();
}

Result<std::vector<DailyCount>> ActivityStore::daily_of(const std::string& person,
                                                        const std::string& from) {
  // The primary key (person, system, day) finds the person's rows; few per system and day.
  auto stmt = m_db->prepare(
      "SELECT system, day, events FROM activity_daily WHERE person = ?1 AND day >= ?2 "
      "ORDER BY system, day");
  if (!stmt) return stmt.error();
  stmt->bind(1, person).bind(2, from);
  std::vector<DailyCount> out;
  for (;;) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back({stmt->column_text(0), stmt->column_text(1),
                   static_cast<std::uint64_t>(stmt->column_int(2))});
  }
  return out;
}

}  // namespace secondsight::store
