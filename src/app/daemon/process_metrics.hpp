// The process metrics every Prometheus client library exports (process_cpu_seconds_total,
// process_resident_memory_bytes, ...), read from /proc/self, so the daemon is watched like any
// other exporter.
#pragma once

#include <string>

namespace secondsight::app {

// The process_* families in the text exposition format; a figure that cannot be read is left
// out rather than given as 0.
std::string process_metrics_text();

}  // namespace secondsight::app
