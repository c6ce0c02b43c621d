// One named spdlog logger per area, all writing to one sink (stderr, or the journal later).
#pragma once

#include <spdlog/spdlog.h>

#include <memory>
#include <string>

namespace secondsight {

// The logger of an area ("scan", "directory", ...), created on first use.
std::shared_ptr<spdlog::logger> logger(const std::string& area);

// Sets the level of every logger, present and future: trace, debug, info, warn, error, off.
bool set_log_level(const std::string& level);

}  // namespace secondsight
