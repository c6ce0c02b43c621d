#include "secondsight/store/state_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace secondsight::store {
namespace {

Result<int> open_lock_file(const std::filesystem::path& state_dir) {
  std::error_code error;
  if (!std::filesystem::exists(state_dir, error)) {
    std::filesystem::create_directories(state_dir, error);
    if (error)
      return make_error("cannot create state folder " + state_dir.string() + ": " +
                        error.message());
    std::filesystem::permissions(state_dir, std::filesystem::perms::owner_all, error);
  }
  const auto path = state_dir / "secondsight.lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return make_error("cannot open " + path.string() + ": " + std::strerror(errno));
  return fd;
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
