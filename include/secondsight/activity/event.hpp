// Access events as the log parsers read them, before identity resolution and attribution.
#pragma once

#include <optional>
#include <string>

#include "secondsight/core/time.hpp"

namespace secondsight::activity {

// One access event from one log record (or one auditd event of several records).
struct RawEvent {
  Instant time;
  std::string user;              // name, email or alias as logged; "" when only a uid is known
  std::optional<long long> uid;  // numeric uid (auditd auid), resolved through uid_number
  std::string host;              // the record's own host; "" means the source's configured host
  std::string action;            // "login", "USER_LOGIN", "git.push", the syscall's comm, ...
  std::string resource;          // jsonl resource; auditd: the key
  std::string key;  // auditd key; several keys of one rule joined by '\x01', as auditd logs them
};

// What a line was, for the per-source figures.
enum class LineKind {
  ignored,  // blank or comment: counted in lines, never damage
  record,   // a readable record; may or may not complete an access event
  damaged,  // unreadable: counted as skipped
};

}  // namespace secondsight::activity
