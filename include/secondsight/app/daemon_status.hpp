// What the daemon knows about itself, as the local API serves it: health and Prometheus
// metrics. Pure functions of a status, so they are tested without a daemon.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "secondsight/app/scan.hpp"
#include "secondsight/core/time.hpp"

namespace secondsight::app {

struct SourceTotals {
  std::string format;
  std::uint64_t lines = 0;
  std::uint64_t events = 0;
  std::uint64_t skipped = 0;
  std::uint64_t unresolved = 0;
  std::uint64_t unattributed = 0;
  bool ok = true;
  std::string error;
};

// One alert sink as /metrics shows it.
struct SinkStatus {
  std::int64_t queued = 0;
  std::optional<Instant> oldest;  // when the oldest undelivered alert was queued
  std::uint64_t delivered = 0;    // since the daemon started
  std::uint64_t failures = 0;     // failed attempts since the daemon started
};

struct DaemonStatus {
  Instant started;
  std::uint64_t scans = 0;
  std::uint64_t scan_failures = 0;  // scans that could not run (the state database failed)
  double scan_seconds_total = 0;
  double last_scan_seconds = 0;
  std::optional<Instant> last_scan;
  std::string last_error;  // of the last scan that failed

  bool directory_ok = false;
  std::string directory_error;
  std::optional<Instant> directory_polled;  // the last good poll
  std::uint64_t directory_polls = 0;
  std::uint64_t directory_poll_failures = 0;
  std::size_t people = 0;
  std::size_t groups = 0;

  // Content synchronisation: whether the daemon follows the server's changes as they are made.
  enum class Sync : std::uint8_t { off, starting, following, lost, unsupported };
  Sync sync = Sync::off;
  std::string sync_error;                  // lost, unsupported: why
  std::uint64_t sync_updates = 0;          // snapshots from changes
  std::uint64_t sync_refreshes_whole = 0;  // refreshes of the whole content
  std::uint64_t sync_refreshes_from_cookie = 0;
  std::uint64_t sync_refreshes_required = 0;  // cookies the server no longer accepted
  std::uint64_t sync_connections_lost = 0;

  std::map<std::string, SourceTotals> sources;  // by name, totals since start
  std::vector<RepositoryStatus> repositories;
  std::string handovers_error;
  std::string reload_error;    // the last SIGHUP's, until a reload succeeds
  std::string restart_needed;  // a setting a reload could not apply, until it is back
  std::string clock_behind;    // the last scan's clock was behind its state: why

  // Open findings per (kind, severity).
  std::map<std::pair<std::string, std::string>, std::size_t> open_findings;
  std::map<std::string, SinkStatus> sinks;  // by the sink's name as people see it

  // Adds what one scan saw.
  void add_scan(const ScanReport& report, double seconds);
  // Drops the totals of sources no longer configured (after a reload).
  void forget_sources_except(const std::vector<config::LogSourceConfig>& configured);
  // A source, the directory, a repository or the handovers failed, or a reload did.
  bool degraded() const;
  std::vector<std::string> problems() const;
};

std::string_view to_string(DaemonStatus::Sync sync);

// GET /healthz: {"status":"ok"|"degraded", "problems":[...], ...}
nlohmann::json health_json(const DaemonStatus& status, Instant now);
// GET /metrics: Prometheus text exposition format 0.0.4; ages are counted to `now`.
std::string metrics_text(const DaemonStatus& status, Instant now);

}  // namespace secondsight::app
