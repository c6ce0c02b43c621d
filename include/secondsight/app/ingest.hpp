// Ingestion of the audit logs: each source read from its saved position, its lines parsed,
// identities resolved, events attributed, and the activity stored with the new position in
// one transaction per batch, so a process killed at any moment neither loses nor repeats one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "secondsight/checks/context.hpp"
#include "secondsight/config/config.hpp"
#include "secondsight/config/policy.hpp"
#include "secondsight/core/time.hpp"
#include "secondsight/store/database.hpp"

namespace secondsight::app {

// What one scan read of one source (DESIGN.md, the json output's "sources").
struct SourceFigures {
  std::string name;
  std::string format;
  std::uint64_t lines = 0;         // lines read since the saved position
  std::uint64_t events = 0;        // access events
  std::uint64_t skipped = 0;       // damaged lines
  std::uint64_t unresolved = 0;    // events whose identity names no one
  std::uint64_t unattributed = 0;  // events no system's rules match
  bool ok = true;
  std::string error;                  // why the source could not be read
  std::vector<std::string> warnings;  // what may have lost lines; a missing file
};

struct IngestOptions {
  Instant now;                            // the scan's clock (syslog years, event retention)
  Instant wall_now;                       // the real clock (a last line without LF waits 5 s of it)
  std::size_t batch_bytes = 1 << 20;      // read and parsed at a time
  std::uint64_t commit_bytes = 64 << 20;  // folded between two commits
  // False: a failed source is only in its figures, for a caller that logs it when it changes
  // (the daemon, which scans every few seconds).
  bool log_failures = true;
};

// Reads every configured source as far as it goes now. A source that fails is reported in its
// figures and leaves its position where it was; the others go on. Identities resolve against
// the evaluation's directory snapshot; events of seconded people that can become evidence
// (after their end, or outside their need-to-know) are kept one by one.
std::vector<SourceFigures> ingest_logs(const config::Config& config, const config::Policy& policy,
                                       const checks::Evaluation& evaluation,
                                       store::Database& database, const IngestOptions& options);

}  // namespace secondsight::app
