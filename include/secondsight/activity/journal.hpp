// The systemd journal as a log source, through libsystemd's sd-journal: entries that match
// the configured fields, read from a saved cursor.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "secondsight/activity/event.hpp"
#include "secondsight/core/result.hpp"
#include "secondsight/core/time.hpp"

namespace secondsight::activity {

struct JournalEntry {
  Instant time;          // __REALTIME_TIMESTAMP
  std::string message;   // MESSAGE
  std::string hostname;  // _HOSTNAME
  // Who logged it: _COMM, which journald records itself and no client can set, else (an entry
  // without it, such as one imported by systemd-journal-remote) SYSLOG_IDENTIFIER.
  std::string program;
  std::string cursor;     // where to continue after this entry
  bool too_long = false;  // a field read is over k_max_line_bytes: all left empty
};

// How an entry's fields become what the ingest reads; pure, so they are tested on any bytes.

// The value in sd-journal's "FIELD=value" data of `field`; "" for data of another shape.
std::string journal_field_value(std::string_view data, std::string_view field);
// The instant of __REALTIME_TIMESTAMP (microseconds since the epoch), whole seconds.
Instant journal_time(std::uint64_t realtime_usec);
// The realtime (µs since the epoch) a cursor was taken at, from its "t=" part; nullopt when
// it has none.
std::optional<std::uint64_t> journal_cursor_realtime(std::string_view cursor);
// The access event an entry holds: an sshd login in its MESSAGE, on its _HOSTNAME, logged by
// sshd itself: `logger -t sshd "Accepted password for …"` is no login.
std::optional<RawEvent> journal_event(const JournalEntry& entry);

class JournalReader {
 public:
  // `path` empty: the system journal; a directory: the journal files in it; a file: that file.
  // `matches` are "FIELD=value" strings; several values of one field match any of them, and
  // different fields must all match (sd_journal_add_match semantics).
  static Result<std::unique_ptr<JournalReader>> open(const std::filesystem::path& path,
                                                     const std::vector<std::string>& matches);
  virtual ~JournalReader() = default;

  // Up to `max` entries after `cursor` ("" = from the oldest entry), oldest first. A cursor
  // that no longer exists (the journal was rotated and vacuumed) continues from the oldest
  // entry after the cursor's time, not from the start.
  virtual Result<std::vector<JournalEntry>> next_batch(const std::string& cursor,
                                                       std::size_t max) = 0;
};

}  // namespace secondsight::activity
