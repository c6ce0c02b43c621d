// The daemon's directory follower: a thread that keeps a replica of an LDAP directory in step
// with the server by content synchronisation (RFC 4533 refreshAndPersist), keeps it and its
// cookies in the state database, and hands the event loop a snapshot whenever the directory
// changed. Its own connection to the server and to the database; the event loop hears from it
// only through `report`, called on the follower's thread (post it to where it belongs).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "secondsight/config/config.hpp"
#include "secondsight/core/time.hpp"
#include "secondsight/directory/snapshot.hpp"

namespace secondsight::app {

class DirectoryFollower {
 public:
  struct Report {
    enum class Kind : std::uint8_t {
      snapshot,     // the directory changed (or a refresh completed): `snapshot` is it now
      lost,         // following stopped (`message`); it starts again by itself, with backoff
      unsupported,  // the server cannot follow (`message`); the daemon polls
    };
    Kind kind = Kind::snapshot;
    std::shared_ptr<const directory::DirectorySnapshot> snapshot;
    std::string message;
  };
  // Counters since the daemon started, for /metrics. Any thread.
  struct Counts {
    std::uint64_t updates = 0;                // snapshots handed over
    std::uint64_t refreshes_whole = 0;        // refreshes of the whole content
    std::uint64_t refreshes_from_cookie = 0;  // refreshes from the stored cookies
    std::uint64_t refreshes_required = 0;     // cookies the server no longer accepted
    std::uint64_t connections_lost = 0;       // sessions that ended in an error
  };

  DirectoryFollower(config::DirectoryConfig config, Zone zone, std::filesystem::path database,
                    std::function<void(Report)> report);
  DirectoryFollower(const DirectoryFollower&) = delete;
  DirectoryFollower& operator=(const DirectoryFollower&) = delete;
  ~DirectoryFollower();

  // Whether the daemon follows `config` at all: an LDAP server, with `sync: auto`.
  static bool wanted(const config::DirectoryConfig& config);

  void start();
  // Ends the session (within a quarter of a second) and joins the thread.
  void stop();
  Counts counts() const;

 private:
  void run();  // the thread
  // Waits `wait`, or less when stopped; false when stopped.
  bool pause(std::chrono::milliseconds wait);

  const config::DirectoryConfig m_config;
  const Zone m_zone;
  const std::filesystem::path m_database;
  const std::function<void(Report)> m_report;

  std::thread m_thread;
  std::mutex m_mutex;
  std::condition_variable m_wake;
  std::atomic<bool> m_stopping{false};

  std::atomic<std::uint64_t> m_updates{0};
  std::atomic<std::uint64_t> m_refreshes_whole{0};
  std::atomic<std::uint64_t> m_refreshes_from_cookie{0};
  std::atomic<std::uint64_t> m_refreshes_required{0};
  std::atomic<std::uint64_t> m_connections_lost{0};
};

}  // namespace secondsight::app
