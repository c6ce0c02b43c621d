// An unlinked temporary file that takes a stream of tokens and gives back any stretch of it:
// git writes the log newest first, the history is built oldest first, and the log in between
// waits on disk, not in memory.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "secondsight/core/result.hpp"

namespace secondsight::knowledge {

class Spool {
 public:
  // In $TMPDIR, or /tmp; gone when closed.
  static Result<Spool> create();

  Spool(Spool&& other) noexcept;
  Spool& operator=(Spool&&) = delete;
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;
  ~Spool();

  // Appends the token and a NUL after it.
  Result<void> append(std::string_view token);
  // Everything appended so far is in the file.
  Result<void> flush();
  // Bytes appended so far.
  std::uint64_t size() const { return m_written + m_pending.size(); }

  // The bytes [begin, end) of the file, valid until the next read. Reading backwards from the
  // end is cheap: a window of the file is kept and moved down.
  Result<std::string_view> read(std::uint64_t begin, std::uint64_t end);

 private:
  explicit Spool(int fd);

  int m_fd = -1;
  std::uint64_t m_written = 0;
  std::string m_pending;       // appended, not written yet
  std::vector<char> m_window;  // file bytes [m_window_begin, m_window_begin + size)
  std::uint64_t m_window_begin = 0;
};

}  // namespace secondsight::knowledge
