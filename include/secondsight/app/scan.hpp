// One scan: poll the directory, evaluate every check, reconcile findings with the store.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "secondsight/app/ingest.hpp"
#include "secondsight/config/config.hpp"
#include "secondsight/config/policy.hpp"
#include "secondsight/core/time.hpp"
#include "secondsight/store/database.hpp"
#include "secondsight/store/findings_store.hpp"

namespace secondsight::app {

struct DirectoryStatus {
  std::string source;
  std::size_t people = 0;
  std::size_t groups = 0;
  bool complete = false;
  std::string error;  // why it is incomplete
};

struct ScanReport {
  Instant now;
  std::vector<store::StoredFinding> findings;  // open after this scan
  std::vector<store::FindingChange> changes;   // what this scan opened, changed, resolved
  DirectoryStatus directory;
  std::vector<SourceFigures> sources;  // what this scan read of each log source
  std::vector<std::string> warnings;   // about inputs, for the log

  // The directory and every log source were read.
  bool complete() const;
};

// Runs one scan at `ingest.now` (`ingest.wall_now`: the real clock, for log files still being
// written) against the state database. Sources that fail make the report incomplete; findings
// that depend on them are left as they were. Input is committed every `ingest.commit_bytes`
// (fewer, larger transactions; the tail batches that feed them stay small, so memory does not
// grow with it).
Result<ScanReport> scan_once(const config::Config& config, const config::Policy& policy,
                             const IngestOptions& ingest, store::Database& database);

// The state database of a configuration: state_dir/secondsight.db.
std::filesystem::path database_path(const config::Config& config);

}  // namespace secondsight::app
