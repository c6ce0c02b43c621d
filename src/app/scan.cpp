#include "secondsight/app/scan.hpp"

#include <algorithm>

#include "secondsight/alert/sink.hpp"
#include "secondsight/checks/checks.hpp"
#include "secondsight/core/logging.hpp"
#include "secondsight/directory/snapshot.hpp"
#include "secondsight/store/activity_store.hpp"

namespace secondsight::app {

std::filesystem::path database_path(const config::Config& config) {
  return config.state_dir / "secondsight.db";
}

bool ScanReport::complete() const {
  if (!directory.complete) return false;
  for (const auto& source : sources)
    if (!source.ok) return false;
  return true;
}

namespace {

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

}  // namespace

Result<ScanReport> scan_once(const config::Config& config, const config::Policy& policy,
                             const IngestOptions& ingest, store::Database& database) {
  auto log = logger("scan");
  const Instant now = ingest.now;
  ScanReport report;
  report.now = now;
  report.directory.source = config.directory.uri;

  std::vector<checks::Finding> seen;
  store::ReconcileScope scope;

  auto source = directory::make_directory_source(config.directory);
  Result<directory::DirectorySnapshot> snapshot =
      source ? directory::poll_directory(**source, config.directory, config.zone)
             : Result<directory::DirectorySnapshot>(source.error());
  if (snapshot) {
    report.directory.complete = true;
    report.directory.people = snapshot->people.size();
    report.directory.groups = snapshot->groups.size();
    report.warnings = snapshot->warnings;
    for (const auto& warning : snapshot->warnings) log->warn("{}", warning);

    // Logs are read only with a directory to resolve their user names against: read later,
    // nothing is lost, as their positions stay where they were.
    checks::Evaluation evaluation(*snapshot, policy, now, config.zone);
    report.sources = ingest_logs(config, policy, evaluation, database, ingest);
    bool activity_complete = true;
    for (const auto& figures : report.sources) activity_complete &= figures.ok;

    store::ActivityStore activity(database, config.zone);
    auto known = activity.snapshot(now);
    if (!known) return known.error();
    evaluation.set_activity(&*known);
    for (const auto& check : checks::all_checks()) {
      if ((check.inputs & static_cast<unsigned>(checks::Input::activity)) && !activity_complete)
        continue;
      auto found = check.run(evaluation);
      seen.insert(seen.end(), std::make_move_iterator(found.begin()),
                  std::make_move_iterator(found.end()));
      scope.complete_kinds.emplace_back(check.kind);
    }
    add_event_evidence(seen, evaluation, activity);
  } else {
    report.directory.error = snapshot.error().message;
    log->error("directory unavailable, nothing opens or resolves: {}", report.directory.error);
  }
  store::FindingsStore findings(database);
  // Changes are queued for the alert sinks in the reconcile's own transaction.
  auto reconciled = findings.reconcile(seen, now, scope, alert::alert_routes(config.alerts));
  if (!reconciled) return reconciled.error();
  report.changes = std::move(reconciled->changes);
  auto open = findings.list(store::FindingStatus::open);
  if (!open) return open.error();
  report.findings = std::move(*open);
  return report;
}

}  // namespace secondsight::app
