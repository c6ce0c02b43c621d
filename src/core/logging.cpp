#include "secondsight/core/logging.hpp"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

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

spdlog::sink_ptr shared_sink() {
  static spdlog::sink_ptr sink = [] {
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

std::shared_ptr<spdlog::logger> logger(const std::string& area) {
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
