// One named spdlog logger per area, all writing to one sink: stderr for a person, or, when stderr
// is systemd's stream to the journal, one line per message with its syslog priority ("<3>...").
#pragma once

#include <spdlog/spdlog.h>

#include <memory>
#include <string>

namespace secondsight {

// The logger of an area ("scan", "directory", ...), created on first use.
std::shared_ptr<spdlog::logger> logger(const std::string& area);

// Whether stderr is systemd's journal stream (JOURNAL_STREAM names it).
bool stderr_is_journal();

// Sets the level of every logger, present and future: trace, debug, info, warn, error, off.
bool set_log_level(const std::string& level);

}  // namespace secondsight
