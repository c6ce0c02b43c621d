// The daemon's scanning thread: scans run there one at a time, with a database connection of
// its own, while the event loop goes on serving the API and watching logs. The event loop hands
// it a job and gets the outcome back through a callback it posts to the loop.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "../dashboard/view.hpp"
#include "secondsight/app/commands.hpp"
#include "secondsight/app/scan.hpp"
#include "secondsight/store/database.hpp"

namespace spdlog {
class logger;
}

namespace secondsight::app {

// One scan to run.
struct ScanJob {
  std::shared_ptr<const LoadedConfig> loaded;
  bool poll_directory = false;
  bool refresh_knowledge = false;
  std::shared_ptr<const directory::DirectorySnapshot> directory;  // the last good one
  bool build_view = false;                                        // for the dashboard
};

struct ScanOutcome {
  Result<ScanReport> report = make_error("not run");
  std::shared_ptr<const directory::DirectorySnapshot> polled;  // set when a poll succeeded
  std::string poll_error;                                      // set when it failed
  bool polled_now = false;
  double seconds = 0;
  std::shared_ptr<const dashboard::View> view;  // when asked for and the checks ran
};

class ScanWorker {
 public:
  // `clock` gives the time a scan runs at; it is called on the worker's thread.
  explicit ScanWorker(std::function<Instant()> clock);
  ScanWorker(const ScanWorker&) = delete;
  ScanWorker& operator=(const ScanWorker&) = delete;
  ~ScanWorker();

  void start();
  // Runs `job` after the jobs before it; `done` is called on the worker's thread with the
  // outcome (post it to where it belongs).
  void submit(ScanJob job, std::function<void(ScanOutcome)> done);
  // Lets the job in flight end and joins the thread; jobs not started are dropped.
  void stop();

 private:
  ScanOutcome run(const ScanJob& job);  // on the thread only

  std::function<Instant()> m_clock;
  std::shared_ptr<spdlog::logger> m_log;
  boost::asio::io_context m_io;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> m_guard;
  std::thread m_thread;
  std::optional<store::Database> m_database;  // the thread's own connection
  InputRelease m_release;                     // used on the thread only
};

}  // namespace secondsight::app
