#include "log_watch.hpp"

#include <sys/inotify.h>

#include <cerrno>
#include <cstring>

#include "secondsight/activity/formats.hpp"
#include "secondsight/core/logging.hpp"

namespace secondsight::app {
namespace {
constexpr auto k_log_settle = std::chrono::milliseconds(200);  // lines often come in bursts
}  // namespace

LogWatch::LogWatch(boost::asio::io_context& io, std::function<void()> on_change)
    : m_on_change(std::move(on_change)),
      m_log(logger("daemon")),
      m_inotify(io),
      m_settle_timer(io) {}

void LogWatch::watch(const std::vector<config::LogSourceConfig>& sources,
                     std::chrono::seconds safety_interval) {
  if (m_inotify.is_open()) {
    boost::system::error_code ignored;
    m_inotify.close(ignored);
  }
  m_watched.clear();
  const int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) {
    m_log->warn("inotify unavailable ({}); logs are read every {} s", std::strerror(errno),
                safety_interval.count());
    return;
  }
  std::set<std::string> folders;
  for (const auto& source : sources) {
    if (activity::reads_journal(source) || source.path.empty()) continue;
    const auto folder = source.path.parent_path().string();
    m_watched.insert(source.path.filename().string());
    if (!folders.insert(folder).second) continue;
    if (inotify_add_watch(fd, folder.c_str(),
                          IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM) < 0)
      m_log->warn("cannot watch {} ({}); it is read every {} s", folder, std::strerror(errno),
                  safety_interval.count());
  }
  m_inotify.assign(fd);
  read();
}

void LogWatch::stop() {
  m_settle_timer.cancel();
  boost::system::error_code ignored;
  if (m_inotify.is_open()) m_inotify.close(ignored);
}

void LogWatch::read() {
  m_inotify.async_read_some(
      boost::asio::buffer(m_buffer), [this](boost::system::error_code ec, std::size_t size) {
        if (ec) return;
        bool relevant = false;
        for (std::size_t offset = 0; offset + sizeof(inotify_event) <= size;) {
          inotify_event event;
          std::memcpy(&event, m_buffer.data() + offset, sizeof event);
          std::string name;
          if (event.len > 0) name = std::string(m_buffer.data() + offset + sizeof(inotify_event));
          for (const auto& watched : m_watched)
            if (name.rfind(watched, 0) == 0) relevant = true;  // audit.log, audit.log.1
          if (event.mask & IN_Q_OVERFLOW) relevant = true;
          offset += sizeof(inotify_event) + event.len;
        }
        if (relevant) settle();
        read();
      });
}

void LogWatch::settle() {
  if (m_settling) return;
  m_settling = true;
  m_settle_timer.expires_after(k_log_settle);
  m_settle_timer.async_wait([this](boost::system::error_code ec) {
    m_settling = false;
    if (!ec) m_on_change();
  });
}

}  // namespace secondsight::app
