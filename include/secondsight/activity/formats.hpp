// The one table of log formats: how each is read, its parser, and what its events carry.
//
// A format is how events reach secondsight (a file of auditd records, an auth.log, the systemd
// journal); a kind is what an event is (an sshd login, an auditd event, a jsonl record). The
// journal carries sshd logins, so a policy rule on `source: sshd` matches them from an auth.log
// and from the journal alike.
#pragma once

#include <memory>
#include <span>
#include <string_view>

#include "secondsight/activity/parser.hpp"
#include "secondsight/config/config.hpp"
#include "secondsight/config/plugins.hpp"
#include "secondsight/config/policy.hpp"
#include "secondsight/core/diagnostics.hpp"
#include "secondsight/core/result.hpp"

namespace secondsight::activity {

using config::LogReading;

struct LogFormat {
  std::string_view name;  // as written in `format:`
  LogReading reading;
  // The line parser of a source in this format; nullptr for the journal, whose entries the
  // journal source reads.
  Result<std::unique_ptr<LogParser>> (*make_parser)(const config::LogSourceConfig& source,
                                                    const ParserContext& context);
  bool takes_fields;        // its parser reads `fields:`
  std::string_view events;  // the kind of the events it carries
  bool has_key;             // its events carry an audit key
  bool has_resource;        // its events carry a resource
  std::string_view action;  // the one action all its events have; "" when they vary
};

// Every log format, in the order messages list them.
std::span<const LogFormat> log_formats();
// The same formats as the config reader knows them (name, reading, fields).
std::span<const config::LogFormatName> log_format_names();

// The row of `name`, or nullptr.
const LogFormat* find_log_format(std::string_view name);

// Whether `source` is read through sd-journal rather than as the lines of a file.
bool reads_journal(const config::LogSourceConfig& source);

// Whether `rule`'s `source:` selects the events of `source`: no source at all, the kind of event
// the source carries (`sshd` for an auth.log and the journal), its format (`journal`), or its
// name (the path as written).
bool rule_selects(const config::ActivityRule& rule, const config::LogSourceConfig& source);

// Why `rule` can never match an event of `source` it selects ("" when it can): a field the
// source's events never carry, given a pattern that needs a value, or an action pattern that the
// one action of its events ("login" for sshd) does not match.
std::string_view never_matches(const config::ActivityRule& rule,
                               const config::LogSourceConfig& source);

// A rule that no configured audit log can satisfy is a system whose use is never seen: its
// people look idle and its operators uncounted. Warns once per rule, at the rule, with what is
// missing (a config::RuleCheck).
void warn_if_never_matched(const config::ActivityRule& rule,
                           std::span<const config::LogSourceConfig> logs, Diagnostics& diagnostics);

}  // namespace secondsight::activity
