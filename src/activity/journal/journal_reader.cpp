// JournalReader over libsystemd's sd-journal.
//
// Thread-safety: an sd_journal object must be created, used and closed on one and the same
// thread for its whole life (sd-journal(3)), so a JournalReader belongs to the thread that
// opened it: one reader per thread, never handed over, never shared. It must not be used in a
// child after fork() either (sd-journal refuses with ECHILD).

#include <systemd/sd-id128.h>
#include <systemd/sd-journal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "secondsight/activity/journal.hpp"
#include "secondsight/activity/limits.hpp"
#include "secondsight/activity/parser.hpp"

namespace secondsight::activity {
namespace {

// journald's limit on a field name's length (journal_field_valid()).
constexpr std::size_t k_max_field_name = 64;
// What fixes EACCES on a journal: journald's files are readable by that group.
constexpr const char* k_group_hint = " \u2014 add the service user to the systemd-journal group";

struct JournalCloser {
  void operator()(sd_journal* journal) const { sd_journal_close(journal); }
};
using JournalHandle = std::unique_ptr<sd_journal, JournalCloser>;

struct FreeDeleter {
  void operator()(char* text) const { std::free(text); }  // NOLINT(cppcoreguidelines-no-malloc)
};

// sd-journal returns negative errno values.
std::string errno_text(int negative_errno) {
  return std::generic_category().message(-negative_errno);
}

std::string describe(const std::filesystem::path& path) {
  return path.empty() ? std::string("the system journal") : "the journal at " + path.string();
}

Error open_error(const std::filesystem::path& path, int negative_errno) {
  std::string message = "cannot open " + describe(path) + ": " + errno_text(negative_errno);
  if (negative_errno == -EACCES || negative_errno == -EPERM) {
    message += k_group_hint;
  }
  return make_error(std::move(message));
}

// A field name as journald accepts it: upper-case letters, digits and underscores, not
// starting with a digit. Checked here so the error names the match; sd_journal_add_match()
// would only say EINVAL.
bool is_field_name(std::string_view name) {
  if (name.empty() || name.size() > k_max_field_name) return false;
  if (name.front() >= '0' && name.front() <= '9') return false;
  for (const char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

bool is_journal_file_name(const std::string& name) {
  for (const std::string_view suffix : {".journal", ".journal~"}) {
    if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(),
                                                    suffix.data(), suffix.size()) == 0) {
      return true;
    }
  }
  return false;
}

bool is_id128(const std::string& name) {
  sd_id128_t id;
  return sd_id128_from_string(name.c_str(), &id) >= 0;
}

// sd-journal skips journal files it may not read and shows the rest without a word, so a
// service user outside the systemd-journal group would see no sshd logins at all and every
// right would look unused. We look for such files ourselves, where sd-journal looks: the
// journal files in `root` and in its machine-id sub-folders. `where` names the journal.
Result<void> check_readable(const std::filesystem::path& root, const std::string& where) {
  std::error_code ec;
  for (std::filesystem::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (is_journal_file_name(name)) {
      if (::access(it->path().c_str(), R_OK) == 0) continue;
      const int error = errno;
      std::string message = "cannot open " + where + ": " + it->path().string() +
                            " is not readable (" + errno_text(-error) + ")";
      if (error == EACCES || error == EPERM) message += k_group_hint;
      return make_error(std::move(message));
    }
    std::error_code type_ec;
    if (is_id128(name) && it->is_directory(type_ec)) {
      const auto inner = check_readable(it->path(), where);
      if (!inner) return inner;
    }
  }
  if (ec && ec != std::errc::no_such_file_or_directory) {
    std::string message =
        "cannot open " + where + ": " + root.string() + " is not readable (" + ec.message() + ")";
    if (ec == std::errc::permission_denied) message += k_group_hint;
    return make_error(std::move(message));
  }
  return {};
}

class SdJournalReader final : public JournalReader {
 public:
  SdJournalReader(JournalHandle journal, std::string where)
      : m_journal(std::move(journal)), m_where(std::move(where)) {
    // Asking for the fd makes sd-journal watch its directories with inotify; then
    // sd_journal_process() in each batch picks up files added by rotation and drops removed
    // ones, so a long-lived reader keeps following a live journal. Without it (inotify
    // limits reached) the reader still sees entries appended to the files it opened.
    m_watching = sd_journal_get_fd(m_journal.get()) >= 0;
    // sd_journal_get_data() cuts a field at this threshold (64 KiB by default, the name
    // included) when its data is compressed: a value is to be read whole up to the limit, and a
    // longer one must show as longer, never as a shorter value.
    sd_journal_set_data_threshold(m_journal.get(), k_max_field_name + 1 + k_max_line_bytes + 1);
  }

  Result<std::vector<JournalEntry>> next_batch(const std::string& cursor,
                                               std::size_t max) override {
    std::vector<JournalEntry> entries;
    if (max == 0) return entries;
    sd_journal* journal = m_journal.get();

    if (m_watching) {
      const int r = sd_journal_process(journal);
      if (r < 0) return read_error("cannot follow changes to", r);
    }

    // Entries at or before this realtime are not returned (see below).
    std::optional<std::uint64_t> not_after;
    int r = 0;
    if (cursor.empty()) {
      r = sd_journal_seek_head(journal);
      if (r < 0) return read_error("cannot seek to the start of", r);
      r = sd_journal_next(journal);
    } else {
      r = sd_journal_seek_cursor(journal, cursor.c_str());
      if (r < 0) {
        return make_error("cannot continue reading " + m_where + " after cursor \"" + cursor +
                          "\": " + errno_text(r));
      }
      r = sd_journal_next(journal);
      if (r > 0) {
        const int same = sd_journal_test_cursor(journal, cursor.c_str());
        if (same < 0) return read_error("cannot compare a cursor in", same);
        if (same > 0) {
          r = sd_journal_next(journal);  // the cursor's own entry was read last time
        } else {
          // The cursor's entry is gone (its file was vacuumed) or no longer matches.
          // sd-journal then lands on the closest following entry by sequence number, boot
          // and time; as a guard against landing early (interleaved files of other boots or
          // hosts are ordered by realtime only), this batch also drops every entry at or
          // before the cursor's realtime. It applies to this recovering batch only: its last
          // entry becomes the next cursor, which exists again.
          not_after = journal_cursor_realtime(cursor);
        }
      }
    }

    while (r > 0 && entries.size() < max) {
      std::optional<JournalEntry> entry = read_entry(not_after);
      if (entry) entries.push_back(std::move(*entry));
      r = sd_journal_next(journal);
    }
    // A failing step after some entries were read returns those; the next batch starts after
    // them and meets the failure again with nothing in hand, and reports it then.
    if (r < 0 && entries.empty()) return read_error("cannot read the next entry of", r);
    return entries;
  }

 private:
  Error read_error(const std::string& what, int negative_errno) const {
    return make_error(what + " " + m_where + ": " + errno_text(negative_errno));
  }

  // `field`'s value in the current entry: nullopt when absent, an Error when unreadable.
  Result<std::optional<std::string>> field(std::string_view name) const {
    const std::string key(name);
    const void* data = nullptr;
    std::size_t size = 0;
    const int r = sd_journal_get_data(m_journal.get(), key.c_str(), &data, &size);
    if (r == -ENOENT) return std::optional<std::string>();
    if (r < 0) return make_error(errno_text(r));
    return std::optional<std::string>(
        journal_field_value(std::string_view(static_cast<const char*>(data), size), key));
  }

  // The current entry, or nullopt to skip it: at or before `not_after`, or unreadable (a
  // corrupted entry; sd_journal_next() already skips those it detects itself). Skipping
  // keeps a damaged journal from stalling the source.
  std::optional<JournalEntry> read_entry(std::optional<std::uint64_t> not_after) const {
    sd_journal* journal = m_journal.get();
    std::uint64_t usec = 0;
    if (sd_journal_get_realtime_usec(journal, &usec) < 0) return std::nullopt;
    if (not_after && usec <= *not_after) return std::nullopt;

    auto message = field("MESSAGE");
    auto hostname = field("_HOSTNAME");
    auto comm = field("_COMM");
    if (!message || !hostname || !comm) return std::nullopt;
    if (!*comm) {
      comm = field("SYSLOG_IDENTIFIER");
      if (!comm) return std::nullopt;
    }

    char* raw_cursor = nullptr;
    if (sd_journal_get_cursor(journal, &raw_cursor) < 0) return std::nullopt;
    const std::unique_ptr<char, FreeDeleter> owned_cursor(raw_cursor);

    JournalEntry entry;
    entry.time = journal_time(usec);
    entry.cursor = raw_cursor;
    const auto too_long = [](const std::optional<std::string>& value) {
      return value && value->size() > k_max_line_bytes;
    };
    // Returned with its cursor, so that it is counted and the reading goes on after it.
    if (too_long(*message) || too_long(*hostname) || too_long(*comm)) {
      entry.too_long = true;
      return entry;
    }
    entry.message = message->value_or(std::string());
    entry.hostname = hostname->value_or(std::string());
    entry.program = comm->value_or(std::string());
    return entry;
  }

  JournalHandle m_journal;
  std::string m_where;
  bool m_watching = false;
};

}  // namespace

std::string journal_field_value(std::string_view data, std::string_view field) {
  // The value is bytes as they were logged, not always UTF-8.
  if (data.size() <= field.size() || data.substr(0, field.size()) != field ||
      data[field.size()] != '=')
    return {};
  return std::string(data.substr(field.size() + 1));
}

Instant journal_time(std::uint64_t realtime_usec) {
  return Instant(std::chrono::seconds(static_cast<std::int64_t>(realtime_usec / 1'000'000)));
}

// Cursors are documented as opaque, but their shape ("s=…;i=…;b=…;m=…;t=<hex>;x=…") has been
// stable since 2012 and sd-journal itself parses it this way.
std::optional<std::uint64_t> journal_cursor_realtime(std::string_view cursor) {
  while (!cursor.empty()) {
    const std::size_t end = cursor.find(';');
    const std::string_view part = cursor.substr(0, end);
    if (part.size() > 2 && part.substr(0, 2) == "t=") {
      std::uint64_t value = 0;
      for (const char c : part.substr(2)) {
        int digit = 0;
        if (c >= '0' && c <= '9') {
          digit = c - '0';
        } else if (c >= 'a' && c <= 'f') {
          digit = c - 'a' + 10;
        } else {
          return std::nullopt;
        }
        if (value > (UINT64_MAX >> 4)) return std::nullopt;
        value = (value << 4) | static_cast<std::uint64_t>(digit);
      }
      return value;
    }
    if (end == std::string_view::npos) break;
    cursor.remove_prefix(end + 1);
  }
  return std::nullopt;
}

std::optional<RawEvent> journal_event(const JournalEntry& entry) {
  // The journal has no damaged lines: a MESSAGE that is no login is simply no event.
  if (!is_sshd_program(entry.program)) return std::nullopt;
  return parse_sshd_message(entry.message, entry.time, entry.hostname);
}

Result<std::unique_ptr<JournalReader>> JournalReader::open(
    const std::filesystem::path& path, const std::vector<std::string>& matches) {
  sd_journal* raw = nullptr;
  int r = 0;
  if (path.empty()) {
    for (const char* root : {"/run/log/journal", "/var/log/journal"}) {
      auto readable = check_readable(root, describe(path));
      if (!readable) return readable.error();
    }
    r = sd_journal_open(&raw, 0);
  } else {
    // sd_journal_open_directory() accepts a folder that does not exist and shows nothing;
    // a typo in `path:` must fail loudly instead.
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec) return open_error(path, -ec.value());
    if (std::filesystem::is_directory(status)) {
      auto readable = check_readable(path, describe(path));
      if (!readable) return readable.error();
      r = sd_journal_open_directory(&raw, path.c_str(), 0);
    } else {
      const char* files[] = {path.c_str(), nullptr};
      r = sd_journal_open_files(&raw, files, 0);
    }
  }
  if (r < 0) return open_error(path, r);
  JournalHandle journal(raw);

  for (const auto& match : matches) {
    const std::size_t equals = match.find('=');
    if (equals == std::string::npos || !is_field_name(std::string_view(match).substr(0, equals))) {
      return make_error("journal match \"" + match +
                        "\" is not FIELD=value with FIELD made of upper-case letters, digits "
                        "and underscores, not starting with a digit");
    }
    r = sd_journal_add_match(journal.get(), match.data(), match.size());
    if (r < 0) return make_error("journal match \"" + match + "\" is refused: " + errno_text(r));
  }

  return std::unique_ptr<JournalReader>(
      std::make_unique<SdJournalReader>(std::move(journal), describe(path)));
}

}  // namespace secondsight::activity
