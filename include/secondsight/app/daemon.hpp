// secondsight daemon: scans on timers and as logs grow, until stopped. systemd Type=notify
// (READY, STATUS, WATCHDOG), SIGHUP reloads config and policies (a broken file keeps the last
// good ones), SIGTERM lets the scan in flight finish and exits.
#pragma once

#include <chrono>
#include <filesystem>
#include <ostream>

namespace secondsight::app {

struct DaemonOptions {
  std::filesystem::path config;
  // Empty: the system clock. Else the daemon's clock starts at this time (RFC 3339, or a date)
  // and runs on from there: a replay of past logs, or a test, sees the same results every time.
  std::string now;
};

int command_daemon(const DaemonOptions& options, std::ostream& err);

}  // namespace secondsight::app
