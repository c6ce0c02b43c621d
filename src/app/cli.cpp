#include "secondsight/app/cli.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <map>

#include "secondsight/app/build_info.hpp"
#include "secondsight/app/commands.hpp"
#include "secondsight/app/completion.hpp"
#include "secondsight/app/daemon.hpp"
#include "secondsight/core/logging.hpp"
#include "secondsight/core/severity.hpp"
#include "secondsight/core/terminal.hpp"
#include "secondsight/core/text.hpp"

namespace secondsight::app {
namespace {

template <class Enum>
using Choices = std::vector<std::pair<std::string, Enum>>;

const Choices<OutputFormat> k_formats{
    {"table", OutputFormat::table}, {"json", OutputFormat::json}, {"jsonl", OutputFormat::jsonl}};

// The config file when --config is not given: SECONDSIGHT_CONFIG, else the packaged place.
constexpr const char* k_default_config = "/etc/secondsight/secondsight.yaml";
constexpr const char* k_config_variable = "SECONDSIGHT_CONFIG";

std::string version_text() {
  return std::string("secondsight ") + std::string(k_build_info.version) + " (revision " +
         std::string(k_build_info.revision) + ", built " + std::string(k_build_info.date) + ")";
}

CLI::App* add_command(CLI::App& parent, const std::string& name, const std::string& description) {
  auto* command = parent.add_subcommand(name, description);
  command->set_version_flag("-V,--version", version_text());
  return command;
}

// An option whose value is one of `choices`, given as a word (any case); the words show in
// --help and in the error for any other value, a number included.
template <class Enum>
CLI::Option* add_choice(CLI::App& command, const std::string& name, Enum& target,
                        Choices<Enum> choices, const std::string& description) {
  std::string words;
  std::vector<std::string> names;
  for (const auto& [word, value] : choices) {
    words += (words.empty() ? "" : "|") + word;
    names.push_back(word);
  }
  std::string shown;
  for (const auto& [word, value] : choices)
    if (value == target && shown.empty()) shown = word;
  return command
      .add_option_function<std::string>(
          name,
          [&target, choices](const std::string& given) {
            for (const auto& [word, value] : choices)
              if (CLI::detail::to_lower(given) == word) target = value;
          },
          description)
      ->check(CLI::IsMember(names, CLI::ignore_case).description(""))
      ->type_name(words)
      ->default_str(shown);
}

// --config FILE, from SECONDSIGHT_CONFIG or the packaged place when not given.
CLI::Option* add_config(CLI::App& command, std::filesystem::path& target) {
  target = k_default_config;
  return command
      .add_option("--config", target,
                  std::string("Config file (default: $") + k_config_variable + ", else " +
                      k_default_config + ")")
      ->envname(k_config_variable)
      ->type_name("FILE");
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App cli{
      "secondsight: access and knowledge of seconded IT staff, against need-to-know "
      "policies and contract end dates",
      "secondsight"};
  cli.set_version_flag("-V,--version", version_text());
  std::string exit_status =
      "Exit status:\n  0  done, every source read\n  1  scan --fail-on: a finding of that "
      "severity or higher is open\n";
  for (const auto& row : k_exit_codes)
    exit_status += "  " + std::to_string(row.code) + "  " + std::string(row.meaning) + "\n";
  cli.footer(exit_status);
  cli.require_subcommand(1);
  cli.fallthrough();
  std::string log_level = "warn";
  cli.add_option("--log-level", log_level, "trace, debug, info, warn, error or off")
      ->capture_default_str();

  ScanOptions scan;
  Severity fail_on = Severity::info;
  auto* scan_command = add_command(cli, "scan", "Run one scan and print the open findings");
  add_config(*scan_command, scan.config);
  scan_command->add_option("--now", scan.now,
                           "Fix the clock: RFC 3339, or YYYY-MM-DD for the start of that day");
  scan_command->add_flag("--replay", scan.replay,
                         "Scan at a --now before the latest scan of the state, on purpose");
  add_choice(*scan_command, "--format", scan.format, k_formats, "Output format");
  Choices<Severity> severities;
  for (std::size_t i = 0; i < k_severity_names.size(); ++i)
    severities.emplace_back(std::string(k_severity_names[i]), static_cast<Severity>(i));
  add_choice(*scan_command, "--fail-on", fail_on, severities,
             "Exit 1 when a finding of this severity or higher is open")
      ->default_str("");

  std::filesystem::path policy_config;
  auto* policy_command = add_command(cli, "policy", "Work with the policy files");
  policy_command->require_subcommand(1);
  auto* check_command = add_command(*policy_command, "check",
                                    "Validate the config and policies; FILE:LINE:COL for each "
                                    "problem, exit 2 on errors");
  add_config(*check_command, policy_config);

  FindingsListOptions list;
  auto* findings_command = add_command(cli, "findings", "Findings kept in the state database");
  findings_command->require_subcommand(1);
  auto* list_command = add_command(*findings_command, "list", "List the open findings");
  add_config(*list_command, list.config);
  add_choice(*list_command, "--format", list.format, k_formats, "Output format");
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
  add_choice(*knowledge_command, "--files", knowledge_options.files,
             Choices<knowledge::FileSet>{{"all", knowledge::FileSet::all},
                                         {"code", knowledge::FileSet::code}},
             "Which files count: every file, or code only");
  add_choice(*knowledge_command, "--format", knowledge_options.format,
             Choices<OutputFormat>{{"table", OutputFormat::table}, {"json", OutputFormat::json}},
             "Output format");

  HandoverRecordOptions handover;
  auto* handover_command = add_command(cli, "handover", "Handovers of knowledge");
  handover_command->require_subcommand(1);
  auto* record_command = add_command(*handover_command, "record",
                                     "Record that a person handed a system over to a receiver");
  add_config(*record_command, handover.config);
  record_command->add_option("--person", handover.person, "Who handed over (id or alias)")
      ->required();
  record_command->add_option("--system", handover.system, "The system's id")->required();
  record_command->add_option("--receiver", handover.receiver, "Who took over (id or alias)")
      ->required();
  record_command->add_option("--doc", handover.doc, "Where the documentation is (URL)");
  record_command->add_option("--date", handover.date,
                             "When it took place (YYYY-MM-DD); default today");

  HandoverListOptions handovers;
  auto* handover_list_command =
      add_command(*handover_command, "list",
                  "List the handovers of the handovers file and the state database, revoked "
                  "ones too");
  add_config(*handover_list_command, handovers.config);
  handover_list_command->add_option("--person", handovers.person,
                                    "Only those of this person (id or alias)");
  handover_list_command->add_option("--system", handovers.system, "Only those of this system");
  add_choice(*handover_list_command, "--format", handovers.format, k_formats, "Output format");

  HandoverRevokeOptions revoke;
  auto* revoke_command =
      add_command(*handover_command, "revoke", "Revoke a recorded handover: it no longer counts");
  revoke_command->add_option("id", revoke.id, "The handover's id, as handover list shows it")
      ->required();
  revoke_command->add_option("--reason", revoke.reason, "Why it is revoked")->required();
  add_config(*revoke_command, revoke.config);

  ChecklistCommandOptions checklist;
  auto* checklist_command =
      add_command(cli, "checklist",
                  "Print anyone's offboarding checklist as it stands, changing nothing; with "
                  "--done, scan and tick manual items");
  checklist_command->add_option("PERSON", checklist.person, "The person's id")->required();
  add_config(*checklist_command, checklist.config);
  checklist_command->add_option("--now", checklist.now,
                                "Fix the clock: RFC 3339, or YYYY-MM-DD for the start of that day");
  checklist_command->add_flag("--replay", checklist.replay,
                              "With --done: scan at a --now before the latest scan, on purpose");
  add_choice(*checklist_command, "--format", checklist.format,
             Choices<ChecklistFormat>{{"markdown", ChecklistFormat::markdown},
                                      {"md", ChecklistFormat::markdown},
                                      {"html", ChecklistFormat::html},
                                      {"json", ChecklistFormat::json}},
             "Output format");
  checklist_command->add_option("--done", checklist.done,
                                "Tick a manual item (e.g. policy:2); may be repeated");

  DaemonOptions daemon;
  auto* daemon_command =
      add_command(cli, "daemon",
                  "Run scans on timers and as logs grow until stopped (systemd Type=notify; SIGHUP "
                  "reloads and retries queued alerts, SIGUSR1 retries them, SIGTERM stops)");
  add_config(*daemon_command, daemon.config);
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
  add_config(*ack_command, ack.config);

  FindingsHistoryOptions history;
  auto* history_command =
      add_command(*findings_command, "history", "A finding's changes, acks and alerts over time");
  history_command->add_option("fingerprint", history.fingerprint,
                              "The finding's fingerprint (or its first 8 or more characters)");
  history_command->add_flag("--all", history.all, "Every finding's history");
  add_config(*history_command, history.config);
  add_choice(*history_command, "--format", history.format, k_formats, "Output format");

  auto* alerts_command =
      add_command(cli, "alerts", "Alerts waiting for delivery: see, retry now, give up on one");
  alerts_command->require_subcommand(1);
  AlertsListOptions alerts_list;
  auto* alerts_list_command = add_command(
      *alerts_command, "list",
      "Per sink: alerts queued, the oldest and its age, the last error, the next try; then each "
      "waiting alert with its id");
  add_config(*alerts_list_command, alerts_list.config);
  alerts_list_command->add_option("--sink", alerts_list.sink,
                                  "Only this sink: its name, its type, or part of its name");
  add_choice(*alerts_list_command, "--format", alerts_list.format, k_formats, "Output format");
  AlertsRetryOptions alerts_retry;
  auto* alerts_retry_command =
      add_command(*alerts_command, "retry",
                  "Try the queued alerts now (the daemon is told; without one, delivers them; "
                  "SIGHUP or SIGUSR1 to the daemon does the same)");
  add_config(*alerts_retry_command, alerts_retry.config);
  alerts_retry_command->add_option("--sink", alerts_retry.sink,
                                   "Only this sink: its name, its type, or part of its name");
  AlertsSkipOptions alerts_skip;
  auto* alerts_skip_command =
      add_command(*alerts_command, "skip",
                  "Give up on one queued alert so its sink goes on; who and why go to the "
                  "evidence log");
  alerts_skip_command->add_option("ID", alerts_skip.id, "The alert's id, as `alerts list` shows it")
      ->required();
  alerts_skip_command->add_option("--reason", alerts_skip.reason, "Why it is given up on")
      ->required();
  add_config(*alerts_skip_command, alerts_skip.config);

  EvidenceVerifyOptions verify;
  auto* evidence_command = add_command(cli, "evidence", "The evidence log of every change");
  evidence_command->require_subcommand(1);
  auto* verify_command = add_command(*evidence_command, "verify",
                                     "Check the evidence log's hash chain; exit 4 when an "
                                     "entry was edited, removed or reordered");
  add_config(*verify_command, verify.config);
  verify_command->add_option("--anchor", verify.anchor,
                             "SEQ:HASH of an entry known from an alert or an earlier verify");

  // Hidden: what the build runs to write the completion scripts and the manual pages.
  std::string completion_of = "bash";
  auto* completion_command =
      cli.add_subcommand("completion", "Print a shell completion script, or the commands");
  completion_command->group("");
  completion_command->add_option("WHAT", completion_of, "bash, zsh or commands")
      ->check(CLI::IsMember({"bash", "zsh", "commands"}));

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
      if (scan_command->count("--fail-on") > 0) scan.fail_on = fail_on;
      scan.colour = colour_wanted(STDOUT_FILENO);
      return command_scan(scan, std::cout, std::cerr);
    }
    if (*check_command) return command_policy_check(policy_config, std::cout, std::cerr);
    if (*list_command) return command_findings_list(list, std::cout, std::cerr);
    if (*knowledge_command) return command_knowledge(knowledge_options, std::cout, std::cerr);

    if (*record_command) return command_handover_record(handover, std::cout, std::cerr);
    if (*handover_list_command) return command_handover_list(handovers, std::cout, std::cerr);
    if (*revoke_command) return command_handover_revoke(revoke, std::cout, std::cerr);
    if (*checklist_command) return command_checklist(checklist, std::cout, std::cerr);
    if (*daemon_command) return command_daemon(daemon, std::cerr);
    if (*ack_command) return command_findings_ack(ack, std::cout, std::cerr);
    if (*history_command) return command_findings_history(history, std::cout, std::cerr);
    if (*verify_command) return command_evidence_verify(verify, std::cout, std::cerr);
    if (*alerts_list_command) return command_alerts_list(alerts_list, std::cout, std::cerr);
    if (*alerts_retry_command) return command_alerts_retry(alerts_retry, std::cout, std::cerr);
    if (*alerts_skip_command) return command_alerts_skip(alerts_skip, std::cout, std::cerr);
    if (*completion_command) {
      std::cout << (completion_of == "commands"
                        ? command_list(cli)
                        : completion_script(cli,
                                            completion_of == "zsh" ? Shell::zsh : Shell::bash));
      return k_exit_ok;
    }
  } catch (const std::exception& e) {
    // Libraries that throw are caught here, at the boundary, as one sentence.
    std::cerr << message_line("secondsight: ", e.what());
    return k_exit_source;
  }
  return k_exit_usage;
}

}  // namespace secondsight::app
