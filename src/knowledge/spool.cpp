#include "spool.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <system_error>
#include <utility>

namespace secondsight::knowledge {
namespace {

constexpr std::size_t k_chunk = std::size_t{1} << 20;

std::string errno_text(int error) {
  return std::generic_category().message(error);
}

std::string temporary_folder() {
  const char* dir = std::getenv("TMPDIR");
  return dir != nullptr && *dir != '\0' ? dir : "/tmp";
}

}  // namespace

Result<Spool> Spool::create() {
  std::string dir = temporary_folder();
  int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) {
    // A file system without O_TMPFILE: a named file, unlinked at once.
    std::string pattern = dir + "/secondsight-log-XXXXXX";
    fd = ::mkostemp(pattern.data(), O_CLOEXEC);
    if (fd < 0)
      return make_error("cannot make a temporary file in " + dir + ": " + errno_text(errno));
    ::unlink(pattern.c_str());
  }
  return Spool(fd);
}

Spool::Spool(int fd) : m_fd(fd) {
  m_pending.reserve(k_chunk);
}

Spool::Spool(Spool&& other) noexcept
    : m_fd(std::exchange(other.m_fd, -1)),
      m_written(other.m_written),
      m_pending(std::move(other.m_pending)),
      m_window(std::move(other.m_window)),
      m_window_begin(other.m_window_begin) {}

Spool::~Spool() {
  if (m_fd >= 0) ::close(m_fd);
}

Result<void> Spool::append(std::string_view token) {
  m_pending.append(token);
  m_pending += '\0';
  if (m_pending.size() >= k_chunk) return flush();
  return {};
}

Result<void> Spool::flush() {
  std::size_t done = 0;
  while (done < m_pending.size()) {
    ssize_t n = ::write(m_fd, m_pending.data() + done, m_pending.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return make_error("cannot write a temporary file: " + errno_text(errno));
    done += static_cast<std::size_t>(n);
  }
  m_written += m_pending.size();
  m_pending.clear();
  return {};
}

Result<std::string_view> Spool::read(std::uint64_t begin, std::uint64_t end) {
  if (begin > end || end > m_written) return make_error("internal error: read past the spool");
  bool inside = begin >= m_window_begin && end <= m_window_begin + m_window.size();
  if (!inside) {
    // A window that ends at `end` and reaches as far back as a chunk (or the whole stretch).
    std::uint64_t length =
        std::max<std::uint64_t>(end - begin, std::min<std::uint64_t>(k_chunk, end));
    m_window_begin = end - length;
    m_window.resize(static_cast<std::size_t>(length));
    std::size_t done = 0;
    while (done < m_window.size()) {
      ssize_t n = ::pread(m_fd, m_window.data() + done, m_window.size() - done,
                          static_cast<off_t>(m_window_begin + done));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        m_window.clear();
        return make_error("cannot read a temporary file: " +
                          (n < 0 ? errno_text(errno) : std::string("it is shorter than written")));
      }
      done += static_cast<std::size_t>(n);
    }
  }
  return std::string_view(m_window.data() + (begin - m_window_begin),
                          static_cast<std::size_t>(end - begin));
}

}  // namespace secondsight::knowledge
