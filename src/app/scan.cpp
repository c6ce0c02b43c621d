#include "secondsight/app/scan.hpp"

#include <algorithm>

#include "secondsight/checks/checks.hpp"
#include "secondsight/core/logging.hpp"
#include "secondsight/directory/snapshot.hpp"

namespace secondsight::app {

std::filesystem::path database_path(const config::Config& config) {
  return config.state_dir / "secondsight.db";
}

Result<ScanReport> scan_once(const config::Config& config, const config::Policy& policy,
                             Instant now, store::Database& database) {
  auto log = logger("scan");
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

    checks::Evaluation evaluation(*snapshot, policy, now, config.zone);
    for (const auto& check : checks::all_checks()) {
      auto found = check.run(evaluation);
      seen.insert(seen.end(), std::make_move_iterator(found.begin()),
                  std::make_move_iterator(found.end()));
      scope.complete_kinds.emplace_back(check.kind);
    }
  } else {
    report.directory.error = snapshot.error().message;
    log->error("directory unavailable, nothing opens or resolves: {}", report.directory.error);
  }

  store::FindingsStore findings(database);
  auto reconciled = findings.reconcile(seen, now, scope);
  if (!reconciled) return reconciled.error();
  report.changes = std::move(reconciled->changes);
  auto open = findings.list(store::FindingStatus::open);
  if (!open) return open.error();
  report.findings = std::move(*open);
  return report;
}

}  // namespace secondsight::app
