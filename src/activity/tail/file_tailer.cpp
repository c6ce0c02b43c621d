// FileTailer: complete lines from a saved position, following the file across rotation by
// rename, copytruncate, replacement and truncation.
//
// The only state is the TailPosition (plus a hint where a rotated file was last seen), so a
// tailer built from any saved `after` continues exactly where the previous one stopped, even
// when that position points into a file that has since been rotated away.
#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <system_error>
#include <utility>

#include "secondsight/activity/limits.hpp"
#include "secondsight/activity/tail.hpp"

namespace secondsight::activity {
namespace {

namespace fs = std::filesystem;

// Large reads keep syscalls rare; a smaller batch budget still reads at least this much so a
// tiny budget does not turn into many tiny reads.
constexpr std::size_t k_read_chunk = std::size_t{1} << 20;
constexpr std::size_t k_min_read_chunk = std::size_t{64} << 10;
// A last line without LF is taken as complete after the file has been quiet this long.
constexpr auto k_quiet_period = std::chrono::seconds(5);
// Rotated copies that are compressed cannot be read as text, and their bytes never match the
// fingerprint anyway: skip them without opening.
constexpr std::array<std::string_view, 8> k_compressed_suffixes = {".gz",  ".xz",   ".zst", ".bz2",
                                                                   ".lz4", ".lzma", ".zip", ".Z"};

std::string errno_text(int error) {
  return std::generic_category().message(error);
}

class FileHandle {
 public:
  explicit FileHandle(int fd) : m_fd(fd) {}
  FileHandle(FileHandle&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
  FileHandle& operator=(FileHandle&& other) noexcept {
    std::swap(m_fd, other.m_fd);
    return *this;
  }
  FileHandle(const FileHandle&) = delete;
  FileHandle& operator=(const FileHandle&) = delete;
  ~FileHandle() {
    if (m_fd >= 0) ::close(m_fd);
  }
  int fd() const { return m_fd; }

 private:
  int m_fd = -1;
};

struct OpenFile {
  fs::path path;
  FileHandle handle;
  struct stat status {};

  std::uint64_t size() const { return static_cast<std::uint64_t>(status.st_size); }
  std::uint64_t device() const { return static_cast<std::uint64_t>(status.st_dev); }
  std::uint64_t inode() const { return static_cast<std::uint64_t>(status.st_ino); }
  bool is(const TailPosition& position) const {
    return device() == position.device && inode() == position.inode;
  }
};

// nullopt when the file does not exist (a log that has not been created yet is no error).
Result<std::optional<OpenFile>> open_file(const fs::path& path) {
  // O_NONBLOCK: a FIFO at the path must not hang the reader (it is refused below).
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    int error = errno;
    if (error == ENOENT || error == ENOTDIR) return std::optional<OpenFile>();
    return make_error(path.string() + ": cannot open: " + errno_text(error));
  }
  OpenFile file{path, FileHandle(fd), {}};
  if (::fstat(fd, &file.status) != 0) {
    return make_error(path.string() + ": cannot stat: " + errno_text(errno));
  }
  if (!S_ISREG(file.status.st_mode)) {
    return make_error(path.string() + ": is not a regular file");
  }
  return std::optional<OpenFile>(std::move(file));
}

Result<void> refresh_status(OpenFile& file) {
  if (::fstat(file.handle.fd(), &file.status) != 0) {
    return make_error(file.path.string() + ": cannot stat: " + errno_text(errno));
  }
  return {};
}

// Up to `length` bytes from `offset` (fewer at the end of the file).
Result<std::size_t> read_at(const OpenFile& file, char* into, std::size_t length,
                            std::uint64_t offset) {
  std::size_t done = 0;
  while (done < length) {
    ssize_t n =
        ::pread(file.handle.fd(), into + done, length - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return make_error(file.path.string() + ": cannot read: " + errno_text(errno));
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  return done;
}

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr);
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    out += k_hex[digest[i] >> 4];
    out += k_hex[digest[i] & 0xf];
  }
  return out;
}

// The fingerprint of what the file holds now: its first bytes, up to k_fingerprint_bytes.
struct Fingerprint {
  std::string hex;
  std::uint64_t length = 0;
};

Result<std::string> read_prefix(const OpenFile& file) {
  std::string prefix(FileTailer::k_fingerprint_bytes, '\0');
  auto got = read_at(file, prefix.data(), prefix.size(), 0);
  if (!got) return got.error();
  prefix.resize(*got);
  return prefix;
}

// The file's current fingerprint when its first `position.fingerprint_length` bytes still hash
// to `position.fingerprint` (so the fingerprint grows with a file shorter than
// k_fingerprint_bytes without losing what it proved); nullopt when they do not.
Result<std::optional<Fingerprint>> matching_fingerprint(const OpenFile& file,
                                                        const TailPosition& position) {
  auto prefix = read_prefix(file);
  if (!prefix) return prefix.error();
  if (prefix->size() < position.fingerprint_length) return std::optional<Fingerprint>();
  std::string_view old_part(prefix->data(), position.fingerprint_length);
  if (sha256_hex(old_part) != position.fingerprint) return std::optional<Fingerprint>();
  if (prefix->size() == position.fingerprint_length) {
    return std::optional<Fingerprint>(Fingerprint{position.fingerprint, prefix->size()});
  }
  return std::optional<Fingerprint>(Fingerprint{sha256_hex(*prefix), prefix->size()});
}

Result<TailPosition> start_of(const OpenFile& file) {
  auto prefix = read_prefix(file);
  if (!prefix) return prefix.error();
  TailPosition position;
  position.device = file.device();
  position.inode = file.inode();
  position.fingerprint = sha256_hex(*prefix);
  position.fingerprint_length = prefix->size();
  position.offset = 0;
  position.known = true;
  return position;
}

std::chrono::sys_time<std::chrono::nanoseconds> modified_at(const struct stat& status) {
  return std::chrono::sys_time<std::chrono::nanoseconds>(
      std::chrono::seconds(status.st_mtim.tv_sec) +
      std::chrono::nanoseconds(status.st_mtim.tv_nsec));
}

struct LineRead {
  std::uint64_t offset = 0;  // just after the last line taken
  bool at_end = false;       // everything the file holds now was taken (or held back)
};

// Complete lines of `file` from `offset` into the batch, spending `budget` bytes (at least one
// line per batch). The file is read straight into the batch's text and lines are spans of it,
// a CR before the LF left out. A line over k_max_line_bytes is skipped: its bytes are dropped
// from the text as soon as it is known to be too long, so it never takes more memory than the
// limit and a chunk. A last line without LF is complete when the file has been rotated away,
// or when it has not changed for k_quiet_period; else it is held back.
Result<LineRead> read_lines(OpenFile& file, std::uint64_t offset, bool rotated_away,
                            Instant wall_now, std::size_t& budget, TailBatch& batch) {
  LineBlock& block = batch.lines;
  // The batch's text grows to about the budget: reserved once rather than reallocated.
  if (block.text().empty()) block.reserve(std::min(budget, k_read_chunk * 64) + k_read_chunk);
  const std::size_t text_base = block.text().size();  // text[text_base] is the byte at `offset`
  std::uint64_t dropped = 0;  // bytes of skipped lines removed from the text since text_base
  auto file_offset = [&](std::size_t index) { return offset + dropped + (index - text_base); };
  std::size_t line_start = text_base;  // start of the first line not taken yet
  std::size_t scanned = text_base;     // text[line_start, scanned) holds no LF
  bool end_of_file = false;
  // The line at line_start is over the limit and its bytes so far are dropped; it began at
  // skip_start in the file.
  bool skipping = false;
  std::uint64_t skip_start = 0;
  std::uint64_t skipped = 0;
  std::uint64_t first_skipped = 0;
  auto take = [&](std::size_t begin, std::size_t end) {
    if (end > begin && block.text()[end - 1] == '\r') --end;
    block.add_span(begin, end);
  };
  auto count_skipped = [&](std::uint64_t at, std::uint64_t length) {
    if (skipped++ == 0) first_skipped = at;
    budget -= std::min<std::uint64_t>(budget, length);
  };
  auto stop_here = [&] { return LineRead{file_offset(line_start), false}; };
  // Said once per call, after its lines: how many were skipped and where the first began.
  auto report = [&](LineRead read) {
    if (skipped > 0) {
      batch.skipped += skipped;
      batch.warnings.push_back(file.path.string() + ": " + std::to_string(skipped) +
                               (skipped == 1 ? " line" : " lines") + " over the " +
                               std::to_string(k_max_line_bytes >> 10) +
                               " KiB limit of one line skipped, the first at byte " +
                               std::to_string(first_skipped));
    }
    return read;
  };

  for (;;) {
    while (scanned < block.text().size()) {
      const std::string_view text = block.text();
      const void* found = std::memchr(text.data() + scanned, '\n', text.size() - scanned);
      if (found == nullptr) {
        scanned = text.size();
        break;
      }
      auto line_end = static_cast<std::size_t>(static_cast<const char*>(found) - text.data());
      std::size_t length = line_end + 1 - line_start;
      const bool cr = line_end > line_start && text[line_end - 1] == '\r';
      if (skipping || line_end - line_start - (cr ? 1 : 0) > k_max_line_bytes) {
        const std::uint64_t begin = skipping ? skip_start : file_offset(line_start);
        count_skipped(begin, file_offset(line_end + 1) - begin);
        block.erase(line_start, line_end + 1);
        dropped += length;
        skipping = false;
        scanned = line_start;
        if (budget == 0) return report(stop_here());
        continue;
      }
      if (!batch.lines.empty() && length > budget) return report(stop_here());
      take(line_start, line_end);
      budget -= std::min(budget, length);
      line_start = line_end + 1;
      scanned = line_start;
      if (budget == 0) return report(stop_here());
    }
    // No LF in text[line_start, end): a line already over the limit (a CR before its LF
    // allowed for) is dropped as it is read, and so is every later byte of it.
    const std::size_t pending = block.text().size() - line_start;
    if (pending > 0 && (skipping || pending > k_max_line_bytes + 1)) {
      if (!skipping) skip_start = file_offset(line_start);
      skipping = true;
      dropped += pending;
      block.truncate(line_start);
      scanned = line_start;
    }
    if (end_of_file) break;

    std::size_t chunk = std::clamp(budget, k_min_read_chunk, k_read_chunk);
    std::size_t kept = block.text().size();
    char* into = block.extend(chunk);
    auto got = read_at(file, into, chunk, file_offset(kept));
    if (!got) {
      block.truncate(kept);
      return got.error();
    }
    block.truncate(kept + *got);
    if (*got == 0) end_of_file = true;
  }

  const std::size_t text_size = block.text().size();
  const std::uint64_t end = file_offset(text_size);
  if (line_start == text_size && !skipping) return report(LineRead{end, true});

  // A last line without LF (when skipping, one whose bytes are already dropped). The status is
  // taken after reading, so a write that landed since shows as a larger size and the line is
  // held back (the writer may be finishing it).
  const std::uint64_t last_line = skipping ? skip_start : file_offset(line_start);
  bool complete = rotated_away;
  if (!complete) {
    if (auto refreshed = refresh_status(file); !refreshed) return refreshed.error();
    // A skipped line still being written is looked at again at the next read, not at once:
    // reading it again straight away would only find more of it.
    if (file.size() != end) return report(LineRead{last_line, skipping});
    complete = wall_now - modified_at(file.status) >= k_quiet_period;
  }
  if (!complete) return report(LineRead{last_line, true});
  if (skipping) {
    count_skipped(skip_start, end - skip_start);
    return report(LineRead{end, true});
  }
  const std::size_t rest = text_size - line_start;
  if (rest - (block.text().back() == '\r' ? 1 : 0) > k_max_line_bytes) {
    count_skipped(last_line, rest);
    block.truncate(line_start);
    return report(LineRead{end, true});
  }
  if (!batch.lines.empty() && rest > budget) return report(stop_here());
  take(line_start, text_size);
  budget -= std::min(budget, rest);
  if (!rotated_away) {
    batch.notes.push_back(file.path.string() +
                          ": the last line has no line end and the file has not changed for 5 "
                          "seconds; taking it as complete");
  }
  return report(LineRead{end, true});
}

bool is_compressed(std::string_view name) {
  return std::any_of(k_compressed_suffixes.begin(), k_compressed_suffixes.end(),
                     [&](std::string_view suffix) { return name.ends_with(suffix); });
}

// A rotated name of `base`: "audit.log.1", "auth.log-20260301", "a.log.2.gz".
bool is_rotated_name(std::string_view name, std::string_view base) {
  return name.size() > base.size() && name.starts_with(base) &&
         (name[base.size()] == '.' || name[base.size()] == '-');
}

// The regular files beside `path` whose names are rotated names of it.
std::vector<fs::path> rotated_siblings(const fs::path& path) {
  fs::path folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::string base = path.filename().string();
  std::vector<fs::path> found;
  std::error_code error;
  for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
    std::string name = it->path().filename().string();
    if (!is_rotated_name(name, base)) continue;
    std::error_code type_error;
    if (!it->is_regular_file(type_error) || it->is_symlink(type_error)) continue;
    found.push_back(it->path());
  }
  return found;
}

std::string file_name(const fs::path& path) {
  return path.filename().string();
}

// A file rotated after `finished` and before `current` exists when the log was rotated more
// than once between two reads: its last write is later than the finished file's and not later
// than the current file's. The earliest such file is the next to read. Strictly later, so a file
// is never taken twice; equal times (rare) skip it rather than repeat it.
std::optional<OpenFile> next_rotated(const fs::path& path, const OpenFile& finished,
                                     const OpenFile& current) {
  std::optional<OpenFile> next;
  for (const fs::path& candidate : rotated_siblings(path)) {
    if (is_compressed(candidate.filename().string())) continue;
    auto file = open_file(candidate);
    if (!file || !*file) continue;
    OpenFile& open = **file;
    if (open.device() == finished.device() && open.inode() == finished.inode()) continue;
    if (open.device() == current.device() && open.inode() == current.inode()) continue;
    const auto written = modified_at(open.status);
    if (written <= modified_at(finished.status) || written > modified_at(current.status)) continue;
    if (next && modified_at(next->status) <= written) continue;
    next = std::move(open);
  }
  return next;
}

}  // namespace

FileTailer::FileTailer(std::filesystem::path path, TailPosition saved)
    : m_path(std::move(path)), m_position(std::move(saved)) {}

Result<TailBatch> FileTailer::next_batch(std::size_t max_bytes, Instant wall_now) {
  // A batch that fails part way (after switching from a rotated file to the new one, say)
  // returns no lines, so the position must not move either.
  TailPosition before = m_position;
  auto batch = read_batch(max_bytes, wall_now);
  if (!batch) m_position = std::move(before);
  return batch;
}

Result<TailBatch> FileTailer::read_batch(std::size_t max_bytes, Instant wall_now) {
  TailBatch batch;
  std::size_t budget = max_bytes;
  const std::string name = m_path.string();

  auto opened = open_file(m_path);
  if (!opened) return opened.error();
  std::optional<OpenFile>& current = *opened;

  // Reads `file` (the one m_position names) from m_position.offset into the batch.
  auto read_from_position = [&](OpenFile& file, bool rotated_away) -> Result<LineRead> {
    auto read = read_lines(file, m_position.offset, rotated_away, wall_now, budget, batch);
    if (read) m_position.offset = read->offset;
    return read;
  };
  auto finish = [&](bool more) -> Result<TailBatch> {
    batch.after = m_position;
    batch.more = more;
    return std::move(batch);
  };
  auto read_current = [&](std::optional<Fingerprint> fingerprint) -> Result<TailBatch> {
    if (fingerprint) {
      m_position.fingerprint = std::move(fingerprint->hex);
      m_position.fingerprint_length = fingerprint->length;
    }
    auto read = read_from_position(*current, false);
    if (!read) return read.error();
    return finish(!read->at_end);
  };
  auto restart_current = [&](std::string note, bool may_lose_lines) -> Result<TailBatch> {
    (may_lose_lines ? batch.warnings : batch.notes).push_back(std::move(note));
    auto start = start_of(*current);
    if (!start) return start.error();
    m_position = std::move(*start);
    m_rotated_hint.clear();
    m_reading_copy = false;
    return read_current(std::nullopt);
  };

  if (!m_position.known) {
    if (!current) {
      batch.warnings.push_back(name + " does not exist yet; waiting for it to appear");
      batch.missing = true;
      return finish(false);
    }
    return restart_current(name + ": no saved position; reading from the start", false);
  }

  if (current && current->is(m_position)) {
    auto fingerprint = matching_fingerprint(*current, m_position);
    if (!fingerprint) return fingerprint.error();
    if (*fingerprint && current->size() >= m_position.offset) return read_current(*fingerprint);
    // Truncated or rewritten in place. copytruncate leaves the old content in a copy beside
    // the file: continue in that copy, then read the file again from its start. The position
    // moves to the copy's inode, so from here on this is the same as a rotation by rename.
    std::string what = *fingerprint ? " shrank below the saved position" : "'s first bytes changed";
    std::optional<OpenFile> copy;
    if (m_position.fingerprint_length > 0) {
      for (const fs::path& candidate : rotated_siblings(m_path)) {
        if (is_compressed(candidate.filename().string())) continue;
        auto file = open_file(candidate);
        if (!file || !*file || (*file)->is(m_position) || (*file)->size() < m_position.offset) {
          continue;
        }
        auto matches = matching_fingerprint(**file, m_position);
        if (!matches || !*matches) continue;
        // Several copies with the same first bytes: the newest is the one just made.
        if (copy && modified_at(copy->status) >= modified_at((*file)->status)) continue;
        copy = std::move(**file);
      }
    }
    if (!copy) {
      return restart_current(
          name + what + " (truncated or rewritten); reading it again from the start", true);
    }
    batch.notes.push_back(name + what + " (copytruncate); reading the rest of its copy " +
                          file_name(copy->path) + " first");
    m_position.device = copy->device();
    m_position.inode = copy->inode();
    m_rotated_hint = copy->path;
    m_reading_copy = true;
  }

  // The saved file is no longer at the path: rotated by rename (or copied, above), replaced,
  // or deleted. Find it beside the path by device and inode, read its rest, then move on.
  std::optional<OpenFile> rotated;
  std::vector<fs::path> candidates;
  if (!m_rotated_hint.empty()) candidates.push_back(m_rotated_hint);
  for (bool listed = false;;) {
    for (const fs::path& candidate : candidates) {
      auto file = open_file(candidate);
      if (file && *file && (*file)->is(m_position)) {
        rotated = std::move(**file);
        break;
      }
    }
    if (rotated || listed) break;
    candidates = rotated_siblings(m_path);
    listed = true;
  }
  if (rotated) {
    auto fingerprint = matching_fingerprint(*rotated, m_position);
    if (!fingerprint) return fingerprint.error();
    if (!*fingerprint || rotated->size() < m_position.offset) {
      rotated.reset();  // the inode was reused by another file
    } else {
      m_position.fingerprint = std::move((*fingerprint)->hex);
      m_position.fingerprint_length = (*fingerprint)->length;
    }
  }
  if (!rotated) {
    m_rotated_hint.clear();
    if (!current) {
      batch.warnings.push_back(name + " does not exist; waiting for it to appear");
      batch.missing = true;
      return finish(false);
    }
    return restart_current(
        name +
            " was replaced and the rest of the previous file could not be found "
            "beside it (lines may be missing); reading the new file from the start",
        true);
  }
  m_rotated_hint = rotated->path;

  // Until a new file appears at the path, the writer may still be finishing the rotated one's
  // last line, so the 5-second rule holds for it too.
  auto read = read_from_position(*rotated, current.has_value());
  if (!read) return read.error();
  if (!read->at_end || !current) return finish(!read->at_end);
  if (auto next = m_reading_copy ? std::nullopt : next_rotated(m_path, *rotated, *current)) {
    auto start = start_of(*next);
    if (!start) return start.error();
    batch.notes.push_back(name + ": read the rest of " + file_name(rotated->path) + "; " +
                          file_name(next->path) + " was rotated after it and is read next");
    m_position = std::move(*start);
    m_rotated_hint = next->path;
    return finish(true);
  }
  return restart_current(name + " was rotated to " + file_name(rotated->path) +
                             "; read the rest of that, now reading the new file from the start",
                         false);
}

}  // namespace secondsight::activity
