// Log watching: inotify on the folders of the file sources; a write, a new file or a rename there
// asks for a scan once the burst settles. The journal, and events inotify misses, are left to the
// daemon's safety timer. Runs on the daemon's event loop.
#pragma once

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "secondsight/config/config.hpp"

namespace spdlog {
class logger;
}

namespace secondsight::app {

class LogWatch {
 public:
  // `on_change` is called on the event loop once a burst of changes has settled.
  LogWatch(boost::asio::io_context& io, std::function<void()> on_change);
  LogWatch(const LogWatch&) = delete;
  LogWatch& operator=(const LogWatch&) = delete;

  // Watches the files of `sources`, in place of what was watched before (after a reload).
  // `safety_interval` is named in the warning when a folder cannot be watched.
  void watch(const std::vector<config::LogSourceConfig>& sources,
             std::chrono::seconds safety_interval);
  // Stops watching; a settling burst is dropped.
  void stop();

 private:
  void read();
  void settle();

  std::function<void()> m_on_change;
  std::shared_ptr<spdlog::logger> m_log;
  boost::asio::posix::stream_descriptor m_inotify;
  boost::asio::steady_timer m_settle_timer;
  std::array<char, 16 * 1024> m_buffer{};
  std::set<std::string> m_watched;  // file names, as the prefix of their rotated names
  bool m_settling = false;
};

}  // namespace secondsight::app
