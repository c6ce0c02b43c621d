#include "secondsight/activity/attribution.hpp"

#include "secondsight/activity/formats.hpp"
#include "secondsight/core/glob.hpp"

namespace secondsight::activity {
namespace {

// A field the rule leaves out matches anything; values compare without regard to case.
bool glob(const std::string& pattern, std::string_view value) {
  return pattern.empty() || glob_match(pattern, value, GlobCase::fold);
}

// An auditd event may carry several keys (one rule, several -k): a key pattern matches when it
// matches any of them.
bool any_key(const std::string& pattern, std::string_view keys) {
  if (pattern.empty()) return true;
  for (;;) {
    const std::size_t end = keys.find('\x01');
    if (glob(pattern, keys.substr(0, end))) return true;
    if (end == std::string_view::npos) return false;
    keys.remove_prefix(end + 1);
  }
}

}  // namespace

bool rule_matches(const config::ActivityRule& rule, const RawEvent& event, std::string_view host,
                  const config::LogSourceConfig& source) {
  if (!rule_selects(rule, source)) return false;
  // A rule on a field the event lacks cannot match: an sshd login has no audit key.
  if (!rule.key.empty() && event.key.empty()) return false;
  return glob(rule.host, host) && any_key(rule.key, event.key) &&
         glob(rule.resource, event.resource) && glob(rule.action, event.action);
}

std::vector<std::string> attribute(const RawEvent& event, std::string_view host,
                                   const config::LogSourceConfig& source,
                                   const config::Policy& policy) {
  std::vector<std::string> systems;
  for (const auto& system : policy.systems) {
    for (const auto& rule : system.activity) {
      if (rule_matches(rule, event, host, source)) {
        systems.push_back(system.id);
        break;
      }
    }
  }
  return systems;
}

}  // namespace secondsight::activity
