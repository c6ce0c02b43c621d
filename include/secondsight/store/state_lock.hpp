// Locks on files of the state folder, released when their holder closes them or dies:
// - secondsight.lock: one scan at a time; two would both read the logs from the same saved
//   positions and count those events twice;
// - delivery.lock: one deliverer; two would send the same queue twice and out of order;
// - daemon.lock: one daemon, for its whole life; it holds the daemon's pid.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "secondsight/core/result.hpp"

namespace secondsight::store {

class FolderLock {
 public:
  // Takes the lock on `state_dir`/`name` (created 0600) if it is free; an unheld lock
  // (held() false) when another process has it.
  static Result<FolderLock> try_acquire(const std::filesystem::path& state_dir,
                                        std::string_view name);
  // Takes it, waiting while another process holds it.
  static Result<FolderLock> acquire_blocking(const std::filesystem::path& state_dir,
                                             std::string_view name);

  FolderLock(FolderLock&& other) noexcept;
  FolderLock& operator=(FolderLock&&) = delete;
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;
  ~FolderLock();

  bool held() const { return m_fd >= 0; }
  // Replaces what the lock file holds (the holder's pid, for who finds it taken).
  Result<void> write(std::string_view content);

 private:
  explicit FolderLock(int fd) : m_fd(fd) {}
  int m_fd = -1;
};

// The scan lock (secondsight.lock): taken at once when free, else `waiting` is called once and
// the scan waits for it.
template <class OnWait>
Result<FolderLock> acquire_scan_lock(const std::filesystem::path& state_dir, OnWait waiting) {
  auto lock = FolderLock::try_acquire(state_dir, "secondsight.lock");
  if (!lock || lock->held()) return lock;
  waiting();
  return FolderLock::acquire_blocking(state_dir, "secondsight.lock");
}

// The delivery lock (delivery.lock): the daemon holds it for as long as it delivers; `scan`
// delivers only when it gets it at once.
Result<FolderLock> try_delivery_lock(const std::filesystem::path& state_dir);

// The daemon lock (daemon.lock), with this process's pid written in it. A daemon already
// running on the folder is an error naming its pid.
Result<FolderLock> hold_daemon_lock(const std::filesystem::path& state_dir);

// The pid of the daemon that holds the state folder's daemon lock now (as /proc/locks shows the
// lock's holder), or nullopt when none does. Takes no lock, so a daemon starting meanwhile is
// never turned away.
std::optional<int> running_daemon(const std::filesystem::path& state_dir);

}  // namespace secondsight::store
