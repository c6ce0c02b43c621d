// The commands of the command line, as functions of the library: testable without a process.
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>

#include "secondsight/app/output.hpp"
#include "secondsight/checks/finding.hpp"
#include "secondsight/config/config.hpp"
#include "secondsight/config/policy.hpp"

namespace secondsight::app {

// Exit codes (DESIGN.md, "Command line").
inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_findings = 1;  // findings at or above --fail-on
inline constexpr int k_exit_usage = 2;     // bad usage or configuration
inline constexpr int k_exit_source = 3;    // a source failed
inline constexpr int k_exit_tampered = 4;  // evidence verify: the evidence log was tampered with

struct LoadedConfig {
  config::Config config;
  config::Policy policy;
};

// Loads the config and its policies; prints every problem to `err`. nullopt on errors.
std::optional<LoadedConfig> load_config_and_policies(const std::filesystem::path& file,
                                                     std::ostream& err);

// Checks that the people and groups filters are valid LDAP filters.
void check_directory_filters(const config::Config& config, Diagnostics& diagnostics);

struct ScanOptions {
  std::filesystem::path config;
  std::string now;  // empty: the system clock
  OutputFormat format = OutputFormat::table;
  std::optional<checks::Severity> fail_on;
};
int command_scan(const ScanOptions& options, std::ostream& out, std::ostream& err);

int command_policy_check(const std::filesystem::path& config, std::ostream& out, std::ostream& err);

struct FindingsListOptions {
  std::filesystem::path config;
  OutputFormat format = OutputFormat::table;
  bool include_resolved = false;
};
int command_findings_list(const FindingsListOptions& options, std::ostream& out, std::ostream& err);

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
