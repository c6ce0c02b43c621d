#include "secondsight/app/scan.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string_view>
#include <thread>
#include <utility>

#include "secondsight/alert/sink.hpp"
#include "secondsight/app/checklist_records.hpp"
#include "secondsight/app/findings_update.hpp"
#include "secondsight/checklist/render.hpp"
#include "secondsight/checks/checks.hpp"
#include "secondsight/checks/inputs.hpp"
#include "secondsight/checks/knowledge.hpp"
#include "secondsight/checks/timeline.hpp"
#include "secondsight/config/handovers.hpp"
#include "secondsight/core/logging.hpp"
#include "secondsight/core/text.hpp"
#include "secondsight/directory/snapshot.hpp"
#include "secondsight/store/access_timeline.hpp"
#include "secondsight/store/activity_store.hpp"
#include "secondsight/store/knowledge_store.hpp"
#include "secondsight/store/state_dir.hpp"

namespace secondsight::app {

std::filesystem::path database_path(const config::Config& config) {
  return config.state_dir / "secondsight.db";
}

bool ScanReport::complete() const {
  if (!directory.complete) return false;
  for (const auto& source : sources)
    if (!source.ok) return false;
  for (const auto& repository : repositories)
    if (!repository.error.empty()) return false;
  return handovers_error.empty();
}

namespace {

// Milliseconds since the last lap, for the debug log of where a scan spends its time.
class Laps {
 public:
  long long next() {
    const auto now = std::chrono::steady_clock::now();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - m_last).count();
    m_last = now;
    return ms;
  }

 private:
  std::chrono::steady_clock::time_point m_last = std::chrono::steady_clock::now();
};

// Evidence a person can act on: the events themselves, where they are still kept. After-end
// findings show the events after the end; use outside need-to-know, the uses.
void add_event_evidence(std::vector<findings::Finding>& findings,
                        const checks::Evaluation& evaluation, store::ActivityStore& activity) {
  constexpr std::size_t k_events_shown = 20;
  for (auto& finding : findings) {
    if (!finding.person) continue;
    const auto* view = evaluation.find(*finding.person);
    if (!view) continue;
    Instant after{};
    if (finding.kind == "activity_after_end" && view->end)
      after = *view->end;
    else if (finding.kind != "need_to_know_violation" || finding.evidence["used"].is_null())
      continue;
    auto events = activity.events_of(*finding.person, after, evaluation.now(), 5000);
    if (!events) continue;
    nlohmann::json shown = nlohmann::json::array();
    for (const auto& event : *events) {
      if (event.system != finding.system.value_or("")) continue;
      if (shown.size() == k_events_shown) break;
      shown.push_back({{"time", format_rfc3339(event.time)},
                       {"source", event.source},
                       {"host", event.host},
                       {"action", event.action},
                       {"resource", event.resource}});
    }
    finding.evidence["events"] = shown;
  }
}

// A person's checklist as the directory, activity, knowledge and their earlier checklists show
// it now, before the stored progress is merged in.
Result<checklist::Checklist> build_checklist(const checks::Evaluation& evaluation,
                                             const checks::PersonView& view,
                                             const ChecklistRecords& lists,
                                             store::ActivityStore& activity) {
  const auto& id = view.person->id;
  auto earlier = lists.earlier(id);
  if (!earlier) return earlier.error();
  std::vector<activity::EventSample> after_end;
  if (view.end) {
    auto events = activity.events_of(id, *view.end, evaluation.now(), 20);
    if (!events) return events.error();
    after_end = std::move(*events);
  }
  return checklist::build_checklist(evaluation, view, *earlier, std::move(after_end));
}

// Who gets a checklist in this scan: seconded people from notice_days before their end until
// everything is done, and whoever is asked for.
Result<void> keep_checklists(const config::Config& config, const checks::Evaluation& evaluation,
                             store::Database& database, store::ActivityStore& activity,
                             const ChecklistOptions& options, ScanReport& report) {
  ChecklistRecords lists(database);
  const auto routes = alert::alert_routes(config.alerts);
  auto kept = lists.kept();  // person -> an item is still open
  if (!kept) return kept.error();
  for (const auto& view : evaluation.people()) {
    const auto& id = view.person->id;
    const bool asked =
        std::find(options.also_for.begin(), options.also_for.end(), id) != options.also_for.end();
    const bool due = view.seconded && evaluation.notice_reached(view);
    const auto stored = kept->find(id);
    const bool exists = stored != kept->end();
    if (!asked && !due && !exists) continue;
    if (!asked && exists && !stored->second) continue;  // done: kept as it was when finished
    auto built = build_checklist(evaluation, view, lists, activity);
    if (!built) return built.error();
    auto& list = *built;
    auto done = lists.reconcile(list, evaluation.now(), routes);
    if (!done) return done.error();
    if (!exists) report.new_checklists.push_back(id);
    if (options.write_files)
      if (auto written = write_checklist_files(config, list); !written) return written.error();
    report.checklists.push_back(std::move(list));
  }
  // People who left the directory with a checklist open: their account and groups went along.
  for (const auto& [id, open] : *kept) {
    if (!open || evaluation.find(id)) continue;
    auto list = lists.gone(id, evaluation.now());
    if (!list) return list.error();
    auto done = lists.reconcile(*list, evaluation.now());
    if (!done) return done.error();
    if (options.write_files)
      if (auto written = write_checklist_files(config, *list); !written) return written.error();
    report.checklists.push_back(std::move(*list));
  }
  return {};
}

// The checklists of the people asked for, as they stand with their stored progress; nothing is
// stored. Someone no longer in the directory shows their checklist as last stored.
Result<void> show_checklists(const checks::Evaluation& evaluation, store::Database& database,
                             store::ActivityStore& activity, const ChecklistOptions& options,
                             ScanReport& report) {
  ChecklistRecords lists(database);
  for (const auto& id : options.also_for) {
    const auto* view = evaluation.find(id);
    if (!view) {
      auto kept = lists.kept();
      if (!kept) return kept.error();
      if (!kept->contains(id)) continue;
      auto list = lists.gone(id, evaluation.now());
      if (!list) return list.error();
      if (auto merged = lists.merge(*list, evaluation.now()); !merged) return merged.error();
      report.checklists.push_back(std::move(*list));
      continue;
    }
    auto list = build_checklist(evaluation, *view, lists, activity);
    if (!list) return list.error();
    if (auto merged = lists.merge(*list, evaluation.now()); !merged) return merged.error();
    report.checklists.push_back(std::move(*list));
  }
  return {};
}

}  // namespace

namespace {

using ChecklistFiles = std::array<std::pair<std::string, std::string>, 3>;

ChecklistFiles render_checklist_files(const checklist::Checklist& list, Zone zone) {
  return {{{".md", checklist::render_markdown(list, zone)},
           {".html", checklist::render_html(list, zone)},
           {".json", json_text(checklist::render_json(list, zone), 2) + "\n"}}};
}

// The time files were written for (their "as of"), from the JSON file's text.
std::optional<Instant> written_for(const std::string& json_text) {
  auto json = nlohmann::json::parse(json_text, nullptr, false);
  if (json.is_discarded() || !json.is_object() || !json["now"].is_string()) return std::nullopt;
  auto at = parse_rfc3339(json["now"].get<std::string>());
  return at ? std::optional<Instant>(*at) : std::nullopt;
}

}  // namespace

// The files say the checklist as of the scan that last changed it: a scan that finds it as it
// was leaves them alone (thousands of checklists are not written again at every scan).
Result<void> write_checklist_files(const config::Config& config, const checklist::Checklist& list) {
  auto state = store::StateDir::open(config.state_dir);
  if (!state) return state.error();
  auto folder = state->folder("checklists");
  if (!folder) return folder.error();
  const auto stem = checklist::file_stem(list.person);
  // What the files hold now: left alone when it is this checklist as of an earlier scan.
  std::array<std::optional<std::string>, 3> held;
  const auto fresh = render_checklist_files(list, config.zone);
  for (std::size_t i = 0; i < fresh.size(); ++i)
    if (auto text = folder->read(stem + fresh[i].first); text) held[i] = std::move(*text);
  if (held[2]) {
    if (auto at = written_for(*held[2]); at && *at < list.now) {
      auto as_written = list;
      as_written.now = *at;
      const auto earlier = render_checklist_files(as_written, config.zone);
      bool unchanged = true;
      for (std::size_t i = 0; i < earlier.size(); ++i)
        unchanged = unchanged && held[i] == earlier[i].second;
      if (unchanged) return {};
    }
  }
  for (const auto& [extension, text] : fresh)
    if (auto written = folder->replace(stem + extension, text, store::k_private_file_mode);
        !written)
      return written.error();
  return {};
}

std::string clock_behind_message(const ScanReport& report) {
  return "the clock (" + format_rfc3339(report.now) +
         ") is behind the latest scan of this state (" +
         format_rfc3339(report.clock_behind.value_or(report.now)) +
         "), so nothing was read, opened or resolved; set the clock right, or pass --replay to "
         "scan the past on purpose";
}

namespace {

// Everything one scan reads and builds, in the order the steps fill it in.
struct ScanState {
  ScanState(const config::Config& config_, const config::Policy& policy_,
            const IngestOptions& ingest_, store::Database& database_, const ScanSteps& steps_,
            ScanReport& report_)
      : config(config_),
        policy(policy_),
        ingest(ingest_),
        database(database_),
        steps(steps_),
        report(report_),
        findings(database_) {}

  const config::Config& config;
  const config::Policy& policy;
  const IngestOptions& ingest;
  store::Database& database;
  const ScanSteps& steps;
  ScanReport& report;
  store::FindingsStore findings;
  std::shared_ptr<const directory::DirectorySnapshot> snapshot;  // null: unavailable
  bool activity_complete = true;
  activity::ActivityView activity_view;
  std::optional<KnowledgeInput> repositories;
  checks::KnowledgeMap knowledge_map;
  std::vector<knowledge::HandoverRecord> handovers;
  std::unique_ptr<const checks::Evaluation> evaluation;
  store::TimelineRead timeline;  // kept past the release of the inputs: resolutions read it
  std::vector<findings::Finding> seen;
  findings::ReconcileScope scope;
};

Result<void> poll_directory(ScanState& state) {
  auto& report = state.report;
  state.snapshot = state.steps.directory;
  if (!state.snapshot) {
    auto polled = directory::poll_configured_directory(state.config.directory, state.config.zone);
    if (polled)
      state.snapshot = std::make_shared<const directory::DirectorySnapshot>(std::move(*polled));
    else
      report.directory.error = polled.error().message;
  }
  if (!state.snapshot) {
    logger("scan")->error("directory unavailable, nothing opens or resolves: {}",
                          report.directory.error);
    return {};
  }
  report.directory.complete = true;
  report.directory.people = state.snapshot->people.size();
  report.directory.groups = state.snapshot->groups.size();
  report.warnings = state.snapshot->warnings;
  for (const auto& warning : state.snapshot->warnings) logger("scan")->warn("{}", warning);
  return {};
}

// Logs are read only with a directory to resolve their user names against: read later,
// nothing is lost, as their positions stay where they were.
Result<void> read_logs(ScanState& state) {
  if (state.steps.read_only) return {};
  const DirectoryIdentities identities(*state.snapshot, state.policy, state.config.zone);
  state.report.sources =
      ingest_logs(state.config, state.policy, identities, state.database, state.ingest);
  for (const auto& figures : state.report.sources) state.activity_complete &= figures.ok;
  return {};
}

Result<void> read_activity(ScanState& state) {
  auto known = store::ActivityStore(state.database, state.config.zone).snapshot(state.ingest.now);
  if (!known) return known.error();
  state.activity_view = std::move(*known);
  return {};
}

Result<void> read_knowledge(ScanState& state) {
  auto knowledge = refresh_knowledge(state.config, state.policy, state.database, state.ingest.now,
                                     state.steps.refresh_knowledge, !state.steps.read_only);
  if (!knowledge) return knowledge.error();
  state.report.repositories = knowledge->repositories;
  state.knowledge_map =
      checks::build_knowledge_map(state.policy, *state.snapshot, knowledge->histories);
  state.repositories = std::move(*knowledge);
  return {};
}

// Handovers from handovers_file and the store.
Result<void> load_handovers(ScanState& state) {
  Diagnostics problems;
  if (auto listed = config::load_handovers(state.config, state.policy, problems)) {
    state.handovers = std::move(*listed);
  } else {
    state.report.handovers_error = problems.all().empty() ? state.config.handovers_file.string()
                                                          : problems.all().front().format();
    logger("scan")->error("handovers unavailable, knowledge findings stay as they were: {}",
                          state.report.handovers_error);
  }
  auto recorded = store::KnowledgeStore(state.database).handovers();
  if (!recorded) return recorded.error();
  state.handovers.insert(state.handovers.end(), recorded->begin(), recorded->end());
  return {};
}

Result<void> evaluate(ScanState& state) {
  state.evaluation = std::make_unique<const checks::Evaluation>(checks::ScanInputs{
      *state.snapshot, state.policy, state.ingest.now, state.config.zone, &state.activity_view,
      &state.knowledge_map, &state.handovers, &state.timeline.timeline});
  return {};
}

// The rights this snapshot shows, held against the timeline: what appeared begins, what is
// missing is seen gone. The checks read the timeline after it.
Result<void> record_access(ScanState& state) {
  store::AccessTimelineStore timeline(state.database);
  auto kept = timeline.load();
  if (!kept) return kept.error();
  if (state.steps.read_only) {
    state.timeline = std::move(*kept);
    return {};
  }
  auto observed =
      timeline.observe(checks::access_facts(*state.evaluation, kept->timeline), state.ingest.now);
  if (!observed) return observed.error();
  state.timeline = std::move(*observed);
  return {};
}

// Every check whose inputs were read completely; the others' findings stay as they were.
Result<void> run_checks(ScanState& state) {
  const bool knowledge_complete =
      state.repositories->complete() && state.report.handovers_error.empty();
  for (const auto& check : checks::all_checks()) {
    if ((check.inputs & static_cast<unsigned>(checks::Input::activity)) && !state.activity_complete)
      continue;
    if ((check.inputs & static_cast<unsigned>(checks::Input::knowledge)) && !knowledge_complete)
      continue;
    auto found = check.run(*state.evaluation);
    state.seen.insert(state.seen.end(), std::make_move_iterator(found.begin()),
                      std::make_move_iterator(found.end()));
    state.scope.complete_kinds.emplace_back(check.kind);
  }
  return {};
}

Result<void> attach_evidence(ScanState& state) {
  store::ActivityStore activity(state.database, state.config.zone);
  add_event_evidence(state.seen, *state.evaluation, activity);
  return {};
}

Result<void> keep_checklists(ScanState& state) {
  store::ActivityStore activity(state.database, state.config.zone);
  if (state.steps.read_only)
    return show_checklists(*state.evaluation, state.database, activity, state.steps.checklists,
                           state.report);
  return keep_checklists(state.config, *state.evaluation, state.database, activity,
                         state.steps.checklists, state.report);
}

Result<void> inspect(ScanState& state) {
  if (state.steps.inspect) state.steps.inspect(*state.evaluation, state.seen, state.report);
  return {};
}

Result<void> release_inputs(ScanState& state) {
  if (state.steps.release) {
    state.steps.release->release(std::move(state.snapshot), std::move(state.evaluation));
  } else {
    state.evaluation.reset();  // before the snapshot it points into
    state.snapshot.reset();
  }
  return {};
}

// Changes are queued for the alert sinks in the reconcile's own transaction.
Result<void> reconcile(ScanState& state) {
  if (state.steps.read_only) {
    auto open = state.findings.list(findings::FindingStatus::open);
    if (!open) return open.error();
    state.report.findings = std::move(*open);
    return {};
  }
  state.scope.note_resolution = [&state](findings::Finding& finding) {
    return checks::note_access_removed(state.timeline.timeline, state.config.zone, finding);
  };
  auto reconciled = record_findings(state.database, state.seen, state.scope, state.ingest.now,
                                    alert::alert_routes(state.config.alerts));
  if (!reconciled) return reconciled.error();
  state.report.changes = std::move(reconciled->changes);
  state.report.findings = std::move(reconciled->open);
  return {};
}

struct ScanStep {
  std::string_view done;  // for the debug log of where a scan spends its time
  Result<void> (*run)(ScanState&);
  bool needs_directory;  // without a directory, nothing but the reconcile runs
};

constexpr std::array k_scan_steps{
    ScanStep{"directory read", &poll_directory, false},
    ScanStep{"logs read", &read_logs, true},
    ScanStep{"activity read", &read_activity, true},
    ScanStep{"knowledge refreshed", &read_knowledge, true},
    ScanStep{"handovers loaded", &load_handovers, true},
    ScanStep{"evaluated", &evaluate, true},
    ScanStep{"access recorded", &record_access, true},
    ScanStep{"checks run", &run_checks, true},
    ScanStep{"evidence attached", &attach_evidence, true},
    ScanStep{"checklists kept", &keep_checklists, true},
    ScanStep{"inspected", &inspect, true},
    ScanStep{"inputs released", &release_inputs, true},
    ScanStep{"findings stored", &reconcile, false},
};

}  // namespace

void InputRelease::release(std::shared_ptr<const directory::DirectorySnapshot> directory,
                           std::unique_ptr<const checks::Evaluation> evaluation) {
  m_thread = std::jthread(
      [evaluation = std::move(evaluation), directory = std::move(directory)]() mutable {
        // Before the snapshot it points into; freeing it reads none of the scan's other
        // inputs, which go with the scan.
        evaluation.reset();
        directory.reset();
      });
}

Result<ScanReport> scan_once(const config::Config& config, const config::Policy& policy,
                             const IngestOptions& ingest, store::Database& database,
                             const ScanSteps& steps) {
  ScanReport report;
  report.now = ingest.now;
  report.directory.source = config.directory.uri;
  ScanState state(config, policy, ingest, database, steps, report);

  // A clock behind the state would read syslog stamps into the wrong year, open what was
  // resolved and resolve what is open: such a scan only reports what is stored.
  auto latest = state.findings.latest_scan();
  if (!latest) return latest.error();
  if (*latest && ingest.now < **latest && !steps.replay && !steps.read_only) {
    report.clock_behind = **latest;
    report.directory.error = "not read: the clock is behind the state";
    auto open = state.findings.list(findings::FindingStatus::open);
    if (!open) return open.error();
    report.findings = std::move(*open);
    return report;
  }

  auto log = logger("scan");
  Laps laps;
  for (const auto& step : k_scan_steps) {
    if (step.needs_directory && !state.snapshot) continue;
    if (auto done = step.run(state); !done) return done.error();
    log->debug("{} in {} ms", step.done, laps.next());
  }
  log->debug("{} findings", state.seen.size());
  return report;
}

}  // namespace secondsight::app
