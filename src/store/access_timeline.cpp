#include "secondsight/store/access_timeline.hpp"

#include <algorithm>
#include <string>
#include <unordered_set>
#include <utility>

#include "secondsight/core/logging.hpp"

namespace secondsight::store {

namespace {

using directory::AccessFact;
using directory::AccessSpan;

std::optional<Instant> optional_time(const std::optional<std::string>& text, bool& damaged) {
  if (!text) return std::nullopt;
  auto at = parse_rfc3339(*text);
  if (!at) {
    damaged = true;
    return std::nullopt;
  }
  return *at;
}

Result<void> read_observations(Database& db, TimelineRead& out) {
  auto stmt = db.prepare("SELECT first, latest FROM access_observations WHERE one = 1");
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return row.error();
  if (!*row) return {};
  bool damaged = false;
  out.first_observation = optional_time(stmt->column_optional_text(0), damaged);
  out.latest_observation = optional_time(stmt->column_optional_text(1), damaged);
  if (damaged || !out.first_observation || !out.latest_observation)
    return make_error("state database " + db.path().string() +
                      ": the access timeline's observation times are damaged");
  return {};
}

Result<std::vector<AccessSpan>> read_spans(Database& db, Instant latest, std::int64_t& damaged) {
  auto stmt = db.prepare(
      "SELECT person, kind, subject, first_seen, appeared_after, last_seen, gone "
      "FROM access_spans");
  if (!stmt) return stmt.error();
  std::vector<AccessSpan> spans;
  for (;;) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) break;
    bool bad = false;
    AccessSpan span;
    span.fact.person = stmt->column_text(0);
    auto kind = directory::parse_access_kind(stmt->column_text(1));
    span.fact.subject = stmt->column_text(2);
    auto first_seen = optional_time(stmt->column_optional_text(3), bad);
    span.appeared_after = optional_time(stmt->column_optional_text(4), bad);
    auto last_seen = optional_time(stmt->column_optional_text(5), bad);
    span.gone = optional_time(stmt->column_optional_text(6), bad);
    if (bad || !kind || !first_seen || last_seen.has_value() != span.gone.has_value()) {
      ++damaged;
      continue;
    }
    span.fact.kind = *kind;
    span.first_seen = *first_seen;
    span.last_seen = last_seen.value_or(latest);
    spans.push_back(std::move(span));
  }
  return spans;
}

}  // namespace

Result<TimelineRead> AccessTimelineStore::load() const {
  TimelineRead out;
  if (auto read = read_observations(*m_db, out); !read) return read.error();
  if (!out.latest_observation) return out;
  auto spans = read_spans(*m_db, *out.latest_observation, out.damaged);
  if (!spans) return spans.error();
  if (out.damaged > 0)
    logger("store")->warn("access timeline: {} damaged rows left out", out.damaged);
  out.timeline = directory::AccessTimeline(std::move(*spans));
  return out;
}

Result<TimelineRead> AccessTimelineStore::observe(const std::vector<AccessFact>& facts,
                                                  Instant at) {
  auto transaction = Transaction::begin(*m_db);
  if (!transaction) return transaction.error();
  TimelineRead before;
  if (auto read = read_observations(*m_db, before); !read) return read.error();
  if (before.latest_observation && at < *before.latest_observation) return load();

  std::vector<AccessSpan> spans;
  if (before.latest_observation) {
    auto read = read_spans(*m_db, *before.latest_observation, before.damaged);
    if (!read) return read.error();
    spans = std::move(*read);
  }
  const std::string at_text = format_rfc3339(at);
  const std::optional<std::string> previous_text =
      before.latest_observation ? std::optional(format_rfc3339(*before.latest_observation))
                                : std::nullopt;

  // Held spans no longer seen end here.
  const std::unordered_set<AccessFact, directory::AccessFactHash> seen(facts.begin(), facts.end());
  std::unordered_set<AccessFact, directory::AccessFactHash> held;
  auto close = m_db->prepare(
      "UPDATE access_spans SET last_seen = ?5, gone = ?6 WHERE person = ?1 AND kind = ?2 AND "
      "subject = ?3 AND first_seen = ?4");
  if (!close) return close.error();
  for (auto& span : spans) {
    if (!span.held()) continue;
    if (seen.count(span.fact)) {
      held.insert(span.fact);
      span.last_seen = at;
      continue;
    }
    close->bind(1, span.fact.person)
        .bind(2, directory::to_string(span.fact.kind))
        .bind(3, span.fact.subject)
        .bind(4, format_rfc3339(span.first_seen))
        .bind(5, *previous_text)
        .bind(6, at_text);
    auto done = close->run();
    close->reset();
    if (!done) return done.error();
    span.gone = at;
  }

  // Rights not held before begin.
  auto begin = m_db->prepare(
      "INSERT INTO access_spans (person, kind, subject, first_seen, appeared_after) "
      "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO UPDATE SET last_seen = NULL, gone = NULL");
  if (!begin) return begin.error();
  for (const auto& fact : facts) {
    if (held.count(fact)) continue;
    begin->bind(1, fact.person)
        .bind(2, directory::to_string(fact.kind))
        .bind(3, fact.subject)
        .bind(4, at_text)
        .bind(5, previous_text);
    auto done = begin->run();
    begin->reset();
    if (!done) return done.error();
    held.insert(fact);
    // Gone and back within one second: the span that began in it goes on.
    auto same = spans.end();
    if (before.latest_observation == at)
      same = std::find_if(spans.begin(), spans.end(), [&](const AccessSpan& span) {
        return span.fact == fact && span.first_seen == at;
      });
    if (same != spans.end())
      same->gone.reset();
    else
      spans.push_back({fact, at, before.latest_observation, at, std::nullopt});
  }

  auto observed = m_db->prepare(
      "INSERT INTO access_observations (one, first, latest) VALUES (1, ?1, ?1) "
      "ON CONFLICT (one) DO UPDATE SET latest = excluded.latest");
  if (!observed) return observed.error();
  observed->bind(1, at_text);
  if (auto done = observed->run(); !done) return done.error();
  if (auto committed = transaction->commit(); !committed) return committed.error();

  if (before.damaged > 0)
    logger("store")->warn("access timeline: {} damaged rows left out", before.damaged);
  TimelineRead out;
  out.first_observation = before.first_observation.value_or(at);
  out.latest_observation = at;
  out.damaged = before.damaged;
  out.timeline = directory::AccessTimeline(std::move(spans));
  return out;
}

}  // namespace secondsight::store
