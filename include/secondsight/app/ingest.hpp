// Ingestion of the audit logs: each source read from its saved position, its lines parsed,
// identities resolved, events attributed, and the activity stored with the new position in
// one transaction per batch, so a process killed at any moment neither loses nor repeats one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "secondsight/activity/identities.hpp"
#include "secondsight/config/config.hpp"
#include "secondsight/config/policy.hpp"
#include "secondsight/core/time.hpp"
#include "secondsight/directory/snapshot.hpp"
#include "secondsight/store/database.hpp"

namespace secondsight::app {

// What one scan read of one source (the json output's "sources").
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

// The people of a directory snapshot as ingest resolves them: the snapshot's own indexes,
// nothing copied; a person's evidence scope is how the policy reads them (checks).
class DirectoryIdentities final : public activity::IdentityIndex {
 public:
  DirectoryIdentities(const directory::DirectorySnapshot& snapshot, const config::Policy& policy,
                      Zone zone);
  std::optional<std::uint32_t> by_name(std::string_view name) const override;
  std::optional<std::uint32_t> by_uid(long long uid) const override;
  const std::string& id(std::uint32_t person) const override;
  activity::EvidenceScope scope(std::uint32_t person) const override;

 private:
  std::optional<std::uint32_t> index_of(const directory::Person* person) const;

  const directory::DirectorySnapshot& m_snapshot;
  const config::Policy& m_policy;
  Zone m_zone;
};

// Reads every configured source as far as it goes now. A source that fails is reported in its
// figures and leaves its position where it was; the others go on. Identities resolve through
// `identities`; events that can become evidence (activity::is_evidence) are kept one by one.
std::vector<SourceFigures> ingest_logs(const config::Config& config, const config::Policy& policy,
                                       const activity::IdentityIndex& identities,
                                       store::Database& database, const IngestOptions& options);

}  // namespace secondsight::app
