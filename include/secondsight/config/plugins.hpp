// What the config and policy readers are told of the plug-ins above them. Config may include
// neither activity nor alert, so the log formats and sink types are named in their own tables
// and their callers pass those names in; the readers validate against them.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "secondsight/config/config.hpp"
#include "secondsight/config/policy.hpp"
#include "secondsight/core/diagnostics.hpp"

namespace secondsight::config {

// How the events of a log format reach secondsight.
enum class LogReading {
  lines,    // the lines of a file, tailed
  journal,  // through sd-journal: `path` optional, `match`, a cursor
};

// A log format as the config reader needs to know it.
struct LogFormatName {
  std::string_view name;  // as written in `format:`
  LogReading reading;
  bool takes_fields;  // its parser reads `fields:` (the field names of jsonl)
};

// Warns about an activity rule that none of the configured audit logs can satisfy. Called for
// each rule read whole, while its file is read, so that the warning keeps its place.
using RuleCheck = void (*)(const ActivityRule& rule, std::span<const LogSourceConfig> logs,
                           Diagnostics& diagnostics);

struct Plugins {
  std::span<const LogFormatName> log_formats;     // for `format:` and an activity rule's `source:`
  std::span<const std::string_view> alert_types;  // for an alert's `type:`
  RuleCheck check_rule = nullptr;
};

// The row of `name` in `formats`, or nullptr.
const LogFormatName* find_format(std::span<const LogFormatName> formats, std::string_view name);

}  // namespace secondsight::config
