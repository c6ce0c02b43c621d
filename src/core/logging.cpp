#include "secondsight/core/logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace secondsight {
namespace {

spdlog::sink_ptr shared_sink() {
  static spdlog::sink_ptr sink = [] {
    auto s = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    s->set_pattern("secondsight: %^%l%$: [%n] %v");
    return s;
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
