// One scan at a time per state folder: two would both read the logs from the same saved
// positions and count those events twice.
#pragma once

#include <filesystem>

#include "secondsight/core/result.hpp"

namespace secondsight::store {

class StateLock {
 public:
  // Takes the lock on `state_dir`/secondsight.lock (created 0600), waiting while another
  // process holds it. `waiting` is called once if it has to wait.
  template <class OnWait>
  static Result<StateLock> acquire(const std::filesystem::path& state_dir, OnWait waiting) {
    auto lock = try_acquire(state_dir);
    if (!lock || lock->held()) return lock;
    waiting();
    return acquire_blocking(state_dir);
  }
  // Takes the lock if it is free; an unheld lock (held() false) when another process has it.
  static Result<StateLock> try_acquire(const std::filesystem::path& state_dir);
  static Result<StateLock> acquire_blocking(const std::filesystem::path& state_dir);

  StateLock(StateLock&& other) noexcept;
  StateLock& operator=(StateLock&&) = delete;
  StateLock(const StateLock&) = delete;
  StateLock& operator=(const StateLock&) = delete;
  ~StateLock();

  bool held() const { return m_fd >= 0; }

 private:
  explicit StateLock(int fd) : m_fd(fd) {}
  int m_fd = -1;
};

}  // namespace secondsight::store
