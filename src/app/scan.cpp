#include "secondsight/app/scan.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <utility>

#include "secondsight/alert/sink.hpp"
#include "secondsight/app/checklist_records.hpp"
#include "secondsight/app/findings_update.hpp"
#include "secondsight/checklist/render.hpp"
#include "secondsight/checks/checks.hpp"
#include "secondsight/checks/knowledge.hpp"
#include "secondsight/config/handovers.hpp"
#include "secondsight/core/logging.hpp"
#include "secondsight/core/text.hpp"
#include "secondsight/directory/snapshot.hpp"
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
void add_event_evidence(std::vector<checks::Finding>& findings,
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
    auto earlier = lists.earlier(id);
    if (!earlier) return earlier.error();
    std::vector<store::StoredEvent> after_end;
    if (view.end) {
      auto events = activity.events_of(id, *view.end, evaluation.now(), 20);
      if (!events) return events.error();
      after_end = std::move(*events);
    }
    auto list = checklist::build_checklist(evaluation, view, *earlier, after_end);
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

}  // namespace

Result<void> write_checklist_files(const config::Config& config, const checklist::Checklist& list) {
  auto state = store::StateDir::open(config.state_dir);
  if (!state) return state.error();
  auto folder = state->folder("checklists");
  if (!folder) return folder.error();
  const auto stem = checklist::file_stem(list.person);
  const std::pair<std::string, std::string> files[] = {
      {".md", checklist::render_markdown(list, config.zone)},
      {".html", checklist::render_html(list, config.zone)},
      {".json", json_text(checklist::render_json(list, config.zone), 2) + "\n"}};
  for (const auto& [extension, text] : files)
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

Result<ScanReport> scan_once(const config::Config& config, const config::Policy& policy,
                             const IngestOptions& ingest, store::Database& database,
                             const ScanSteps& steps) {
  auto log = logger("scan");
  const Instant now = ingest.now;
  ScanReport report;
  report.now = now;
  report.directory.source = config.directory.uri;

  // A clock behind the state would read syslog stamps into the wrong year, open what was
  // resolved and resolve what is open: such a scan only reports what is stored.
  store::FindingsStore findings(database);
  auto latest = findings.latest_scan();
  if (!latest) return latest.error();
  if (*latest && now < **latest && !steps.replay) {
    report.clock_behind = **latest;
    report.directory.error = "not read: the clock is behind the state";
    auto open = findings.list(findings::FindingStatus::open);
    if (!open) return open.error();
    report.findings = std::move(*open);
    return report;
  }

  std::vector<checks::Finding> seen;
  findings::ReconcileScope scope;
  Laps laps;

  std::shared_ptr<const directory::DirectorySnapshot> snapshot = steps.directory;
  if (!snapshot) {
    auto polled = directory::poll_configured_directory(config.directory, config.zone);
    if (polled)
      snapshot = std::make_shared<const directory::DirectorySnapshot>(std::move(*polled));
    else
      report.directory.error = polled.error().message;
    log->debug("directory read in {} ms", laps.next());
  }
  if (snapshot) {
    report.directory.complete = true;
    report.directory.people = snapshot->people.size();
    report.directory.groups = snapshot->groups.size();
    report.warnings = snapshot->warnings;
    for (const auto& warning : snapshot->warnings) log->warn("{}", warning);

    // Logs are read only with a directory to resolve their user names against: read later,
    // nothing is lost, as their positions stay where they were.
    auto evaluation_holder =
        std::make_unique<checks::Evaluation>(*snapshot, policy, now, config.zone);
    auto& evaluation = *evaluation_holder;
    log->debug("evaluation prepared in {} ms", laps.next());
    report.sources = ingest_logs(config, policy, evaluation, database, ingest);
    log->debug("logs read in {} ms", laps.next());
    bool activity_complete = true;
    for (const auto& figures : report.sources) activity_complete &= figures.ok;

    store::ActivityStore activity(database, config.zone);
    auto known = activity.snapshot(now);
    if (!known) return known.error();
    evaluation.set_activity(&*known);

    auto knowledge = refresh_knowledge(config, policy, database, now, steps.refresh_knowledge);
    if (!knowledge) return knowledge.error();
    report.repositories = knowledge->repositories;
    const auto map = checks::build_knowledge_map(policy, *snapshot, knowledge->histories);
    evaluation.set_knowledge(&map);
    std::vector<config::HandoverRecord> handovers;
    Diagnostics problems;
    if (auto listed = config::load_handovers(config, policy, problems)) {
      handovers = std::move(*listed);
    } else {
      report.handovers_error =
          problems.all().empty() ? config.handovers_file.string() : problems.all().front().format();
      log->error("handovers unavailable, knowledge findings stay as they were: {}",
                 report.handovers_error);
    }
    auto recorded = store::KnowledgeStore(database).handovers();
    if (!recorded) return recorded.error();
    handovers.insert(handovers.end(), recorded->begin(), recorded->end());
    evaluation.set_handovers(&handovers);
    log->debug("activity and knowledge read in {} ms", laps.next());
    const bool knowledge_complete = knowledge->complete() && report.handovers_error.empty();

    for (const auto& check : checks::all_checks()) {
      if ((check.inputs & static_cast<unsigned>(checks::Input::activity)) && !activity_complete)
        continue;
      if ((check.inputs & static_cast<unsigned>(checks::Input::knowledge)) && !knowledge_complete)
        continue;
      auto found = check.run(evaluation);
      seen.insert(seen.end(), std::make_move_iterator(found.begin()),
                  std::make_move_iterator(found.end()));
      scope.complete_kinds.emplace_back(check.kind);
    }
    add_event_evidence(seen, evaluation, activity);
    log->debug("checks run in {} ms: {} findings", laps.next(), seen.size());
    if (auto kept =
            keep_checklists(config, evaluation, database, activity, steps.checklists, report);
        !kept)
      return kept.error();
    log->debug("checklists kept in {} ms", laps.next());
    report.releasing = std::jthread(
        [evaluation = std::move(evaluation_holder), directory = std::move(snapshot)]() mutable {
          evaluation.reset();  // before the snapshot it points into
          directory.reset();
        });
  } else {
    log->error("directory unavailable, nothing opens or resolves: {}", report.directory.error);
  }
  // Changes are queued for the alert sinks in the reconcile's own transaction.
  auto reconciled = record_findings(database, seen, scope, now, alert::alert_routes(config.alerts));
  if (!reconciled) return reconciled.error();
  report.changes = std::move(reconciled->changes);
  report.findings = std::move(reconciled->open);
  log->debug("findings stored in {} ms", laps.next());
  return report;
}

}  // namespace secondsight::app
