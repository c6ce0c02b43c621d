// Which systems an access event belongs to: the policy's activity rules, glob patterns on
// host, key, resource and action.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "secondsight/activity/event.hpp"
#include "secondsight/config/config.hpp"
#include "secondsight/config/policy.hpp"

namespace secondsight::activity {

// True when `rule` matches an event of `source` whose host is `host`. Every field the rule
// gives must match its glob (case-insensitive); `source` matches the source's format or name.
bool rule_matches(const config::ActivityRule& rule, const RawEvent& event, std::string_view host,
                  const config::LogSourceConfig& source);

// The ids of every system with a rule that matches, in policy order.
std::vector<std::string> attribute(const RawEvent& event, std::string_view host,
                                   const config::LogSourceConfig& source,
                                   const config::Policy& policy);

}  // namespace secondsight::activity
