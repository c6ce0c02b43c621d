// What was built: the version, the git revision it was built from and the day (UTC), for
// --version and the secondsight_build_info metric.
#pragma once

#include <string_view>

namespace secondsight::app {

struct BuildInfo {
  std::string_view version;
  std::string_view revision;  // 12 hex digits, "-modified" for uncommitted changes; "unknown"
  std::string_view date;      // YYYY-MM-DD
};

extern const BuildInfo k_build_info;

}  // namespace secondsight::app
