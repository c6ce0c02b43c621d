// Log parsers: one per format, each turning lines into access events as docs/configuration.md
// defines them.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "secondsight/activity/event.hpp"
#include "secondsight/config/config.hpp"
#include "secondsight/core/result.hpp"

namespace secondsight::activity {

struct ParserContext {
  Zone zone = nullptr;  // syslog stamps without a zone are read in it
  Instant now;          // syslog stamps without a year take the latest year <= now + 1 day
};

class LogParser {
 public:
  virtual ~LogParser() = default;
  // One line without its line end (a CR before the LF already removed). Appends the access
  // events the line completes, and says what the line was. Never throws; never fails.
  virtual LineKind parse(std::string_view line, std::vector<RawEvent>& events) = 0;
};

// The parser of a configured source's format, from the format table (formats.hpp): auditd, sshd
// or jsonl (journal entries are read by the journal source and their MESSAGE given to
// parse_sshd_message).
Result<std::unique_ptr<LogParser>> make_parser(const config::LogSourceConfig& source,
                                               const ParserContext& context);

// An sshd message without syslog prefix ("Accepted publickey for bob from 10.0.0.1 port 22
// ssh2: ..."): an access event when it is an "Accepted <method> for USER from" line.
std::optional<RawEvent> parse_sshd_message(std::string_view message, Instant time,
                                           std::string_view host);

// Whether a program name is sshd's own: "sshd", or "sshd-session" (OpenSSH 9.8 and later).
bool is_sshd_program(std::string_view program);

}  // namespace secondsight::activity
