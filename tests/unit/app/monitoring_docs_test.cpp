// The shipped Prometheus rules and Grafana dashboard name only metrics the daemon serves: a
// metric renamed or dropped fails here, not silently on a monitoring screen.
#include <gmock/gmock.h>

#include <fstream>
#include <set>
#include <sstream>

#include "app/daemon/process_metrics.hpp"
#include "secondsight/app/daemon_status.hpp"

namespace secondsight::app {
namespace {

std::string read(const std::string& relative) {
  std::ifstream in(std::string(SECONDSIGHT_SOURCE_DIR) + "/" + relative);
  EXPECT_TRUE(in) << relative;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The metric names a text refers to.
std::set<std::string> names_in(const std::string& text) {
  std::set<std::string> out;
  const auto is_name = [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; };
  for (const std::string prefix : {"secondsight_", "process_"}) {
    for (auto at = text.find(prefix); at != std::string::npos; at = text.find(prefix, at + 1)) {
      if (at > 0 && (is_name(text[at - 1]) || (text[at - 1] >= '0' && text[at - 1] <= '9')))
        continue;
      auto end = at + prefix.size();
      while (end < text.size() && is_name(text[end])) ++end;
      out.insert(text.substr(at, end - at));
    }
  }
  return out;
}

// The families /metrics serves, with the series names a summary adds.
std::set<std::string> served() {
  DaemonStatus status;
  status.directory_polled = *parse_rfc3339("2026-03-16T12:00:00Z");
  SourceTotals source;
  source.format = "sshd";
  status.sources["auth.log"] = source;
  status.sinks["journal"] = {};
  status.open_findings[{"access_after_end", "critical"}] = 1;
  const std::string text =
      metrics_text(status, *parse_rfc3339("2026-03-16T12:00:00Z")) + process_metrics_text();
  std::set<std::string> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("# TYPE ")) continue;
    std::istringstream fields(line.substr(7));
    std::string family, type;
    fields >> family >> type;
    out.insert(family);
    if (type == "summary" || type == "histogram") {
      out.insert(family + "_sum");
      out.insert(family + "_count");
    }
  }
  return out;
}

TEST(MonitoringDocs, TheRulesAndTheDashboardUseOnlyServedMetrics) {
  const auto families = served();
  ASSERT_GT(families.size(), 20u);
  for (const char* file :
       {"docs/monitoring/secondsight-rules.yml", "docs/monitoring/secondsight-dashboard.json"}) {
    const auto used = names_in(read(file));
    EXPECT_GT(used.size(), 5u) << file;
    for (const auto& name : used) EXPECT_TRUE(families.count(name)) << name << " in " << file;
  }
}

TEST(MonitoringDocs, TheRulesWatchDeliveryTheDirectorySourcesAndScans) {
  const auto used = names_in(read("docs/monitoring/secondsight-rules.yml"));
  for (const char* name :
       {"secondsight_up", "secondsight_directory_up", "secondsight_source_up",
        "secondsight_outbox_oldest_age_seconds", "secondsight_alert_delivery_failures_total",
        "secondsight_scans_total", "secondsight_scan_failures_total"})
    EXPECT_TRUE(used.count(name)) << name;
}

}  // namespace
}  // namespace secondsight::app
