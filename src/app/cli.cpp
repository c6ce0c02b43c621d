#include "secondsight/app/cli.hpp"

#include <CLI/CLI.hpp>
#include <iostream>
#include <map>

#include "secondsight/app/commands.hpp"
#include "secondsight/app/daemon.hpp"
#include "secondsight/core/logging.hpp"
#include "secondsight/core/severity.hpp"
#include "secondsight/core/text.hpp"

namespace secondsight::app {
namespace {

const std::map<std::string, OutputFormat> k_formats{
    {"table", OutputFormat::table}, {"json", OutputFormat::json}, {"jsonl", OutputFormat::jsonl}};

CLI::App* add_command(CLI::App& parent, const std::string& name, const std::string& description) {
  auto* command = parent.add_subcommand(name, description);
  command->set_version_flag("--version", SECONDSIGHT_VERSION);
  return command;
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App cli{
      "secondsight: access and knowledge of seconded IT staff, against need-to-know "
      "policies and contract end dates",
      "secondsight"};
  cli.set_version_flag("--version", SECONDSIGHT_VERSION);
  cli.require_subcommand(1);
  cli.fallthrough();
  std::string log_level = "warn";
  cli.add_option("--log-level", log_level, "trace, debug, info, warn, error or off")
      ->capture_default_str();

  ScanOptions scan;
  std::string fail_on;
  auto* scan_command = add_command(cli, "scan", "Run one scan and print the open findings");
  scan_command->add_option("--config", scan.config, "Config file (secondsight.yaml)")->required();
  scan_command->add_option("--now", scan.now,
                           "Fix the clock: RFC 3339, or YYYY-MM-DD for the start of that day");
  scan_command->add_flag("--replay", scan.replay,
                         "Scan at a --now before the latest scan of the state, on purpose");
  scan_command->add_option("--format", scan.format, "table, json or jsonl")
      ->transform(CLI::CheckedTransformer(k_formats, CLI::ignore_case));
  scan_command
      ->add_option("--fail-on", fail_on, "Exit 1 when a finding of this severity or higher is open")
      ->check(
          CLI::IsMember(std::vector<std::string>(k_severity_names.begin(), k_severity_names.end()),
                        CLI::ignore_case));

  std::filesystem::path policy_config;
  auto* policy_command = add_command(cli, "policy", "Work with the policy files");
  policy_command->require_subcommand(1);
  auto* check_command = add_command(*policy_command, "check",
                                    "Validate the config and policies; FILE:LINE:COL for each "
                                    "problem, exit 2 on errors");
  check_command->add_option("--config", policy_config, "Config file (secondsight.yaml)")
      ->required();

  FindingsListOptions list;
  auto* findings_command = add_command(cli, "findings", "Findings kept in the state database");
  findings_command->require_subcommand(1);
  auto* list_command = add_command(*findings_command, "list", "List the open findings");
  list_command->add_option("--config", list.config, "Config file (secondsight.yaml)")->required();
  list_command->add_option("--format", list.format, "table, json or jsonl")
      ->transform(CLI::CheckedTransformer(k_formats, CLI::ignore_case));
  list_command->add_flag("--all", list.include_resolved, "Include resolved findings");

  KnowledgeOptions knowledge_options;
  auto* knowledge_command =
      add_command(cli, "knowledge", "Authors and truck factor of one git repository (no config)");
  knowledge_command
      ->add_option("--repo", knowledge_options.repository, "The repository, bare or not")
      ->required();
  auto* before = knowledge_command->add_option(
      "--before", knowledge_options.before,
      "The last commit on HEAD's first-parent line before this: RFC 3339, or YYYY-MM-DD (UTC)");
  knowledge_command
      ->add_option("--rev", knowledge_options.rev, "The commit to analyse (default HEAD)")
      ->excludes(before);
  knowledge_command->add_option("--files", knowledge_options.files, "all or code")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, knowledge::FileSet>{{"all", knowledge::FileSet::all},
                                                    {"code", knowledge::FileSet::code}},
          CLI::ignore_case));
  knowledge_command->add_option("--format", knowledge_options.format, "table or json")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, OutputFormat>{{"table", OutputFormat::table},
                                              {"json", OutputFormat::json}},
          CLI::ignore_case));

  HandoverRecordOptions handover;
  auto* handover_command = add_command(cli, "handover", "Handovers of knowledge");
  handover_command->require_subcommand(1);
  auto* record_command = add_command(*handover_command, "record",
                                     "Record that a person handed a system over to a receiver");
  record_command->add_option("--config", handover.config, "Config file (secondsight.yaml)")
      ->required();
  record_command->add_option("--person", handover.person, "Who handed over (id or alias)")
      ->required();
  record_command->add_option("--system", handover.system, "The system's id")->required();
  record_command->add_option("--receiver", handover.receiver, "Who took over (id or alias)")
      ->required();
  record_command->add_option("--doc", handover.doc, "Where the documentation is (URL)");
  record_command->add_option("--date", handover.date,
                             "When it took place (YYYY-MM-DD); default today");

  ChecklistCommandOptions checklist;
  auto* checklist_command =
      add_command(cli, "checklist", "Scan, then print a person's offboarding checklist");
  checklist_command->add_option("PERSON", checklist.person, "The person's id")->required();
  checklist_command->add_option("--config", checklist.config, "Config file (secondsight.yaml)")
      ->required();
  checklist_command->add_option("--now", checklist.now,
                                "Fix the clock: RFC 3339, or YYYY-MM-DD for the start of that day");
  checklist_command->add_flag("--replay", checklist.replay,
                              "Scan at a --now before the latest scan of the state, on purpose");
  checklist_command->add_option("--format", checklist.format, "markdown, html or json")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, ChecklistFormat>{{"markdown", ChecklistFormat::markdown},
                                                 {"md", ChecklistFormat::markdown},
                                                 {"html", ChecklistFormat::html},
                                                 {"json", ChecklistFormat::json}},
          CLI::ignore_case));
  checklist_command->add_option("--done", checklist.done,
                                "Tick a manual item (e.g. policy:2); may be repeated");

  DaemonOptions daemon;
  auto* daemon_command =
      add_command(cli, "daemon",
                  "Run scans on timers and as logs grow until stopped (systemd Type=notify; SIGHUP "
                  "reloads, SIGTERM stops)");
  daemon_command->add_option("--config", daemon.config, "Config file (secondsight.yaml)")
      ->required();
  daemon_command->add_option("--now", daemon.now,
                             "Start the daemon's clock at this time (RFC 3339 or YYYY-MM-DD); "
                             "it runs on from there");
  FindingsAckOptions ack;
  auto* ack_command =
      add_command(*findings_command, "ack", "Silence a finding's alerts until a date");
  ack_command
      ->add_option("fingerprint", ack.fingerprint,
                   "The finding's fingerprint (or its first 8 or more characters)")
      ->required();
  ack_command
      ->add_option("--until", ack.until,
                   "YYYY-MM-DD (through that day, in the config's timezone) or RFC 3339")
      ->required();
  ack_command->add_option("--reason", ack.reason, "Why it may be silenced")->required();
  ack_command->add_option("--config", ack.config, "Config file (secondsight.yaml)")->required();

  FindingsHistoryOptions history;
  auto* history_command =
      add_command(*findings_command, "history", "A finding's changes, acks and alerts over time");
  history_command->add_option("fingerprint", history.fingerprint,
                              "The finding's fingerprint (or its first 8 or more characters)");
  history_command->add_flag("--all", history.all, "Every finding's history");
  history_command->add_option("--config", history.config, "Config file (secondsight.yaml)")
      ->required();
  history_command->add_option("--format", history.format, "table, json or jsonl")
      ->transform(CLI::CheckedTransformer(k_formats, CLI::ignore_case));

  EvidenceVerifyOptions verify;
  auto* evidence_command = add_command(cli, "evidence", "The evidence log of every change");
  evidence_command->require_subcommand(1);
  auto* verify_command = add_command(*evidence_command, "verify",
                                     "Check the evidence log's hash chain; exit 4 when an "
                                     "entry was edited, removed or reordered");
  verify_command->add_option("--config", verify.config, "Config file (secondsight.yaml)")
      ->required();
  verify_command->add_option("--anchor", verify.anchor,
                             "SEQ:HASH of an entry known from an alert or an earlier verify");

  try {
    cli.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return cli.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return cli.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return cli.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << message_line("secondsight: ", e.what()) << "Run 'secondsight --help' for usage.\n";
    return k_exit_usage;
  }
  if (!set_log_level(log_level)) {
    std::cerr << message_line("secondsight: --log-level: '", log_level, "' is not a level");
    return k_exit_usage;
  }

  try {
    if (*scan_command) {
      if (!fail_on.empty()) {
        std::string key = fail_on;
        for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (auto severity = parse_severity(key)) scan.fail_on = *severity;
      }
      return command_scan(scan, std::cout, std::cerr);
    }
    if (*check_command) return command_policy_check(policy_config, std::cout, std::cerr);
    if (*list_command) return command_findings_list(list, std::cout, std::cerr);
    if (*knowledge_command) return command_knowledge(knowledge_options, std::cout, std::cerr);

    if (*record_command) return command_handover_record(handover, std::cout, std::cerr);
    if (*checklist_command) return command_checklist(checklist, std::cout, std::cerr);
    if (*daemon_command) return command_daemon(daemon, std::cerr);
    if (*ack_command) return command_findings_ack(ack, std::cout, std::cerr);
    if (*history_command) return command_findings_history(history, std::cout, std::cerr);
    if (*verify_command) return command_evidence_verify(verify, std::cout, std::cerr);
  } catch (const std::exception& e) {
    // Libraries that throw are caught here, at the boundary, as one sentence.
    std::cerr << message_line("secondsight: ", e.what());
    return k_exit_source;
  }
  return k_exit_usage;
}

}  // namespace secondsight::app
