// The log formats an audit log may have, and which kind of access event each carries.
//
// A format is how events reach secondsight (a file of auditd records, an auth.log, the systemd
// journal); a kind is what an event is (an sshd login, an auditd event, a jsonl record). The
// journal carries sshd logins, so a policy rule on `source: sshd` matches them from an auth.log
// and from the journal alike.
#pragma once

#include <array>
#include <span>
#include <string_view>

#include "secondsight/config/config.hpp"
#include "secondsight/config/policy.hpp"

namespace secondsight::config {

struct LogFormat {
  std::string_view name;    // as written in `format:`
  std::string_view events;  // the kind of the events it carries
  bool has_key;             // its events carry an audit key
  bool has_resource;        // its events carry a resource
  std::string_view action;  // the one action all its events have; "" when they vary
  bool journal;             // read through sd-journal (`path` optional, `match`, a cursor), not
                            // as lines of a file
};

inline constexpr std::array<LogFormat, 4> k_log_format_table{{
    {"auditd", "auditd", true, true, "", false},
    {"sshd", "sshd", false, false, "login", false},
    {"jsonl", "jsonl", false, true, "", false},
    {"journal", "sshd", false, false, "login", true},
}};

// The names above, for "expected one of" messages.
inline constexpr std::array<std::string_view, 4> k_log_format_names{"auditd", "sshd", "jsonl",
                                                                    "journal"};

// The row of `name`, or nullptr.
const LogFormat* find_log_format(std::string_view name);

// Whether `source` is read through sd-journal rather than as the lines of a file.
bool reads_journal(const LogSourceConfig& source);

// Whether `rule`'s `source:` selects the events of `source`: no source at all, the kind of event
// the source carries (`sshd` for an auth.log and the journal), its format (`journal`), or its
// name (the path as written).
bool rule_selects(const ActivityRule& rule, const LogSourceConfig& source);

// Why `rule` can never match an event of `source` it selects ("" when it can): a field the
// source's events never carry, given a pattern that needs a value, or an action pattern that the
// one action of its events ("login" for sshd) does not match.
std::string_view never_matches(const ActivityRule& rule, const LogSourceConfig& source);

}  // namespace secondsight::config
