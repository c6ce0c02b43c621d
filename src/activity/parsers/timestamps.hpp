// The ISO 8601 / RFC 3339 stamps that log lines carry, read leniently (private).
#pragma once

#include <optional>
#include <string_view>

#include "secondsight/core/time.hpp"

namespace secondsight::activity::parsers {

// "2026-03-02T09:12:00Z", "2026-03-02T09:12:00.123456+01:00", and the colon-less offset
// "+0100" that journalctl -o short-iso writes. A stamp without an offset is refused.
std::optional<Instant> parse_iso_stamp(std::string_view text);
// The same, but a stamp without an offset is a wall-clock time in `zone` (nullptr: UTC).
std::optional<Instant> parse_iso_stamp(std::string_view text, Zone zone);

// A wall-clock time in `zone` (nullptr: UTC); a time a DST change skips or repeats reads as
// the earliest instant it can mean, never an error.
Instant local_to_instant(date::local_seconds local, Zone zone);

}  // namespace secondsight::activity::parsers
