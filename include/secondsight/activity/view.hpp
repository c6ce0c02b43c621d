// The activity checks read, as plain values: per person and system the local days with events,
// each system's coverage start, and the events kept as evidence.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "secondsight/config/policy.hpp"
#include "secondsight/core/time.hpp"

namespace secondsight::activity {

// One person's activity on one system ('' = none) on one local day.
struct DayActivity {
  date::year_month_day day;
  std::uint64_t events = 0;
  Instant first_seen;
  Instant last_seen;
};

// Activity up to a scan's now (events stamped later wait until now reaches them; a day whose
// events straddle now counts with its last sighting taken as now).
struct ActivityView {
  // person -> system ('' = unattributed) -> days, oldest first
  std::map<std::string, std::map<std::string, std::vector<DayActivity>>> days;
  std::map<std::string, Instant> coverage_start;  // system -> earliest event
};

// The operators' window: the config::k_operator_window_days local days before now. Who
// operates a system, and how much anyone used it lately, count the days active in it.
struct OperatorWindow {
  OperatorWindow(Instant now, Zone zone);

  // Days with activity in (start, now].
  int active_days(const std::vector<DayActivity>& days) const;

  Instant start;
  Instant now;
};

// One access event as kept for evidence: what a finding or a checklist shows of it.
struct EventSample {
  Instant time;
  std::string system;
  std::string source;
  std::string host;
  std::string action;
  std::string resource;
};

}  // namespace secondsight::activity
