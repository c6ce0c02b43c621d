// The commands of the command line, as functions of the library: testable without a process.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "secondsight/app/exit_codes.hpp"
#include "secondsight/app/output.hpp"
#include "secondsight/app/scan.hpp"
#include "secondsight/config/config.hpp"
#include "secondsight/config/policy.hpp"
#include "secondsight/core/severity.hpp"
#include "secondsight/knowledge/history.hpp"

namespace secondsight::app {

struct LoadedConfig {
  config::Config config;
  config::Policy policy;
};

// Loads the config and its policies; prints every problem to `err`. nullopt on errors.
std::optional<LoadedConfig> load_config_and_policies(const std::filesystem::path& file,
                                                     std::ostream& err);

// Loads the config alone, for commands that need the state folder, the time zone or the sinks
// but not the policies (an ack or a revocation must work while a policy file is being fixed);
// prints every problem to `err`. nullopt on errors.
std::optional<config::Config> load_config_only(const std::filesystem::path& file,
                                               std::ostream& err);

// Checks that the people and groups filters are valid LDAP filters.
void check_directory_filters(const config::Config& config, Diagnostics& diagnostics);

// Runs one scan (the state locked, the database open) and hands its report to `then`, whose
// result is the exit code; a bad --now is 2, a state that cannot be opened 3.
int run_scan(const LoadedConfig& loaded, const std::string& now, const ScanSteps& steps,
             std::ostream& err, const std::function<int(ScanReport&, store::Database&)>& then);
// 3 with a line on `err` for the first source of the scan that failed; else 0.
int sources_exit(const ScanReport& report, std::ostream& err);
// 5 with clock_behind_message on `err`: for a scan whose clock was behind its state.
int clock_exit(const ScanReport& report, std::ostream& err);

struct ScanOptions {
  std::filesystem::path config;
  std::string now;  // empty: the system clock
  OutputFormat format = OutputFormat::table;
  std::optional<Severity> fail_on;
  bool replay = false;  // a --now before the latest scan changes the state all the same
  bool colour = false;  // severities in colour in the table (a terminal without NO_COLOR)
};
int command_scan(const ScanOptions& options, std::ostream& out, std::ostream& err);

int command_policy_check(const std::filesystem::path& config, std::ostream& out, std::ostream& err);

struct FindingsListOptions {
  std::filesystem::path config;
  OutputFormat format = OutputFormat::table;
  bool include_resolved = false;
};
int command_findings_list(const FindingsListOptions& options, std::ostream& out, std::ostream& err);

struct KnowledgeOptions {
  std::filesystem::path repository;
  std::string before;  // RFC 3339, or YYYY-MM-DD for the start of that day (UTC); empty: none
  std::string rev;     // a commit-ish; empty: HEAD
  knowledge::FileSet files = knowledge::FileSet::all;
  OutputFormat format = OutputFormat::table;  // table or json
};
// `secondsight knowledge`: the authors and the truck factor of one repository, every git
// identity counting on its own (merged when the email or the name is the same). Exit 2 for bad
// usage, 3 when git fails (its message on `err`).
int command_knowledge(const KnowledgeOptions& options, std::ostream& out, std::ostream& err);

struct HandoverRecordOptions {
  std::filesystem::path config;
  std::string person;
  std::string system;
  std::string receiver;
  std::string doc;
  std::string date;  // YYYY-MM-DD; empty: today in the config's timezone
};
// Keeps a handover in the state database, with an entry in the evidence log, and prints its
// id. An unknown system is an error; warns when the person is no one in the directory or the
// record will not count (a receiver who is seconded, disabled or unknown) but keeps it: the
// directory may change. Unknown names come with the closest known one.
int command_handover_record(const HandoverRecordOptions& options, std::ostream& out,
                            std::ostream& err);

struct HandoverListOptions {
  std::filesystem::path config;
  std::string person;  // id or alias; empty: everyone
  std::string system;  // empty: every system
  OutputFormat format = OutputFormat::table;
};
// `handover list`: every handover of handovers_file and of the state database, revoked ones
// too, with where each comes from. Reads only; a state that does not exist is refused. An
// unknown --person or --system (named by no record either) is an error with the closest name.
int command_handover_list(const HandoverListOptions& options, std::ostream& out, std::ostream& err);

struct HandoverRevokeOptions {
  std::filesystem::path config;
  std::string id;  // as `handover list` shows it
  std::string reason;
};
// `handover revoke`: a recorded handover no longer counts from the next scan on; who revoked
// it, when and why stay with it and go to the evidence log. A handover item of the person's
// checklist that was done is open again, for the next scan to look at. An unknown id, one
// revoked already or an empty reason is an error of kind invalid.
int command_handover_revoke(const HandoverRevokeOptions& options, std::ostream& out,
                            std::ostream& err);

enum class ChecklistFormat { markdown, html, json };
struct ChecklistCommandOptions {
  std::filesystem::path config;
  std::string person;
  std::string now;  // empty: the system clock
  ChecklistFormat format = ChecklistFormat::markdown;
  std::vector<std::string> done;  // manual items to tick
  bool replay = false;
};
// Prints anyone's checklist (saying what they are: employee, seconded, near the end or not) from
// the directory now, the activity, knowledge and progress as stored, changing nothing; a state
// that does not exist is refused. With `done`: runs a scan, keeps the person's checklist, ticks
// the given manual items, writes its files, and prints it.
int command_checklist(const ChecklistCommandOptions& options, std::ostream& out, std::ostream& err);

// The user who runs the command, for records: $SUDO_USER when run through sudo, else the
// effective user's name.
std::string invoking_user();

// `alerts list`: per sink, what waits for delivery (how many, the oldest and its age, the last
// error, the next try), then each waiting alert with the id `alerts skip` takes. Read-only.
struct AlertsListOptions {
  std::filesystem::path config;
  std::string sink;  // empty: every sink; else a sink's name, its type, or part of its name
  OutputFormat format = OutputFormat::table;
};
int command_alerts_list(const AlertsListOptions& options, std::ostream& out, std::ostream& err);

// `alerts retry`: every wait of the sink's (or every sink's) queued alerts is over. With no
// daemon delivering for the state folder, delivers them now; else asks the daemon to (SIGUSR1).
struct AlertsRetryOptions {
  std::filesystem::path config;
  std::string sink;
};
int command_alerts_retry(const AlertsRetryOptions& options, std::ostream& out, std::ostream& err);

// `alerts skip`: gives up on one queued alert, so its sink goes on with the next; who and why
// go to the evidence log.
struct AlertsSkipOptions {
  std::filesystem::path config;
  std::int64_t id = 0;
  std::string reason;
};
int command_alerts_skip(const AlertsSkipOptions& options, std::ostream& out, std::ostream& err);

// `findings ack`: silences a finding's alerts until a date (findings_commands.cpp).
struct FindingsAckOptions {
  std::filesystem::path config;
  std::string fingerprint;  // whole, or a unique prefix of at least 8 characters
  std::string until;        // YYYY-MM-DD (through that day, in the config's timezone) or RFC 3339
  std::string reason;
};
int command_findings_ack(const FindingsAckOptions& options, std::ostream& out, std::ostream& err);

// `findings history`: a finding's changes, acks and alerts over time, from the evidence log.
struct FindingsHistoryOptions {
  std::filesystem::path config;
  std::string fingerprint;  // empty with `all`
  bool all = false;
  OutputFormat format = OutputFormat::table;
};
int command_findings_history(const FindingsHistoryOptions& options, std::ostream& out,
                             std::ostream& err);

// `evidence verify`: walks the evidence log's chain; exit k_exit_tampered at the first entry
// that was edited, removed or moved.
struct EvidenceVerifyOptions {
  std::filesystem::path config;
  std::string anchor;  // SEQ:HASH from an alert or an earlier verify; catches a cut-off end
};
int command_evidence_verify(const EvidenceVerifyOptions& options, std::ostream& out,
                            std::ostream& err);

}  // namespace secondsight::app
