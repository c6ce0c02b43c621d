// The tailing behaviour every file-based log source shares (rotation by rename, copytruncate,
// replacement, truncation, partial lines, a crash at any moment), as one suite that each
// source instantiates with a TailSubject: how it writes record N, and how it reads records
// from a file starting at a saved position.
//
//   INSTANTIATE_TEST_SUITE_P(FileTailer, TailConformance, testing::Values(file_tailer_subject()),
//                            [](const auto& instance) { return instance.param.name; });
//
// The tests live in tail_conformance_test.cpp; the instantiations may be in any .cpp of the
// test program. Every read resumes from the position the previous read returned, with no other
// state, so every test also proves the source restartable from any saved position.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "fixtures/temp_dir.hpp"
#include "secondsight/activity/tail.hpp"
#include "secondsight/core/result.hpp"
#include "secondsight/core/time.hpp"

namespace secondsight::activity::tail_testing {

// What one read of a source returned.
struct TailRead {
  std::vector<long long> numbers;  // the records read, in order; -1 for an unreadable line
  std::uint64_t skipped = 0;       // lines over the length limit, left out
  TailPosition after;
  bool more = false;
  std::vector<std::string> notes;  // the reader's notes and warnings
};

struct TailSubject {
  std::string name;  // a test name part: letters and digits only
  // The text of record `n` (n >= 1) in the source's format, without a line end.
  std::function<std::string(long long n)> line_for;
  // Reads the next records of `file`, resuming at `from`, within about `max_bytes`.
  std::function<Result<TailRead>(const std::filesystem::path& file, const TailPosition& from,
                                 std::size_t max_bytes, Instant wall_now)>
      read;
};

// Failure messages name the subject rather than dumping its bytes.
inline void PrintTo(const TailSubject& subject, std::ostream* out) {
  *out << subject.name;
}

using secondsight::testing::TempDir;

// Writes `text` at the end of `path` (creating it) in one write, as a logging program does.
inline void append_text(const std::filesystem::path& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0) << path;
  ASSERT_EQ(::write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size())) << path;
  ::close(fd);
}

inline struct stat status_of(const std::filesystem::path& path) {
  struct stat status {};
  EXPECT_EQ(::stat(path.c_str(), &status), 0) << path;
  return status;
}

// The file's mtime in whole seconds, rounded up: "now" as the writer last saw it.
inline Instant modified_at(const std::filesystem::path& path) {
  struct stat status = status_of(path);
  return Instant(std::chrono::seconds(status.st_mtim.tv_sec + (status.st_mtim.tv_nsec > 0)));
}

std::vector<long long> range(long long first, long long last);
bool any_note_contains(const std::vector<std::string>& notes, const std::string& part);

class TailConformance : public ::testing::TestWithParam<TailSubject> {
 protected:
  const TailSubject& subject() const { return GetParam(); }
  std::filesystem::path log() const { return m_dir / "a.log"; }

  // Records first..last, each with LF, in one write.
  std::string records(long long first, long long last) const;
  void append_records(const std::filesystem::path& path, long long first, long long last) {
    append_text(path, records(first, last));
  }

  // One read from the saved position; keeps the new position and collects the notes.
  std::vector<long long> read_once(std::size_t max_bytes, Instant wall_now = system_now());
  // Reads until the source says nothing more is ready.
  std::vector<long long> read_all(Instant wall_now = system_now());

  TempDir m_dir;
  TailPosition m_position;
  bool m_more = false;
  std::uint64_t m_skipped = 0;       // lines over the length limit, by all reads
  std::vector<std::string> m_notes;  // notes and warnings of all reads since the last clear
};

}  // namespace secondsight::activity::tail_testing
