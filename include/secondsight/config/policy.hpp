// Need-to-know policies: systems, engagements, staff rules, defaults (policies/*.yaml).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "secondsight/core/diagnostics.hpp"

namespace secondsight::config {

enum class Criticality { low, normal, high, critical };

// Operators' active days are counted over this many local days before now (DESIGN.md): a
// policy cannot ask for more, and events are kept at least this long.
inline constexpr int k_operator_window_days = 90;

struct PolicyDefaults {
  int grace_days_after_end = 0;
  int notice_days = 30;
  int inactivity_days = 45;
  int min_knowledge_holders = 2;
  int operator_min_active_days = 3;
};

// Every listed attribute must match; an attribute matches when any of its values equals
// any listed value, case-insensitively.
struct AttributeMatch {
  std::vector<std::pair<std::string, std::vector<std::string>>> conditions;
  bool empty() const { return conditions.empty(); }
};

// Which access events belong to a system: every given field must match its glob.
struct ActivityRule {
  std::string source;  // auditd | sshd | jsonl | journal, or a source's name; "" = any
  std::string host;
  std::string key;
  std::string resource;
  std::string action;
  Location where;
};

struct System {
  std::string id;
  std::string name;
  Criticality criticality = Criticality::normal;
  bool externals_deny = false;
  std::vector<std::string> groups;  // DNs as written
  std::vector<Location> group_locations;
  std::vector<ActivityRule> activity;
  std::vector<std::string> repositories;
  std::vector<std::string> docs;  // globs
  Location where;
};

struct Engagement {
  std::string id;
  std::string agency;
  std::vector<std::string> members;  // ids or aliases
  AttributeMatch members_when;
  std::vector<std::string> need_to_know;  // system ids
  Location where;
};

struct Policy {
  PolicyDefaults defaults;
  AttributeMatch seconded_when;
  std::vector<System> systems;
  std::vector<Engagement> engagements;
  std::vector<std::string> checklist;

  const System* find_system(std::string_view id) const;
};

std::string to_string(Criticality criticality);

}  // namespace secondsight::config
