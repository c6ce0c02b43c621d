#include "secondsight/activity/view.hpp"

namespace secondsight::activity {

OperatorWindow::OperatorWindow(Instant now_, Zone zone)
    : start(add_local_days(now_, -config::k_operator_window_days, zone)), now(now_) {}

int OperatorWindow::active_days(const std::vector<DayActivity>& days) const {
  int active = 0;
  for (const auto& day : days)
    if (day.last_seen > start && day.first_seen <= now) ++active;
  return active;
}

}  // namespace secondsight::activity
