// Alerts after a scan: one delivery pass over the outbox, bounded in time, so a slow or absent
// receiver never holds up a scan; whatever is left stays queued for the next scan or the daemon.
#pragma once

#include <chrono>
#include <ostream>

#include "secondsight/config/config.hpp"
#include "secondsight/store/database.hpp"

namespace secondsight::app {

// How long `scan` spends delivering alerts at most.
inline constexpr std::chrono::seconds k_scan_delivery_budget{15};

// Delivers what is due now in every configured sink, for at most `budget`; problems (a
// receiver down, a sink that cannot be set up) are written to `err`, one line each. Does
// nothing when another process (the daemon) is delivering for this state folder.
void deliver_queued_alerts(const config::Config& config, store::Database& database,
                           std::chrono::seconds budget, std::ostream& err);

}  // namespace secondsight::app
