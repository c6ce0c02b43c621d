#include "secondsight/store/state_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "secondsight/store/state_dir.hpp"

namespace secondsight::store {
namespace {

Result<int> lock_file(const std::filesystem::path& state_dir, std::string_view name,
                      int operation) {
  auto folder = StateDir::open(state_dir);
  if (!folder) return folder.error();
  auto file = folder->open_file(name, O_RDWR | O_CREAT, k_private_file_mode);
  if (!file) return file.error();
  const int fd = file->release();
  int rc = 0;
  do {
    rc = ::flock(fd, operation);
  } while (rc != 0 && errno == EINTR);
  if (rc == 0) return fd;
  const int cause = errno;
  ::close(fd);
  if (cause == EWOULDBLOCK) return -1;
  return make_error("cannot lock " + (state_dir / name).string() + ": " + std::strerror(cause));
}

}  // namespace

Result<FolderLock> FolderLock::try_acquire(const std::filesystem::path& state_dir,
                                           std::string_view name) {
  auto fd = lock_file(state_dir, name, LOCK_EX | LOCK_NB);
  if (!fd) return fd.error();
  return FolderLock(*fd);
}

Result<FolderLock> FolderLock::acquire_blocking(const std::filesystem::path& state_dir,
                                                std::string_view name) {
  auto fd = lock_file(state_dir, name, LOCK_EX);
  if (!fd) return fd.error();
  return FolderLock(*fd);
}

FolderLock::FolderLock(FolderLock&& other) noexcept : m_fd(other.m_fd) {
  other.m_fd = -1;
}

FolderLock::~FolderLock() {
  if (m_fd >= 0) ::close(m_fd);  // closing releases the lock
}

Result<void> FolderLock::write(std::string_view content) {
  if (::ftruncate(m_fd, 0) != 0 ||
      ::pwrite(m_fd, content.data(), content.size(), 0) != static_cast<ssize_t>(content.size()))
    return make_error(std::string("cannot write a lock file: ") + std::strerror(errno));
  return {};
}

Result<FolderLock> try_delivery_lock(const std::filesystem::path& state_dir) {
  return FolderLock::try_acquire(state_dir, "delivery.lock");
}

Result<FolderLock> hold_daemon_lock(const std::filesystem::path& state_dir) {
  auto lock = FolderLock::try_acquire(state_dir, "daemon.lock");
  if (!lock) return lock.error();
  if (!lock->held()) {
    // The holder wrote its pid when it took the lock; a holder that has only just taken it may
    // not have yet.
    std::string holder = "another process";
    if (auto folder = StateDir::open(state_dir)) {
      if (auto text = folder->read("daemon.lock"); text && *text && !(*text)->empty()) {
        const std::string& pid = **text;
        if (pid.size() <= 10 && pid.find_first_not_of("0123456789") == std::string::npos)
          holder = "the daemon with pid " + pid;
      }
    }
    return make_error("a daemon already runs on the state folder " + state_dir.string() + ": " +
                      holder + " holds " + (state_dir / "daemon.lock").string());
  }
  if (auto written = lock->write(std::to_string(::getpid())); !written) return written.error();
  return lock;
}

std::optional<int> running_daemon(const std::filesystem::path& state_dir) {
  struct stat file {};
  if (::stat((state_dir / "daemon.lock").c_str(), &file) != 0) return std::nullopt;
  // A line of /proc/locks: "1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF", the device's
  // major and minor in hex.
  char device[64];
  std::snprintf(device, sizeof device, "%02x:%02x:%llu", ::major(file.st_dev), ::minor(file.st_dev),
                static_cast<unsigned long long>(file.st_ino));
  std::ifstream locks("/proc/locks");
  for (std::string line; std::getline(locks, line);) {
    std::istringstream fields(line);
    std::string number, type, mode, access, pid, where;
    if (!(fields >> number >> type) || type == "->") continue;  // "->": a waiter, not a holder
    if (fields >> mode >> access >> pid >> where && type == "FLOCK" && where == device &&
        !pid.empty() && pid.size() <= 9 && pid.find_first_not_of("0123456789") == std::string::npos)
      return std::stoi(pid);
  }
  return std::nullopt;
}

}  // namespace secondsight::store
