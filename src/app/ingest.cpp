#include "secondsight/app/ingest.hpp"

#include <memory>

#include "secondsight/activity/attribution.hpp"
#include "secondsight/activity/journal.hpp"
#include "secondsight/activity/parser.hpp"
#include "secondsight/activity/tail.hpp"
#include "secondsight/core/logging.hpp"
#include "secondsight/store/activity_store.hpp"

namespace secondsight::app {
namespace {

constexpr std::size_t k_journal_batch = 5000;

// Turns parsed events into stored ones and keeps the figures.
class Attributor {
 public:
  Attributor(const config::LogSourceConfig& source, const config::Policy& policy,
             const directory::DirectorySnapshot& snapshot, SourceFigures& figures)
      : m_source(source), m_policy(policy), m_snapshot(snapshot), m_figures(figures) {}

  void add(const activity::RawEvent& event, std::vector<store::AttributedEvent>& out) {
    store::AttributedEvent stored;
    stored.time = event.time;
    stored.host = event.host.empty() ? m_source.host : event.host;
    stored.action = event.action;
    stored.resource = event.resource;
    stored.source = m_source.name;
    const directory::Person* person = nullptr;
    if (!event.user.empty()) {
      stored.identity = event.user;
      person = m_snapshot.resolve_identity(event.user);
    }
    if (!person && event.uid) {
      if (stored.identity.empty()) stored.identity = "uid:" + std::to_string(*event.uid);
      person = m_snapshot.find_person_by_uid(*event.uid);
    }
    if (person)
      stored.person = person->id;
    else
      ++m_figures.unresolved;
    stored.systems = activity::attribute(event, stored.host, m_source, m_policy);
    if (stored.systems.empty()) ++m_figures.unattributed;
    ++m_figures.events;
    out.push_back(std::move(stored));
  }

 private:
  const config::LogSourceConfig& m_source;
  const config::Policy& m_policy;
  const directory::DirectorySnapshot& m_snapshot;
  SourceFigures& m_figures;
};

store::SourcePosition to_stored(const activity::TailPosition& p) {
  return {p.device, p.inode, p.fingerprint, p.fingerprint_length, p.offset, {}, p.known};
}

activity::TailPosition to_tail(const store::SourcePosition& p) {
  return {p.device, p.inode, p.fingerprint, p.fingerprint_length, p.offset, p.known};
}

// Stores one batch's events and the position after it, together or not at all.
Result<void> commit_batch(store::Database& database, store::ActivityStore& activity,
                          const std::string& source,
                          const std::vector<store::AttributedEvent>& events,
                          const store::SourcePosition& position, Instant now) {
  auto transaction = store::Transaction::begin(database);
  if (!transaction) return transaction.error();
  if (auto added = activity.add(events); !added) return added.error();
  if (auto saved = activity.save_position(source, position, now); !saved) return saved.error();
  return transaction->commit();
}

Result<void> ingest_file(const config::LogSourceConfig& source, activity::LogParser& parser,
                         Attributor& attributor, store::Database& database,
                         store::ActivityStore& activity, SourceFigures& figures,
                         const IngestOptions& options) {
  auto saved = activity.position(source.name);
  if (!saved) return saved.error();
  activity::FileTailer tailer(source.path, to_tail(*saved));
  activity::TailPosition committed = to_tail(*saved);
  std::vector<activity::RawEvent> parsed;
  std::vector<store::AttributedEvent> events;
  for (;;) {
    auto batch = tailer.next_batch(options.batch_bytes, options.wall_now);
    if (!batch) return batch.error();
    for (auto& note : batch->notes) logger("activity")->info("{}", note);
    for (auto& warning : batch->warnings) {
      logger("activity")->warn("{}", warning);
      figures.warnings.push_back(std::move(warning));
    }
    events.clear();
    for (const auto& line : batch->lines) {
      ++figures.lines;
      parsed.clear();
      if (parser.parse(line, parsed) == activity::LineKind::damaged) ++figures.skipped;
      for (const auto& event : parsed) attributor.add(event, events);
    }
    const auto& after = batch->after;
    if (!batch->lines.empty() || after.known != committed.known ||
        after.device != committed.device || after.inode != committed.inode ||
        after.offset != committed.offset || after.fingerprint != committed.fingerprint) {
      if (auto done =
              commit_batch(database, activity, source.name, events, to_stored(after), options.now);
          !done)
        return done.error();
      committed = after;
    }
    if (!batch->more) return {};
  }
}

Result<void> ingest_journal(const config::LogSourceConfig& source, Attributor& attributor,
                            store::Database& database, store::ActivityStore& activity,
                            SourceFigures& figures, const IngestOptions& options) {
  auto reader = activity::JournalReader::open(source.path, source.match);
  if (!reader) return reader.error();
  auto saved = activity.position(source.name);
  if (!saved) return saved.error();
  std::string cursor = saved->cursor;
  std::vector<store::AttributedEvent> events;
  for (;;) {
    auto entries = (*reader)->next_batch(cursor, k_journal_batch);
    if (!entries) return entries.error();
    if (entries->empty()) return {};
    events.clear();
    for (const auto& entry : *entries) {
      ++figures.lines;
      // The journal has no damaged lines: a MESSAGE that is no login is simply no event.
      if (auto event = activity::parse_sshd_message(entry.message, entry.time, entry.hostname))
        attributor.add(*event, events);
    }
    cursor = entries->back().cursor;
    store::SourcePosition position;
    position.cursor = cursor;
    position.known = true;
    if (auto committed =
            commit_batch(database, activity, source.name, events, position, options.now);
        !committed)
      return committed.error();
    if (entries->size() < k_journal_batch) return {};
  }
}

}  // namespace

std::vector<SourceFigures> ingest_logs(const config::Config& config, const config::Policy& policy,
                                       const directory::DirectorySnapshot& snapshot,
                                       store::Database& database, const IngestOptions& options) {
  std::vector<SourceFigures> all;
  store::ActivityStore activity(database, config.zone);
  const activity::ParserContext context{config.zone, options.now};
  for (const auto& source : config.audit_logs) {
    SourceFigures figures;
    figures.name = source.name;
    figures.format = source.format;
    Attributor attributor(source, policy, snapshot, figures);
    Result<void> done;
    if (source.format == "journal") {
      done = ingest_journal(source, attributor, database, activity, figures, options);
    } else {
      auto parser = activity::make_parser(source, context);
      done = parser
                 ? ingest_file(source, **parser, attributor, database, activity, figures, options)
                 : Result<void>(parser.error());
    }
    if (!done) {
      figures.ok = false;
      figures.error = done.error().message;
      logger("activity")->error("{}: {}", source.name, figures.error);
    }
    all.push_back(std::move(figures));
  }
  auto pruned =
      activity.prune_events(add_local_days(options.now, -config.event_retention_days, config.zone));
  if (!pruned) logger("activity")->warn("could not prune old events: {}", pruned.error().message);
  return all;
}

}  // namespace secondsight::app
