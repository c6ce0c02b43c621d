#include "secondsight/core/logging.hpp"

#include <fmt/format.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "secondsight/core/text.hpp"

namespace secondsight {
namespace {

// Log messages carry values from directories and logs: each is escaped as for a terminal
// before any sink sees it, so that no value can start a line of its own, colour the
// terminal or hide text (under systemd, stderr becomes the journal, one entry per line).
class EscapingSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit EscapingSink(spdlog::sink_ptr inner) : m_inner(std::move(inner)) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& message) override {
    const std::string_view payload(message.payload.data(), message.payload.size());
    const std::string escaped = escape_terminal(payload);
    spdlog::details::log_msg copy = message;
    copy.payload = spdlog::string_view_t(escaped.data(), escaped.size());
    m_inner->log(copy);
  }
  void flush_() override { m_inner->flush(); }

 private:
  spdlog::sink_ptr m_inner;
};

// Under systemd, stderr is a stream to the journal, which reads a "<N>" at the start of a line as
// the entry's priority (syslog(3) levels): each message is one line, so one entry, with its
// priority, and no other copy of it goes anywhere.
class JournalStreamSink final : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& message) override {
    const std::string_view payload(message.payload.data(), message.payload.size());
    const std::string_view name(message.logger_name.data(), message.logger_name.size());
    const std::string line =
        fmt::format("<{}>{}: [{}] {}\n", priority(message.level),
                    spdlog::level::to_string_view(message.level), name, payload);
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
  }
  void flush_() override { std::fflush(stderr); }

 private:
  static int priority(spdlog::level::level_enum level) {
    switch (level) {
      case spdlog::level::critical: return LOG_CRIT;
      case spdlog::level::err: return LOG_ERR;
      case spdlog::level::warn: return LOG_WARNING;
      case spdlog::level::info: return LOG_INFO;
      default: return LOG_DEBUG;
    }
  }
};

spdlog::sink_ptr shared_sink() {
  static spdlog::sink_ptr sink = [] {
    if (stderr_is_journal()) {
      spdlog::sink_ptr journal = std::make_shared<JournalStreamSink>();
      return std::make_shared<EscapingSink>(std::move(journal));
    }
    auto terminal = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    terminal->set_pattern("secondsight: %^%l%$: [%n] %v");
    return std::make_shared<EscapingSink>(std::move(terminal));
  }();
  return sink;
}

spdlog::level::level_enum& current_level() {
  static spdlog::level::level_enum level = spdlog::level::warn;
  return level;
}

}  // namespace

bool stderr_is_journal() {
  // systemd sets JOURNAL_STREAM to "DEVICE:INODE" of the stream it connects stdout and stderr
  // to; stderr is still that stream when the two match (it may have been redirected since).
  const char* stream = std::getenv("JOURNAL_STREAM");
  if (!stream) return false;
  unsigned long long device = 0, inode = 0;
  char end = 0;
  if (std::sscanf(stream, "%llu:%llu%c", &device, &inode, &end) != 2) return false;
  struct stat status {};
  if (::fstat(STDERR_FILENO, &status) != 0) return false;
  return status.st_dev == device && status.st_ino == inode;
}

// Threads ask for their area's logger as they start (the scan worker and the directory
// follower both for "directory"): looking it up and registering it is one step, or the second
// registration throws.
std::shared_ptr<spdlog::logger> logger(const std::string& area) {
  static std::mutex creating;
  std::lock_guard lock(creating);
  if (auto existing = spdlog::get(area)) return existing;
  auto created = std::make_shared<spdlog::logger>(area, shared_sink());
  created->set_level(current_level());
  spdlog::register_logger(created);
  return created;
}

bool set_log_level(const std::string& level) {
  auto parsed = spdlog::level::from_str(level);
  if (parsed == spdlog::level::off && level != "off") return false;
  current_level() = parsed;
  spdlog::apply_all([parsed](const std::shared_ptr<spdlog::logger>& l) { l->set_level(parsed); });
  return true;
}

}  // namespace secondsight
