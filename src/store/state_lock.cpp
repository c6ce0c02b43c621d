#include "secondsight/store/state_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "secondsight/store/state_dir.hpp"

namespace secondsight::store {
namespace {

Result<int> open_lock_file(const std::filesystem::path& state_dir) {
  auto folder = StateDir::open(state_dir);
  if (!folder) return folder.error();
  auto file = folder->open_file("secondsight.lock", O_RDWR | O_CREAT, k_private_file_mode);
  if (!file) return file.error();
  return file->release();
}

Result<StateLock> lock_with(const std::filesystem::path& state_dir, int operation,
                            Result<StateLock> (*make)(int)) {
  auto fd = open_lock_file(state_dir);
  if (!fd) return fd.error();
  int rc = 0;
  do {
    rc = ::flock(*fd, operation);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    const int cause = errno;
    ::close(*fd);
    if (cause == EWOULDBLOCK) return make(-1);
    return make_error("cannot lock " + (state_dir / "secondsight.lock").string() + ": " +
                      std::strerror(cause));
  }
  return make(*fd);
}

}  // namespace

Result<StateLock> StateLock::try_acquire(const std::filesystem::path& state_dir) {
  return lock_with(state_dir, LOCK_EX | LOCK_NB,
                   [](int fd) -> Result<StateLock> { return StateLock(fd); });
}

Result<StateLock> StateLock::acquire_blocking(const std::filesystem::path& state_dir) {
  return lock_with(state_dir, LOCK_EX, [](int fd) -> Result<StateLock> { return StateLock(fd); });
}

StateLock::StateLock(StateLock&& other) noexcept : m_fd(other.m_fd) {
  other.m_fd = -1;
}

StateLock::~StateLock() {
  if (m_fd >= 0) ::close(m_fd);  // closing releases the lock
}

}  // namespace secondsight::store
