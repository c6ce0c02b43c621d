// The systemd journal as a log source, through libsystemd's sd-journal: entries that match
// the configured fields, read from a saved cursor.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "secondsight/core/result.hpp"
#include "secondsight/core/time.hpp"

namespace secondsight::activity {

struct JournalEntry {
  Instant time;           // __REALTIME_TIMESTAMP
  std::string message;    // MESSAGE
  std::string hostname;   // _HOSTNAME
  std::string cursor;     // where to continue after this entry
  bool too_long = false;  // MESSAGE or _HOSTNAME is over k_max_line_bytes: both left empty
};

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
