#include "secondsight/app/ingest.hpp"

#include <map>
#include <memory>
#include <optional>
#include <unordered_map>

#include "secondsight/activity/attribution.hpp"
#include "secondsight/activity/journal.hpp"
#include "secondsight/activity/parser.hpp"
#include "secondsight/activity/tail.hpp"
#include "secondsight/checks/context.hpp"
#include "secondsight/core/logging.hpp"
#include "secondsight/store/activity_store.hpp"

namespace secondsight::app {
namespace {

constexpr std::size_t k_journal_batch = 5000;
// Events kept one by one per person, system and local day, as evidence.
constexpr std::uint64_t k_kept_per_day = 20;
// Input folded between two commits: fewer, larger transactions; the tail batches that feed
// them stay small, so memory does not grow with this.
constexpr std::uint64_t k_commit_bytes = 64ULL << 20;

// Folds parsed events into a batch for the store, as cheaply as a busy server's logs need:
// identities, attributions and local days are looked up once and cached; counts are kept under
// integer keys; only events that can become evidence are kept one by one.
class EventFolder {
 public:
  EventFolder(const config::Config& config, const config::Policy& policy,
              const checks::Evaluation& evaluation)
      : m_policy(policy), m_evaluation(evaluation), m_zone(config.zone) {}

  void begin_source(const config::LogSourceConfig& source, SourceFigures& figures) {
    m_source = &source;
    m_figures = &figures;
    m_attribution.clear();  // rules can name a source: attributions differ per source
  }

  void add(const activity::RawEvent& event) {
    ++m_figures->events;
    const std::string& host = event.host.empty() ? m_source->host : event.host;
    const int person = person_of(event);
    if (person < 0) ++m_figures->unresolved;
    const auto& systems = systems_of(event, host);
    if (systems.empty()) ++m_figures->unattributed;
    const std::int32_t day = day_of(event.time);

    bool keep = false;
    const checks::PersonView* view =
        person >= 0 ? &m_evaluation.people()[static_cast<std::size_t>(person)] : nullptr;
    auto fold = [&](int system) {
      if (system >= 0) {
        auto& first = m_coverage[system];
        if (!first || event.time < *first) first = event.time;
      }
      if (!view) return;
      auto& day_totals = m_days[FoldKey{person, system, day}];
      if (day_totals.events == 0 || event.time < day_totals.first_seen)
        day_totals.first_seen = event.time;
      if (day_totals.events == 0 || event.time > day_totals.last_seen)
        day_totals.last_seen = event.time;
      ++day_totals.events;
      // Evidence needs examples, not every event: the daily counts hold the rest.
      keep =
          keep || (day_totals.events <= k_kept_per_day && is_evidence(*view, system, event.time));
    };
    if (systems.empty()) fold(-1);
    for (int system : systems) fold(system);
    if (keep) m_kept.push_back(stored_event(event, host, view, systems));
  }

  store::ActivityBatch take() {
    store::ActivityBatch batch;
    const auto& people = m_evaluation.snapshot().people;
    for (const auto& [key, totals] : m_days) {
      batch.days[{people[static_cast<std::size_t>(key.person)].id, system_id(key.system),
                  format_date(date::year_month_day{date::sys_days{date::days{key.day}}})}] = totals;
    }
    for (const auto& [system, first] : m_coverage)
      if (first) batch.coverage[system_id(system)] = *first;
    batch.kept = std::move(m_kept);
    m_days.clear();
    m_coverage.clear();
    m_kept.clear();
    return batch;
  }

 private:
  struct FoldKey {
    int person;
    int system;        // index in the policy, -1 for none
    std::int32_t day;  // local days since 1970-01-01
    bool operator==(const FoldKey&) const = default;
  };
  struct FoldKeyHash {
    std::size_t operator()(const FoldKey& k) const {
      return std::hash<std::uint64_t>()((static_cast<std::uint64_t>(k.person) << 32) ^
                                        (static_cast<std::uint64_t>(k.system + 1) << 20) ^
                                        static_cast<std::uint64_t>(k.day));
    }
  };

  std::string system_id(int system) const {
    return system < 0 ? std::string() : m_policy.systems[static_cast<std::size_t>(system)].id;
  }

  int person_of(const activity::RawEvent& event) {
    const auto& snapshot = m_evaluation.snapshot();
    auto index = [&](const directory::Person* p) {
      return p ? static_cast<int>(p - snapshot.people.data()) : -1;
    };
    if (!event.user.empty()) {
      auto it = m_by_user.find(event.user);
      if (it == m_by_user.end())
        it = m_by_user.emplace(event.user, index(snapshot.resolve_identity(event.user))).first;
      if (it->second >= 0 || !event.uid) return it->second;
    }
    if (event.uid) {
      auto it = m_by_uid.find(*event.uid);
      if (it == m_by_uid.end())
        it = m_by_uid.emplace(*event.uid, index(snapshot.find_person_by_uid(*event.uid))).first;
      return it->second;
    }
    return -1;
  }

  const std::vector<int>& systems_of(const activity::RawEvent& event, const std::string& host) {
    m_key.clear();
    for (const std::string* part : {&host, &event.key, &event.resource, &event.action}) {
      m_key += *part;
      m_key += '\x1f';
    }
    auto it = m_attribution.find(m_key);
    if (it != m_attribution.end()) return it->second;
    std::vector<int> systems;
    for (const auto& id : activity::attribute(event, host, *m_source, m_policy))
      systems.push_back(static_cast<int>(m_policy.find_system(id) - m_policy.systems.data()));
    return m_attribution.emplace(m_key, std::move(systems)).first->second;
  }

  // Events come mostly in time order: the local day of the previous one usually fits.
  std::int32_t day_of(Instant at) {
    if (at < m_day_start || at >= m_day_end) {
      auto day = local_date(at, m_zone);
      m_day = static_cast<std::int32_t>(date::sys_days{day}.time_since_epoch().count());
      m_day_start = start_of_local_day(date::local_days{day}, m_zone);
      m_day_end = end_of_local_day(day, m_zone);
    }
    return m_day;
  }

  // The events a finding may show: a seconded person's use after the end, or of a system
  // outside their need-to-know.
  bool is_evidence(const checks::PersonView& view, int system, Instant at) const {
    if (!view.seconded) return false;
    if (view.end && at >= *view.end) return true;
    if (system < 0) return false;
    const auto& s = m_policy.systems[static_cast<std::size_t>(system)];
    return s.externals_deny || !view.need_to_know.count(s.id);
  }

  store::AttributedEvent stored_event(const activity::RawEvent& event, const std::string& host,
                                      const checks::PersonView* view,
                                      const std::vector<int>& systems) const {
    store::AttributedEvent stored;
    stored.time = event.time;
    stored.person = view->person->id;
    stored.identity =
        event.user.empty() && event.uid ? "uid:" + std::to_string(*event.uid) : event.user;
    for (int system : systems) stored.systems.push_back(system_id(system));
    stored.source = m_source->name;
    stored.host = host;
    stored.action = event.action;
    stored.resource = event.resource;
    return stored;
  }

  const config::Policy& m_policy;
  const checks::Evaluation& m_evaluation;
  Zone m_zone;
  const config::LogSourceConfig* m_source = nullptr;
  SourceFigures* m_figures = nullptr;

  std::unordered_map<std::string, int> m_by_user;
  std::unordered_map<long long, int> m_by_uid;
  std::unordered_map<std::string, std::vector<int>> m_attribution;
  std::string m_key;
  std::int32_t m_day = 0;
  Instant m_day_start{}, m_day_end{};

  std::unordered_map<FoldKey, store::ActivityBatch::Day, FoldKeyHash> m_days;
  std::map<int, std::optional<Instant>> m_coverage;
  std::vector<store::AttributedEvent> m_kept;
};

store::SourcePosition to_stored(const activity::TailPosition& p) {
  return {p.device, p.inode, p.fingerprint, p.fingerprint_length, p.offset, {}, p.known};
}

activity::TailPosition to_tail(const store::SourcePosition& p) {
  return {p.device, p.inode, p.fingerprint, p.fingerprint_length, p.offset, p.known};
}

// Stores one batch's events and the position after it, together or not at all.
Result<void> commit_batch(store::Database& database, store::ActivityStore& activity,
                          const std::string& source, const store::ActivityBatch& batch,
                          const store::SourcePosition& position, Instant now) {
  auto transaction = store::Transaction::begin(database);
  if (!transaction) return transaction.error();
  if (auto added = activity.add(batch); !added) return added.error();
  if (auto saved = activity.save_position(source, position, now); !saved) return saved.error();
  return transaction->commit();
}

Result<void> ingest_file(const config::LogSourceConfig& source, activity::LogParser& parser,
                         EventFolder& folder, store::Database& database,
                         store::ActivityStore& activity, SourceFigures& figures,
                         const IngestOptions& options) {
  auto saved = activity.position(source.name);
  if (!saved) return saved.error();
  activity::FileTailer tailer(source.path, to_tail(*saved));
  activity::TailPosition committed = to_tail(*saved);
  std::vector<activity::RawEvent> parsed;
  std::uint64_t folded_bytes = 0;
  for (;;) {
    auto batch = tailer.next_batch(options.batch_bytes, options.wall_now);
    if (!batch) return batch.error();
    for (auto& note : batch->notes) logger("activity")->info("{}", note);
    for (auto& warning : batch->warnings) {
      logger("activity")->warn("{}", warning);
      figures.warnings.push_back(std::move(warning));
    }
    for (std::string_view line : batch->lines) {
      ++figures.lines;
      folded_bytes += line.size() + 1;
      parsed.clear();
      if (parser.parse(line, parsed) == activity::LineKind::damaged) ++figures.skipped;
      for (const auto& event : parsed) folder.add(event);
    }

    // The position is saved with what was read up to it, in one transaction.
    const auto& after = batch->after;
    const bool moved = after.known != committed.known || after.device != committed.device ||
                       after.inode != committed.inode || after.offset != committed.offset ||
                       after.fingerprint != committed.fingerprint;
    if (moved && (!batch->more || folded_bytes >= k_commit_bytes)) {
      if (auto done = commit_batch(database, activity, source.name, folder.take(), to_stored(after),
                                   options.now);
          !done)
        return done.error();
      committed = after;
      folded_bytes = 0;
    }
    if (!batch->more) return {};
  }
}

Result<void> ingest_journal(const config::LogSourceConfig& source, EventFolder& folder,
                            store::Database& database, store::ActivityStore& activity,
                            SourceFigures& figures, const IngestOptions& options) {
  auto reader = activity::JournalReader::open(source.path, source.match);
  if (!reader) return reader.error();
  auto saved = activity.position(source.name);
  if (!saved) return saved.error();
  std::string cursor = saved->cursor;
  for (;;) {
    auto entries = (*reader)->next_batch(cursor, k_journal_batch);
    if (!entries) return entries.error();
    if (entries->empty()) return {};
    for (const auto& entry : *entries) {
      ++figures.lines;
      // The journal has no damaged lines: a MESSAGE that is no login is simply no event.
      if (auto event = activity::parse_sshd_message(entry.message, entry.time, entry.hostname))
        folder.add(*event);
    }
    cursor = entries->back().cursor;
    store::SourcePosition position;
    position.cursor = cursor;
    position.known = true;
    if (auto committed =
            commit_batch(database, activity, source.name, folder.take(), position, options.now);
        !committed)
      return committed.error();
    if (entries->size() < k_journal_batch) return {};
  }
}

}  // namespace

std::vector<SourceFigures> ingest_logs(const config::Config& config, const config::Policy& policy,
                                       const checks::Evaluation& evaluation,
                                       store::Database& database, const IngestOptions& options) {
  std::vector<SourceFigures> all;
  store::ActivityStore activity(database, config.zone);
  const activity::ParserContext context{config.zone, options.now};
  EventFolder folder(config, policy, evaluation);
  for (const auto& source : config.audit_logs) {
    SourceFigures figures;
    figures.name = source.name;
    figures.format = source.format;
    folder.begin_source(source, figures);
    Result<void> done;
    if (source.format == "journal") {
      done = ingest_journal(source, folder, database, activity, figures, options);
    } else {
      auto parser = activity::make_parser(source, context);
      done = parser ? ingest_file(source, **parser, folder, database, activity, figures, options)
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
