// One scan: poll the directory, evaluate every check, reconcile findings with the store.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "secondsight/app/ingest.hpp"
#include "secondsight/app/knowledge_refresh.hpp"
#include "secondsight/checklist/checklist.hpp"
#include "secondsight/config/config.hpp"
#include "secondsight/config/policy.hpp"
#include "secondsight/core/time.hpp"
#include "secondsight/directory/snapshot.hpp"
#include "secondsight/store/database.hpp"
#include "secondsight/store/findings_store.hpp"

namespace secondsight::checks {
class Evaluation;
}

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
  std::vector<findings::StoredFinding> findings;  // open after this scan
  std::vector<findings::FindingChange> changes;   // what this scan opened, changed, resolved
  DirectoryStatus directory;
  std::vector<SourceFigures> sources;          // what this scan read of each log source
  std::vector<RepositoryStatus> repositories;  // the git repositories of the systems
  std::string handovers_error;                 // why handovers_file could not be read
  // The offboarding checklists this scan kept up to date (and wrote to state_dir/checklists/),
  // and those that appeared for the first time.
  std::vector<checklist::Checklist> checklists;
  std::vector<std::string> new_checklists;  // person ids
  std::vector<std::string> warnings;        // about inputs, for the log
  // Set when the scan's clock was behind the latest scan of the state (its time): nothing was
  // read, opened or resolved, and `findings` are the open ones as stored.
  std::optional<Instant> clock_behind;

  // The directory, every log source, every repository and the handovers were read.
  bool complete() const;
};

// Runs one scan at `ingest.now` (`ingest.wall_now`: the real clock, for log files still being
// written) against the state database. Sources that fail make the report incomplete; findings
// that depend on them are left as they were. Input is committed every `ingest.commit_bytes`
// (fewer, larger transactions; the tail batches that feed them stay small, so memory does not
// grow with it).
struct ChecklistOptions {
  // Besides every seconded person from notice_days before their end until their checklist is
  // done: these people too, whenever (the `checklist` command).
  std::vector<std::string> also_for;
  bool write_files = true;  // state_dir/checklists/PERSON.{md,html,json}
};

// Frees the directory snapshot and evaluation of a scan on a thread of their own (a large
// directory takes a while to free) beside what its caller does next: store and show the
// findings. Whoever runs scans owns one (a command, the scan worker); the next release, and the
// end of its owner, wait for the one before.
class InputRelease {
 public:
  void release(std::shared_ptr<const directory::DirectorySnapshot> directory,
               std::unique_ptr<const checks::Evaluation> evaluation);

 private:
  std::jthread m_thread;
};

struct ScanSteps {
  ChecklistOptions checklists;
  // Where the scan's inputs are freed; null: before scan_once returns.
  InputRelease* release = nullptr;
  // The directory as the caller polled it (the daemon polls on its own interval and scans on
  // its last good snapshot when logs grow); null: poll it now.
  std::shared_ptr<const directory::DirectorySnapshot> directory;
  // False: use the kept repository histories without asking git whether HEAD moved (the
  // daemon refreshes knowledge on its own interval).
  bool refresh_knowledge = true;
  // A scan at a time before the latest scan of the state changes nothing (a clock set back,
  // a mistyped --now) unless this says the past is replayed on purpose.
  bool replay = false;
  // Shows, changes nothing: no log is read (activity is as the last scan stored it), nothing
  // is stored, no checklist file is written, no alert is queued. Checklists are built for
  // `checklists.also_for` only, with their stored progress; `findings` are the open ones as
  // stored.
  bool read_only = false;
  // Called once the checks have run and the checklists are kept, before the inputs are
  // released: with the evaluation, the findings the checks saw, and the report so far.
  std::function<void(const checks::Evaluation&, const std::vector<findings::Finding>& seen,
                     const ScanReport&)>
      inspect;
};

Result<ScanReport> scan_once(const config::Config& config, const config::Policy& policy,
                             const IngestOptions& ingest, store::Database& database,
                             const ScanSteps& steps = {});

// The sentence that says a scan's clock was behind its state.
std::string clock_behind_message(const ScanReport& report);

// state_dir/checklists/STEM.{md,html,json} (STEM: checklist::file_stem of the person), each
// written whole, 0600, and renamed into place; an unchanged file is left alone.
Result<void> write_checklist_files(const config::Config& config, const checklist::Checklist& list);

// The state database of a configuration: state_dir/secondsight.db.
std::filesystem::path database_path(const config::Config& config);

}  // namespace secondsight::app
