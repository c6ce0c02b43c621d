#include "secondsight/config/log_formats.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <string>

namespace secondsight::config {
namespace {

// A glob that an absent field ("") satisfies, such as "*", cannot tell sources apart.
bool needs_value(const std::string& pattern) {
  return !pattern.empty() && fnmatch(pattern.c_str(), "", 0) != 0;
}

}  // namespace

const LogFormat* find_log_format(std::string_view name) {
  const auto it = std::find_if(k_log_format_table.begin(), k_log_format_table.end(),
                               [&](const LogFormat& format) { return format.name == name; });
  return it == k_log_format_table.end() ? nullptr : &*it;
}

bool reads_journal(const LogSourceConfig& source) {
  const LogFormat* format = find_log_format(source.format);
  return format && format->journal;
}

bool rule_selects(const ActivityRule& rule, const LogSourceConfig& source) {
  if (rule.source.empty() || rule.source == source.format || rule.source == source.name)
    return true;
  const LogFormat* format = find_log_format(source.format);
  return format && rule.source == format->events;
}

std::string_view never_matches(const ActivityRule& rule, const LogSourceConfig& source) {
  const LogFormat* format = find_log_format(source.format);
  if (!format) return {};
  // The key is matched even by "*": an event without one never matches a rule naming it.
  if (!rule.key.empty() && !format->has_key) return "key";
  if (needs_value(rule.resource) && !format->has_resource) return "resource";
  if (!rule.action.empty() && !format->action.empty() &&
      fnmatch(rule.action.c_str(), std::string(format->action).c_str(), FNM_CASEFOLD) != 0)
    return "action";
  return {};
}

}  // namespace secondsight::config
