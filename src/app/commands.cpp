#include "secondsight/app/commands.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>

#include "secondsight/activity/formats.hpp"
#include "secondsight/app/alerts.hpp"
#include "secondsight/app/knowledge_refresh.hpp"
#include "secondsight/app/plugins.hpp"
#include "secondsight/app/scan.hpp"
#include "secondsight/config/handovers.hpp"
#include "secondsight/config/loader.hpp"
#include "secondsight/core/logging.hpp"
#include "secondsight/core/text.hpp"
#include "secondsight/directory/filter.hpp"
#include "secondsight/directory/snapshot.hpp"
#include "secondsight/store/database.hpp"
#include "secondsight/store/state_lock.hpp"

namespace secondsight::app {
namespace {

void print_diagnostics(const Diagnostics& diagnostics, std::ostream& err) {
  auto items = diagnostics.all();
  std::stable_sort(items.begin(), items.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.where.file, a.where.line, a.where.column) <
           std::tie(b.where.file, b.where.line, b.where.column);
  });
  for (const auto& item : items) err << message_line(item.format());
}

}  // namespace

void check_directory_filters(const config::Config& config, Diagnostics& diagnostics) {
  for (const auto* scope : {&config.directory.people, &config.directory.groups}) {
    auto filter = directory::Filter::parse(scope->filter);
    if (!filter)
      diagnostics.error(
          scope->filter_where.file.empty() ? config.directory.where : scope->filter_where,
          filter.error().message);
  }
}

namespace {

// The config, its filters and its policies; whatever could be read, problems in `diagnostics`.
std::pair<std::optional<config::Config>, std::optional<config::Policy>> load_checked(
    const std::filesystem::path& file, Diagnostics& diagnostics) {
  auto config = config::load_config(file, plugins(), diagnostics);
  std::optional<config::Policy> policy;
  if (config) {
    check_directory_filters(*config, diagnostics);
    policy = config::load_policies(*config, plugins(), diagnostics);
    if (policy) config::load_handovers(*config, *policy, diagnostics);
  }
  return {std::move(config), std::move(policy)};
}

}  // namespace

std::optional<config::Config> load_config_only(const std::filesystem::path& file,
                                               std::ostream& err) {
  Diagnostics diagnostics;
  auto config = config::load_config(file, plugins(), diagnostics);
  for (const auto& item : diagnostics.all()) err << message_line(item.format());
  if (!config || diagnostics.has_errors()) return std::nullopt;
  return config;
}

std::optional<LoadedConfig> load_config_and_policies(const std::filesystem::path& file,
                                                     std::ostream& err) {
  Diagnostics diagnostics;
  auto [config, policy] = load_checked(file, diagnostics);
  print_diagnostics(diagnostics, err);
  if (!config || !policy || diagnostics.has_errors()) return std::nullopt;
  return LoadedConfig{std::move(*config), std::move(*policy)};
}

int run_scan(const LoadedConfig& loaded, const std::string& now_text, const ScanSteps& steps,
             std::ostream& err, const std::function<int(ScanReport&, store::Database&)>& then) {
  const auto& config = loaded.config;
  Instant now = system_now();
  if (!now_text.empty()) {
    auto parsed = parse_now(now_text, config.zone);
    if (!parsed) {
      err << message_line("secondsight: --now: ", parsed.error().message);
      return k_exit_usage;
    }
    now = *parsed;
  }

  // One scan at a time per state: the other's log positions would be stale. A scan that only
  // shows reads a state that must be there, beside whatever scan runs.
  std::optional<store::FolderLock> lock;
  if (!steps.read_only) {
    auto locked = store::acquire_scan_lock(config.state_dir, [&] {
      logger("scan")->info("another scan of {} is running; waiting for it",
                           config.state_dir.string());
    });
    if (!locked) return report_error(err, locked.error());
    lock.emplace(std::move(*locked));
  }
  auto database = store::Database::open(
      database_path(config), steps.read_only ? store::Missing::refuse : store::Missing::create);
  if (!database) {
    return report_error(err, database.error());
  }
  IngestOptions ingest;
  ingest.now = now;
  ingest.wall_now = system_now();
  // Declared before the report: the scan's inputs are freed while `then` shows it.
  InputRelease release;
  ScanSteps releasing = steps;
  releasing.release = &release;
  auto report = scan_once(config, loaded.policy, ingest, *database, releasing);
  if (!report) {
    return report_error(err, report.error());
  }
  return then(*report, *database);
}

int clock_exit(const ScanReport& report, std::ostream& err) {
  err << message_line("secondsight: ", clock_behind_message(report));
  return k_exit_clock;
}

// 3 with a line on stderr for the first source that failed; 0 when every one was read.
int sources_exit(const ScanReport& report, std::ostream& err) {
  if (!report.directory.complete) {
    err << message_line("secondsight: the directory was unavailable: ", report.directory.error);
    return k_exit_source;
  }
  for (const auto& source : report.sources) {
    if (!source.ok) {
      err << message_line("secondsight: log source ", source.name, " failed: ", source.error);
      return k_exit_source;
    }
  }
  for (const auto& repository : report.repositories) {
    if (!repository.error.empty()) {
      err << message_line("secondsight: repository ", repository.path,
                          " failed: ", repository.error);
      return k_exit_source;
    }
  }
  if (!report.handovers_error.empty()) {
    err << message_line("secondsight: handovers unavailable: ", report.handovers_error);
    return k_exit_source;
  }
  return k_exit_ok;
}

int command_scan(const ScanOptions& options, std::ostream& out, std::ostream& err) {
  auto loaded = load_config_and_policies(options.config, err);
  if (!loaded) return k_exit_usage;
  ScanSteps steps;
  steps.replay = options.replay;
  return run_scan(*loaded, options.now, steps, err, [&](ScanReport& report, store::Database& db) {
    switch (options.format) {
      case OutputFormat::table:
        write_table(out, report, loaded->config.zone, options.colour);
        break;
      case OutputFormat::json: write_json(out, report); break;
      case OutputFormat::jsonl: write_jsonl(out, report); break;
    }
    out.flush();
    if (report.clock_behind) return clock_exit(report, err);
    deliver_queued_alerts(loaded->config, db, k_scan_delivery_budget, err);
    if (int code = sources_exit(report, err); code != k_exit_ok) return code;
    if (options.fail_on) {
      for (const auto& finding : report.findings)
        if (finding.finding.severity >= *options.fail_on) return k_exit_findings;
    }
    return k_exit_ok;
  });
}

namespace {

// A configured path that is not there or cannot be read: a scan would report the source as
// failed, so the check warns ahead of it.
void warn_unreadable(const std::filesystem::path& path, std::string_view what,
                     const Location& where, Diagnostics& diagnostics) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    diagnostics.warning(where, std::string(what) + " " + path.string() + " does not exist");
  else if (::access(path.c_str(), R_OK) != 0)
    diagnostics.warning(where, std::string(what) + " " + path.string() +
                                   " cannot be read: " + std::strerror(errno));
}

void warn_missing_inputs(const config::Config& config, const config::Policy* policy,
                         Diagnostics& diagnostics) {
  for (const auto& source : config.audit_logs) {
    if (source.path.empty()) continue;  // the system journal
    const bool journal = activity::reads_journal(source);
    warn_unreadable(source.path, journal ? "the journal folder" : "the log file", source.where,
                    diagnostics);
  }
  if (!policy) return;
  for (const auto& system : policy->systems)
    for (const auto& listed : system.repositories)
      warn_unreadable(repository_path(config, listed),
                      "the repository of system '" + system.id + "',", system.where, diagnostics);
}

}  // namespace

int command_policy_check(const std::filesystem::path& file, std::ostream& out, std::ostream&) {
  Diagnostics diagnostics;
  // Everything that can be read is checked, config and policies together, in one pass.
  std::optional<config::Config> config = config::load_config_as_read(file, plugins(), diagnostics);
  std::optional<config::Policy> policy;
  const bool config_read = !diagnostics.has_errors();
  if (config_read) check_directory_filters(*config, diagnostics);
  if (!config->policies.empty()) {
    policy = config::load_policies(*config, plugins(), diagnostics);
    if (policy && config_read) config::load_handovers(*config, *policy, diagnostics);
  }
  warn_missing_inputs(*config, policy ? &*policy : nullptr, diagnostics);
  // Group DNs are checked against what the directory holds now.
  if (config && policy && !diagnostics.has_errors()) {
    auto snapshot = directory::poll_configured_directory(config->directory, config->zone);
    if (!snapshot) {
      diagnostics.warning(
          config->directory.where,
          "cannot read the directory to check group DNs: " + snapshot.error().message);
    } else {
      for (const auto& system : policy->systems) {
        for (std::size_t i = 0; i < system.groups.size(); ++i) {
          if (snapshot->find_group(system.groups[i])) continue;
          Location where =
              i < system.group_locations.size() ? system.group_locations[i] : system.where;
          diagnostics.warning(where, "group '" + system.groups[i] + "' of system '" + system.id +
                                         "' matches no group in the directory (" +
                                         snapshot->source + ")");
        }
      }
    }
  }
  print_diagnostics(diagnostics, out);
  out << message_line(
      fmt::format("{}: {} error{}, {} warning{}", file.string(), diagnostics.error_count(),
                  diagnostics.error_count() == 1 ? "" : "s", diagnostics.warning_count(),
                  diagnostics.warning_count() == 1 ? "" : "s"));
  return diagnostics.has_errors() ? k_exit_usage : k_exit_ok;
}

int command_findings_list(const FindingsListOptions& options, std::ostream& out,
                          std::ostream& err) {
  auto loaded = load_config_and_policies(options.config, err);
  if (!loaded) return k_exit_usage;
  auto database = store::Database::open(database_path(loaded->config), store::Missing::refuse);
  if (!database) {
    return report_error(err, database.error());
  }
  store::FindingsStore findings(*database);
  auto list =
      findings.list(options.include_resolved
                        ? std::nullopt
                        : std::optional<findings::FindingStatus>(findings::FindingStatus::open));
  if (!list) {
    return report_error(err, list.error());
  }
  if (options.format == OutputFormat::table) {
    write_findings_table(out, *list, system_now(), loaded->config.zone);
  } else {
    nlohmann::json all = nlohmann::json::array();
    for (const auto& stored : *list) {
      if (options.format == OutputFormat::jsonl)
        out << json_text(finding_json(stored)) << '\n';
      else
        all.push_back(finding_json(stored));
    }
    if (options.format == OutputFormat::json) out << json_text(all, 2) << '\n';
  }
  return k_exit_ok;
}

}  // namespace secondsight::app
