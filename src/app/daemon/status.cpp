#include <fmt/format.h>

#include <algorithm>

#include "secondsight/app/build_info.hpp"
#include "secondsight/app/daemon_status.hpp"
#include "secondsight/core/text.hpp"

namespace secondsight::app {

void DaemonStatus::add_scan(const ScanReport& report, double seconds) {
  ++scans;
  scan_seconds_total += seconds;
  last_scan_seconds = seconds;
  last_scan = report.now;
  clock_behind = report.clock_behind ? clock_behind_message(report) : std::string();
  for (const auto& figures : report.sources) {
    auto& totals = sources[figures.name];
    totals.format = figures.format;
    totals.lines += figures.lines;
    totals.events += figures.events;
    totals.skipped += figures.skipped;
    totals.unresolved += figures.unresolved;
    totals.unattributed += figures.unattributed;
    totals.ok = figures.ok;
    totals.error = figures.error;
  }
  if (report.directory.complete) {
    repositories = report.repositories;
    handovers_error = report.handovers_error;
  }
  open_findings.clear();
  for (const auto& stored : report.findings)
    ++open_findings[{stored.finding.kind, std::string(to_string(stored.finding.severity))}];
}

void DaemonStatus::forget_sources_except(const std::vector<config::LogSourceConfig>& configured) {
  std::erase_if(sources, [&](const auto& entry) {
    return std::none_of(configured.begin(), configured.end(),
                        [&](const auto& source) { return source.name == entry.first; });
  });
}

std::vector<std::string> DaemonStatus::problems() const {
  std::vector<std::string> out;
  if (!directory_ok)
    out.push_back("directory: " +
                  (directory_error.empty() ? std::string("not read yet") : directory_error));
  for (const auto& [name, totals] : sources)
    if (!totals.ok) out.push_back("log source " + name + ": " + totals.error);
  for (const auto& repository : repositories)
    if (!repository.error.empty())
      out.push_back("repository " + repository.path + ": " + repository.error);
  if (!handovers_error.empty()) out.push_back("handovers: " + handovers_error);
  if (!reload_error.empty()) out.push_back("reload: " + reload_error);
  if (!restart_needed.empty()) out.push_back("restart needed: " + restart_needed);
  if (!clock_behind.empty()) out.push_back("clock: " + clock_behind);
  if (!last_error.empty()) out.push_back("scan: " + last_error);
  return out;
}

std::string_view to_string(DaemonStatus::Sync sync) {
  switch (sync) {
    case DaemonStatus::Sync::off: return "off";
    case DaemonStatus::Sync::starting: return "starting";
    case DaemonStatus::Sync::following: return "following";
    case DaemonStatus::Sync::lost: return "lost";
    case DaemonStatus::Sync::unsupported: return "unsupported";
  }
  return "off";
}

bool DaemonStatus::degraded() const {
  return !problems().empty();
}

nlohmann::json health_json(const DaemonStatus& status, Instant now) {
  const auto problems = status.problems();
  nlohmann::json sources = nlohmann::json::object();
  for (const auto& [name, totals] : status.sources)
    sources[name] = totals.ok ? nlohmann::json("ok") : nlohmann::json(totals.error);
  const auto at = [](const std::optional<Instant>& time) {
    return time ? nlohmann::json(format_rfc3339(*time)) : nlohmann::json();
  };
  return {{"status", problems.empty() ? "ok" : "degraded"},
          {"problems", problems},
          {"now", format_rfc3339(now)},
          {"started", format_rfc3339(status.started)},
          {"last_scan", at(status.last_scan)},
          {"scans", status.scans},
          {"directory",
           {{"ok", status.directory_ok},
            {"last_good_poll", at(status.directory_polled)},
            {"people", status.people},
            {"groups", status.groups},
            {"sync", to_string(status.sync)}}},
          {"sources", sources}};
}

namespace {

// A label value: UTF-8 (the text format's encoding), with backslash, double quote and line
// feed escaped.
std::string label(std::string_view raw) {
  const std::string value = to_valid_utf8(raw);
  std::string out;
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

void family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

}  // namespace

std::string metrics_text(const DaemonStatus& status, Instant now) {
  std::string out;
  family(out, "secondsight_build_info", "gauge",
         "The version, git revision and build day of the running daemon; always 1.");
  out += fmt::format("secondsight_build_info{{version=\"{}\",revision=\"{}\",built=\"{}\"}} 1\n",
                     label(k_build_info.version), label(k_build_info.revision),
                     label(k_build_info.date));
  family(out, "secondsight_start_time_seconds", "gauge", "When the daemon started (Unix time).");
  out +=
      fmt::format("secondsight_start_time_seconds {}\n", status.started.time_since_epoch().count());
  family(out, "secondsight_scans_total", "counter", "Scans run since the daemon started.");
  out += fmt::format("secondsight_scans_total {}\n", status.scans);
  family(out, "secondsight_scan_failures_total", "counter",
         "Scans that could not run (the state database failed).");
  out += fmt::format("secondsight_scan_failures_total {}\n", status.scan_failures);
  family(out, "secondsight_scan_duration_seconds", "summary", "How long scans took.");
  out += fmt::format("secondsight_scan_duration_seconds_sum {:.6f}\n", status.scan_seconds_total);
  out += fmt::format("secondsight_scan_duration_seconds_count {}\n", status.scans);
  family(out, "secondsight_last_scan_duration_seconds", "gauge", "How long the last scan took.");
  out += fmt::format("secondsight_last_scan_duration_seconds {:.6f}\n", status.last_scan_seconds);

  family(out, "secondsight_directory_up", "gauge",
         "1 when the last directory poll was complete, else 0.");
  out += fmt::format("secondsight_directory_up {}\n", status.directory_ok ? 1 : 0);
  family(out, "secondsight_directory_polls_total", "counter", "Directory polls.");
  out += fmt::format("secondsight_directory_polls_total {}\n", status.directory_polls);
  family(out, "secondsight_directory_poll_failures_total", "counter",
         "Directory polls that were incomplete.");
  out +=
      fmt::format("secondsight_directory_poll_failures_total {}\n", status.directory_poll_failures);
  if (status.directory_polled) {
    family(out, "secondsight_directory_last_good_poll_timestamp_seconds", "gauge",
           "When the directory was last read completely (Unix time).");
    out += fmt::format("secondsight_directory_last_good_poll_timestamp_seconds {}\n",
                       status.directory_polled->time_since_epoch().count());
  }
  family(out, "secondsight_directory_sync_up", "gauge",
         "1 while the daemon follows the directory's changes as they are made, else 0.");
  out += fmt::format("secondsight_directory_sync_up {}\n",
                     status.sync == DaemonStatus::Sync::following ? 1 : 0);
  family(out, "secondsight_directory_sync_updates_total", "counter",
         "Snapshots of the directory taken from its changes.");
  out += fmt::format("secondsight_directory_sync_updates_total {}\n", status.sync_updates);
  family(out, "secondsight_directory_sync_refreshes_total", "counter",
         "Refreshes of content synchronisation: of the whole content, or from the kept cookie.");
  out += fmt::format("secondsight_directory_sync_refreshes_total{{from=\"whole\"}} {}\n",
                     status.sync_refreshes_whole);
  out += fmt::format("secondsight_directory_sync_refreshes_total{{from=\"cookie\"}} {}\n",
                     status.sync_refreshes_from_cookie);
  family(out, "secondsight_directory_sync_refresh_required_total", "counter",
         "Kept cookies the server no longer accepted (e-syncRefreshRequired).");
  out += fmt::format("secondsight_directory_sync_refresh_required_total {}\n",
                     status.sync_refreshes_required);
  family(out, "secondsight_directory_sync_lost_total", "counter",
         "Times following the directory stopped (connection lost, server stopped the search).");
  out += fmt::format("secondsight_directory_sync_lost_total {}\n", status.sync_connections_lost);
  family(out, "secondsight_directory_people", "gauge", "People in the last good poll.");
  out += fmt::format("secondsight_directory_people {}\n", status.people);

  struct Counter {
    std::string_view name;
    std::string_view help;
    std::uint64_t SourceTotals::*field;
  };
  for (const Counter& counter :
       {Counter{"secondsight_lines_read_total", "Log lines read per source.", &SourceTotals::lines},
        Counter{"secondsight_events_ingested_total", "Access events per source.",
                &SourceTotals::events},
        Counter{"secondsight_lines_skipped_total", "Damaged lines counted and skipped per source.",
                &SourceTotals::skipped},
        Counter{"secondsight_events_unresolved_total",
                "Events whose identity resolved to no person, per source.",
                &SourceTotals::unresolved},
        Counter{"secondsight_events_unattributed_total",
                "Events no system's activity rules match, per source.",
                &SourceTotals::unattributed}}) {
    family(out, counter.name, "counter", counter.help);
    for (const auto& [name, totals] : status.sources)
      out += fmt::format("{}{{source=\"{}\",format=\"{}\"}} {}\n", counter.name, label(name),
                         label(totals.format), totals.*counter.field);
  }
  family(out, "secondsight_source_up", "gauge", "1 when the source was read in the last scan.");
  for (const auto& [name, totals] : status.sources)
    out +=
        fmt::format("secondsight_source_up{{source=\"{}\"}} {}\n", label(name), totals.ok ? 1 : 0);

  family(out, "secondsight_findings_open", "gauge", "Open findings per kind and severity.");
  for (const auto& [key, count] : status.open_findings)
    out += fmt::format("secondsight_findings_open{{kind=\"{}\",severity=\"{}\"}} {}\n",
                       label(key.first), label(key.second), count);
  family(out, "secondsight_outbox_depth", "gauge", "Alerts waiting for delivery, per sink.");
  for (const auto& [sink, totals] : status.sinks)
    out += fmt::format("secondsight_outbox_depth{{sink=\"{}\"}} {}\n", label(sink), totals.queued);
  family(out, "secondsight_outbox_oldest_age_seconds", "gauge",
         "How long the oldest undelivered alert has waited, per sink (0: none waits).");
  for (const auto& [sink, totals] : status.sinks) {
    const auto age =
        totals.oldest ? std::max<std::int64_t>(0, (now - *totals.oldest).count()) : std::int64_t{0};
    out +=
        fmt::format("secondsight_outbox_oldest_age_seconds{{sink=\"{}\"}} {}\n", label(sink), age);
  }
  family(out, "secondsight_alerts_delivered_total", "counter",
         "Alerts delivered per sink since the daemon started.");
  for (const auto& [sink, totals] : status.sinks)
    out += fmt::format("secondsight_alerts_delivered_total{{sink=\"{}\"}} {}\n", label(sink),
                       totals.delivered);
  family(out, "secondsight_alert_delivery_failures_total", "counter",
         "Failed delivery attempts per sink since the daemon started.");
  for (const auto& [sink, totals] : status.sinks)
    out += fmt::format("secondsight_alert_delivery_failures_total{{sink=\"{}\"}} {}\n", label(sink),
                       totals.failures);
  family(out, "secondsight_up", "gauge", "1 when nothing is degraded.");
  out += fmt::format("secondsight_up {}\n", status.degraded() ? 0 : 1);
  return out;
}

}  // namespace secondsight::app
