#include "secondsight/app/ingest.hpp"

#include <map>
#include <memory>
#include <optional>
#include <thread>
#include <unordered_map>

#include "secondsight/activity/attribution.hpp"
#include "secondsight/activity/formats.hpp"
#include "secondsight/activity/identities.hpp"
#include "secondsight/activity/journal.hpp"
#include "secondsight/activity/limits.hpp"
#include "secondsight/activity/parser.hpp"
#include "secondsight/activity/tail.hpp"
#include "secondsight/checks/context.hpp"
#include "secondsight/core/bounded_queue.hpp"
#include "secondsight/core/logging.hpp"
#include "secondsight/store/activity_store.hpp"

namespace secondsight::app {
namespace {

constexpr std::size_t k_journal_batch = 5000;

// Who an event is and which systems it belongs to, looked up once per distinct identity and
// field combination. While a file is read, person_of runs in the reading thread and
// systems_of in the folding one: they use separate caches, so the two threads share nothing.
class EventResolver {
 public:
  EventResolver(const config::Policy& policy, const activity::IdentityIndex& identities)
      : m_policy(policy), m_identities(identities) {
    // Only the fields some rule looks at decide an attribution, so only they key the cache.
    for (const auto& system : policy.systems) {
      for (const auto& rule : system.activity) {
        m_uses_host |= !rule.host.empty();
        m_uses_key |= !rule.key.empty();
        m_uses_resource |= !rule.resource.empty();
        m_uses_action |= !rule.action.empty();
      }
    }
  }

  void begin_source(const config::LogSourceConfig& source) {
    m_source = &source;
    m_attribution.clear();  // rules can name a source: attributions differ per source
  }

  const std::string& host_of(const activity::RawEvent& event) const {
    return event.host.empty() ? m_source->host : event.host;
  }

  // The index of the person in the identity index, or -1.
  int person_of(const activity::RawEvent& event) {
    auto index = [](std::optional<std::uint32_t> p) { return p ? static_cast<int>(*p) : -1; };
    if (!event.user.empty()) {
      auto it = m_by_user.find(event.user);
      if (it == m_by_user.end())
        it = m_by_user.emplace(event.user, index(m_identities.by_name(event.user))).first;
      if (it->second >= 0 || !event.uid) return it->second;
    }
    if (event.uid) {
      auto it = m_by_uid.find(*event.uid);
      if (it == m_by_uid.end())
        it = m_by_uid.emplace(*event.uid, index(m_identities.by_uid(*event.uid))).first;
      return it->second;
    }
    return -1;
  }

  // Indexes of the policy's systems; the vector lives as long as this source is read.
  const std::vector<int>& systems_of(const activity::RawEvent& event) {
    const std::string& host = host_of(event);
    m_key.clear();
    if (m_uses_host) m_key.append(host).push_back('\x1f');
    if (m_uses_key) m_key.append(event.key).push_back('\x1f');
    if (m_uses_resource) m_key.append(event.resource).push_back('\x1f');
    if (m_uses_action) m_key.append(event.action).push_back('\x1f');
    auto it = m_attribution.find(m_key);
    if (it != m_attribution.end()) return it->second;
    std::vector<int> systems;
    for (const auto& id : activity::attribute(event, host, *m_source, m_policy))
      systems.push_back(static_cast<int>(m_policy.find_system(id) - m_policy.systems.data()));
    return m_attribution.emplace(m_key, std::move(systems)).first->second;
  }

 private:
  const config::Policy& m_policy;
  const activity::IdentityIndex& m_identities;
  const config::LogSourceConfig* m_source = nullptr;
  std::unordered_map<std::string, int> m_by_user;
  std::unordered_map<long long, int> m_by_uid;
  std::unordered_map<std::string, std::vector<int>> m_attribution;
  std::string m_key;
  bool m_uses_host = false;
  bool m_uses_key = false;
  bool m_uses_resource = false;
  bool m_uses_action = false;
};

// Folds resolved events into a batch for the store, as cheaply as a busy server's logs need:
// counts are kept under integer keys, local days found once per day, and only events that can
// become evidence are kept one by one.
class EventFolder {
 public:
  EventFolder(const config::Config& config, const config::Policy& policy,
              const activity::IdentityIndex& identities)
      : m_policy(policy),
        m_identities(identities),
        m_zone(config.zone),
        m_coverage(policy.systems.size()) {}

  void begin_source(const config::LogSourceConfig& source, SourceFigures& figures) {
    m_source = &source;
    m_figures = &figures;
  }

  void add(const activity::RawEvent& event, const std::string& host, int person,
           const std::vector<int>& systems) {
    ++m_figures->events;
    if (person < 0) ++m_figures->unresolved;
    if (systems.empty()) ++m_figures->unattributed;
    const std::int32_t day = day_of(event.time);

    bool keep = false;
    const activity::EvidenceScope* scope = nullptr;  // looked up when an event may be kept
    auto fold = [&](int system) {
      if (system >= 0) {
        auto& first = m_coverage[static_cast<std::size_t>(system)];
        if (!first || event.time < *first) first = event.time;
      }
      if (person < 0) return;
      auto& day_totals = m_days[FoldKey{person, system, day}];
      if (day_totals.events == 0 || event.time < day_totals.first_seen)
        day_totals.first_seen = event.time;
      if (day_totals.events == 0 || event.time > day_totals.last_seen)
        day_totals.last_seen = event.time;
      ++day_totals.events;
      // Evidence needs examples, not every event (the store caps them across batches too).
      if (keep || day_totals.events > store::ActivityStore::k_events_kept_per_day) return;
      if (!scope) scope = &scope_of(person);
      keep = activity::is_evidence(
          *scope, system < 0 ? nullptr : &m_policy.systems[static_cast<std::size_t>(system)],
          event.time);
    };
    if (systems.empty()) fold(-1);
    for (int system : systems) fold(system);
    if (keep) m_kept.push_back(stored_event(event, host, person, systems));
  }

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

  using FoldedDays = std::unordered_map<FoldKey, store::ActivityBatch::Day, FoldKeyHash>;

  // What was folded since the last take, under integer keys: made into a batch for the store
  // by batch_of, which may run in another thread (it reads only the policy and the snapshot).
  struct Folded {
    FoldedDays days;
    std::vector<std::optional<Instant>> coverage;  // per system of the policy
    std::vector<store::AttributedEvent> kept;
  };

  Folded take_folded() {
    Folded out{std::move(m_days), m_coverage, std::move(m_kept)};
    m_days.clear();
    m_kept.clear();
    for (auto& first : m_coverage) first.reset();
    return out;
  }

  store::ActivityBatch batch_of(Folded folded) const {
    store::ActivityBatch batch;
    for (const auto& [key, totals] : folded.days) {
      batch.days[{m_identities.id(static_cast<std::uint32_t>(key.person)), system_id(key.system),
                  format_date(date::year_month_day{date::sys_days{date::days{key.day}}})}] = totals;
    }
    for (std::size_t system = 0; system < folded.coverage.size(); ++system)
      if (folded.coverage[system])
        batch.coverage[system_id(static_cast<int>(system))] = *folded.coverage[system];
    batch.kept = std::move(folded.kept);
    return batch;
  }

  store::ActivityBatch take() { return batch_of(take_folded()); }

 private:
  std::string system_id(int system) const {
    return system < 0 ? std::string() : m_policy.systems[static_cast<std::size_t>(system)].id;
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

  // Worked out once per person the logs name, not per event.
  const activity::EvidenceScope& scope_of(int person) {
    auto it = m_scopes.find(person);
    if (it == m_scopes.end())
      it = m_scopes.emplace(person, m_identities.scope(static_cast<std::uint32_t>(person))).first;
    return it->second;
  }

  store::AttributedEvent stored_event(const activity::RawEvent& event, const std::string& host,
                                      int person, const std::vector<int>& systems) const {
    store::AttributedEvent stored;
    stored.time = event.time;
    stored.person = m_identities.id(static_cast<std::uint32_t>(person));
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
  const activity::IdentityIndex& m_identities;
  std::unordered_map<int, activity::EvidenceScope> m_scopes;
  Zone m_zone;
  const config::LogSourceConfig* m_source = nullptr;
  SourceFigures* m_figures = nullptr;

  std::int32_t m_day = 0;
  Instant m_day_start{}, m_day_end{};

  FoldedDays m_days;
  std::vector<std::optional<Instant>> m_coverage;  // per system of the policy
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

// What the reading thread hands over: one tail batch, parsed.
struct ParsedBatch {
  std::vector<activity::RawEvent> events;
  std::vector<int> persons;  // per event: index in the snapshot, or -1
  std::uint64_t lines = 0;
  std::uint64_t skipped = 0;
  std::uint64_t bytes = 0;
  activity::TailPosition after;
  bool more = false;
  std::vector<std::string> notes;
  std::vector<std::string> warnings;
  bool missing = false;
  std::optional<Error> error;
};

// Parsed batches between the reading thread and the folding one: reading and parsing run
// while the previous batch is folded.
using BatchQueue = BoundedQueue<ParsedBatch>;

// Reads and parses batches until the file's end (or an error), handing each over.
void read_and_parse(activity::FileTailer& tailer, activity::LogParser& parser,
                    EventResolver& resolver, const IngestOptions& options, BatchQueue& queue) {
  for (;;) {
    ParsedBatch parsed;
    auto batch = tailer.next_batch(options.batch_bytes, options.wall_now);
    if (!batch) {
      parsed.error = batch.error();
      queue.push(std::move(parsed));
      return;
    }
    // A line over the length limit is a damaged line the tailer has already left out.
    parsed.lines = batch->skipped;
    parsed.skipped = batch->skipped;
    for (std::string_view line : batch->lines) {
      ++parsed.lines;
      parsed.bytes += line.size() + 1;
      if (parser.parse(line, parsed.events) == activity::LineKind::damaged) ++parsed.skipped;
    }
    parsed.persons.reserve(parsed.events.size());
    for (const auto& event : parsed.events) parsed.persons.push_back(resolver.person_of(event));
    parsed.after = batch->after;
    parsed.more = batch->more;
    parsed.notes = std::move(batch->notes);
    parsed.warnings = std::move(batch->warnings);
    parsed.missing = batch->missing;
    const bool more = parsed.more;
    if (!queue.push(std::move(parsed)) || !more) return;
  }
}

Result<void> ingest_file(const config::LogSourceConfig& source, activity::LogParser& parser,
                         EventResolver& resolver, EventFolder& folder, store::Database& database,
                         store::ActivityStore& activity, SourceFigures& figures,
                         const IngestOptions& options) {
  auto saved = activity.position(source.name);
  if (!saved) return saved.error();
  activity::FileTailer tailer(source.path, to_tail(*saved));
  activity::TailPosition committed = to_tail(*saved);

  // Three stages: reading and parsing; folding; storing. Storing a large batch takes a
  // while, and the reading goes on meanwhile. Only the storing thread uses the database.
  // Each commit carries the counts of what it stores: after a failure the figures are those
  // of what was stored, as what was not is read (and counted) again next time.
  struct Counts {
    std::uint64_t lines = 0, events = 0, skipped = 0, unresolved = 0, unattributed = 0;
  };
  const auto counts_of = [](const SourceFigures& f) {
    return Counts{f.lines, f.events, f.skipped, f.unresolved, f.unattributed};
  };
  struct Commit {
    EventFolder::Folded folded;
    activity::TailPosition after;
    Counts counts;  // the figures once it is stored
  };
  Counts stored_counts = counts_of(figures);
  BoundedQueue<Commit> commits(2);
  Result<void> stored;
  std::thread storer([&] {
    while (auto commit = commits.pop()) {
      if (auto done = commit_batch(database, activity, source.name,
                                   folder.batch_of(std::move(commit->folded)),
                                   to_stored(commit->after), options.now);
          !done) {
        stored = done.error();  // nothing after this batch is stored: its events come again
        commits.stop();
        return;
      }
      stored_counts = commit->counts;
    }
  });
  BatchQueue queue(8);
  std::thread reader([&] { read_and_parse(tailer, parser, resolver, options, queue); });
  auto consume = [&]() -> Result<void> {
    std::uint64_t folded_bytes = 0;
    for (;;) {
      // The reader's last batch is an error or has no more after it: the queue is never closed.
      ParsedBatch batch = *queue.pop();
      if (batch.error) return *batch.error;
      // A source that is not there is not read: what it would say is unknown, so the checks
      // that need it change nothing, and health shows it.
      if (batch.missing)
        return make_error(batch.warnings.empty() ? source.name + " does not exist"
                                                 : batch.warnings.front());
      for (const auto& note : batch.notes) logger("activity")->info("{}", note);
      for (auto& warning : batch.warnings) {
        logger("activity")->warn("{}", warning);
        figures.warnings.push_back(std::move(warning));
      }
      figures.lines += batch.lines;
      figures.skipped += batch.skipped;
      folded_bytes += batch.bytes;
      for (std::size_t i = 0; i < batch.events.size(); ++i)
        folder.add(batch.events[i], resolver.host_of(batch.events[i]), batch.persons[i],
                   resolver.systems_of(batch.events[i]));

      // The position is saved with what was read up to it, in one transaction.
      const auto& after = batch.after;
      const bool moved = after.known != committed.known || after.device != committed.device ||
                         after.inode != committed.inode || after.offset != committed.offset ||
                         after.fingerprint != committed.fingerprint;
      if (moved && (!batch.more || folded_bytes >= options.commit_bytes)) {
        if (!commits.push(Commit{folder.take_folded(), after, counts_of(figures)}))
          return {};  // the storing thread failed: its error is the result
        committed = after;
        folded_bytes = 0;
      }
      if (!batch.more) return {};
    }
  };
  auto result = consume();
  queue.stop();
  reader.join();
  commits.close();  // what was handed over is stored: each batch with the position after it
  storer.join();
  if (!stored) result = stored;
  if (!result) {
    folder.take_folded();  // folded after the last commit: read again next time
    figures.lines = stored_counts.lines;
    figures.events = stored_counts.events;
    figures.skipped = stored_counts.skipped;
    figures.unresolved = stored_counts.unresolved;
    figures.unattributed = stored_counts.unattributed;
  }
  return result;
}

Result<void> ingest_journal(const config::LogSourceConfig& source, EventResolver& resolver,
                            EventFolder& folder, store::Database& database,
                            store::ActivityStore& activity, SourceFigures& figures,
                            const IngestOptions& options) {
  auto reader = activity::JournalReader::open(source.path, source.match);
  if (!reader) return reader.error();
  auto saved = activity.position(source.name);
  if (!saved) return saved.error();
  std::string cursor = saved->cursor;
  std::uint64_t too_long = 0;
  auto report = [&](Result<void> done) {
    if (too_long > 0) {
      std::string warning = source.name + ": " + std::to_string(too_long) +
                            (too_long == 1 ? " journal entry" : " journal entries") +
                            " with a MESSAGE or _HOSTNAME over the " +
                            std::to_string(activity::k_max_line_bytes >> 10) +
                            " KiB limit of one line skipped";
      logger("activity")->warn("{}", warning);
      figures.warnings.push_back(std::move(warning));
    }
    return done;
  };
  for (;;) {
    auto entries = (*reader)->next_batch(cursor, k_journal_batch);
    if (!entries) return report(entries.error());
    if (entries->empty()) return report({});
    for (const auto& entry : *entries) {
      ++figures.lines;
      // A field over the length limit, or a time outside the representable range (a damaged
      // or forged entry), is the journal's damaged line; otherwise a MESSAGE that is no login
      // is simply no event.
      if (entry.too_long || !representable(entry.time)) {
        ++figures.skipped;
        if (entry.too_long) ++too_long;
        continue;
      }
      if (auto event = activity::journal_event(entry))
        folder.add(*event, resolver.host_of(*event), resolver.person_of(*event),
                   resolver.systems_of(*event));
    }
    cursor = entries->back().cursor;
    store::SourcePosition position;
    position.cursor = cursor;
    position.known = true;
    if (auto committed =
            commit_batch(database, activity, source.name, folder.take(), position, options.now);
        !committed)
      return report(committed.error());
    if (entries->size() < k_journal_batch) return report({});
  }
}

}  // namespace

DirectoryIdentities::DirectoryIdentities(const directory::DirectorySnapshot& snapshot,
                                         const config::Policy& policy, Zone zone)
    : m_snapshot(snapshot), m_policy(policy), m_zone(zone) {}

std::optional<std::uint32_t> DirectoryIdentities::index_of(const directory::Person* person) const {
  if (!person) return std::nullopt;
  return static_cast<std::uint32_t>(person - m_snapshot.people.data());
}

std::optional<std::uint32_t> DirectoryIdentities::by_name(std::string_view name) const {
  return index_of(m_snapshot.resolve_identity(name));
}

std::optional<std::uint32_t> DirectoryIdentities::by_uid(long long uid) const {
  return index_of(m_snapshot.find_person_by_uid(uid));
}

const std::string& DirectoryIdentities::id(std::uint32_t person) const {
  return m_snapshot.people[person].id;
}

activity::EvidenceScope DirectoryIdentities::scope(std::uint32_t person) const {
  auto view = checks::interpret_person(m_snapshot.people[person], m_policy, m_zone);
  return {view.seconded, view.end, std::move(view.need_to_know)};
}

std::vector<SourceFigures> ingest_logs(const config::Config& config, const config::Policy& policy,
                                       const activity::IdentityIndex& identities,
                                       store::Database& database, const IngestOptions& options) {
  std::vector<SourceFigures> all;
  store::ActivityStore activity(database, config.zone);
  const activity::ParserContext context{config.zone, options.now};
  EventResolver resolver(policy, identities);
  EventFolder folder(config, policy, identities);
  for (const auto& source : config.audit_logs) {
    SourceFigures figures;
    figures.name = source.name;
    figures.format = source.format;
    resolver.begin_source(source);
    folder.begin_source(source, figures);
    Result<void> done;
    if (activity::reads_journal(source)) {
      done = ingest_journal(source, resolver, folder, database, activity, figures, options);
    } else {
      auto parser = activity::make_parser(source, context);
      done = parser ? ingest_file(source, **parser, resolver, folder, database, activity, figures,
                                  options)
                    : Result<void>(parser.error());
    }
    if (!done) {
      figures.ok = false;
      figures.error = done.error().message;
      if (options.log_failures) logger("activity")->error("{}: {}", source.name, figures.error);
    }
    all.push_back(std::move(figures));
  }
  auto pruned =
      activity.prune_events(add_local_days(options.now, -config.event_retention_days, config.zone));
  if (!pruned) logger("activity")->warn("could not prune old events: {}", pruned.error().message);
  return all;
}

}  // namespace secondsight::app
