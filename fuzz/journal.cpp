// A journal entry's fields on any bytes, as sd-journal hands them over ("FIELD=value" data
// and a cursor): the values are read, the cursor's time found or not, and an entry whose
// MESSAGE is an sshd login is an event at the entry's time, on its host.
//
// Input: 8 bytes of __REALTIME_TIMESTAMP, then NUL-separated MESSAGE data, _HOSTNAME data and
// a cursor, and the program (_COMM) when a fourth piece is there; "sshd" when it is not.
#include "secondsight/activity/journal.hpp"

#include <cstring>

#include "harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace secondsight;
  std::uint64_t usec = 0;
  if (size >= sizeof usec) {
    std::memcpy(&usec, data, sizeof usec);
    data += sizeof usec;
    size -= sizeof usec;
  }
  const auto pieces = fuzz::split_all(fuzz::text_of(data, size), '\0');
  auto piece = [&](std::size_t i) { return i < pieces.size() ? pieces[i] : std::string_view(); };

  activity::JournalEntry entry;
  entry.time = activity::journal_time(usec);
  entry.message = activity::journal_field_value(piece(0), "MESSAGE");
  entry.hostname = activity::journal_field_value(piece(1), "_HOSTNAME");
  entry.cursor = std::string(piece(2));
  entry.program = pieces.size() > 3 ? std::string(piece(3)) : std::string("sshd");
  FUZZ_CHECK(entry.time.time_since_epoch().count() == static_cast<std::int64_t>(usec / 1'000'000));
  if (piece(0).starts_with("MESSAGE="))
    FUZZ_CHECK(entry.message == piece(0).substr(8));
  else
    FUZZ_CHECK(entry.message.empty());

  if (const auto realtime = activity::journal_cursor_realtime(entry.cursor))
    FUZZ_CHECK(entry.cursor.find("t=") != std::string::npos);

  if (const auto event = activity::journal_event(entry)) {
    FUZZ_CHECK(event->time == entry.time);
    FUZZ_CHECK(event->host == entry.hostname);
    FUZZ_CHECK(event->action == "login");
    FUZZ_CHECK(!event->user.empty());
    FUZZ_CHECK(entry.message.find("Accepted") != std::string::npos);
    FUZZ_CHECK(entry.program == "sshd" || entry.program == "sshd-session");
    // Where the scan goes next with the event's time: its evidence is written in RFC 3339.
    FUZZ_CHECK(!format_rfc3339(event->time).empty());
  }
  return 0;
}
