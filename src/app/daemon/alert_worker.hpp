// The daemon's delivering thread: alerts go out on a thread of their own, with a database
// connection of its own, so detection never waits for a receiver. It delivers what is due, then
// sleeps until the next retry is due or a scan queues more. It holds the state folder's delivery
// lock while it delivers, so a `secondsight scan` on the command line leaves delivery to it; a
// scan that holds the lock when the daemon starts only delays delivery until it is done.
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "secondsight/alert/dispatcher.hpp"
#include "secondsight/config/config.hpp"
#include "secondsight/store/database.hpp"
#include "secondsight/store/state_lock.hpp"

namespace spdlog {
class logger;
}

namespace secondsight::app {

class AlertWorker {
 public:
  AlertWorker(std::filesystem::path state_dir, std::filesystem::path database,
              std::vector<config::AlertSinkConfig> sinks);
  AlertWorker(const AlertWorker&) = delete;
  AlertWorker& operator=(const AlertWorker&) = delete;
  ~AlertWorker();

  // Starts the thread; its first pass runs at once.
  void start();
  // A scan queued alerts: a pass now. Any thread.
  void wake();
  // The sinks of a reloaded config, for the next pass and on. Any thread.
  void replace_sinks(std::vector<config::AlertSinkConfig> sinks);
  // Every wait is over: what is queued is tried now (`alerts retry`, SIGHUP, SIGUSR1). Any
  // thread.
  void retry_now();
  // Deliveries and failed attempts per sink (its key) since the daemon started. Any thread.
  struct Counts {
    std::uint64_t delivered = 0;
    std::uint64_t failed = 0;
  };
  std::map<std::string, Counts> counts() const;
  // Lets a pass in flight end (within its budget) and joins the thread.
  void stop();

 private:
  // On the thread only.
  void pass();
  bool ready();
  void sleep(std::chrono::seconds wait);

  const std::filesystem::path m_state_dir;
  const std::filesystem::path m_database_path;
  std::shared_ptr<spdlog::logger> m_log;

  boost::asio::io_context m_io;
  boost::asio::steady_timer m_timer;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> m_guard;
  std::thread m_thread;
  std::atomic<bool> m_stopping{false};

  // The thread's own: its lock, connection and dispatcher.
  std::optional<store::FolderLock> m_lock;
  std::optional<store::Database> m_database;
  std::optional<alert::Dispatcher> m_dispatcher;
  std::vector<config::AlertSinkConfig> m_sinks;
  bool m_told_waiting = false;

  bool m_retry_wanted = false;

  mutable std::mutex m_counts_mutex;
  std::map<std::string, Counts> m_counts;
};

}  // namespace secondsight::app
