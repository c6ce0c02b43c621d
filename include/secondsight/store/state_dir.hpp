// The state folder: every file secondsight keeps there is made relative to an open descriptor
// of the folder, never through a symbolic link, with an exact mode whatever the umask.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "secondsight/core/result.hpp"

namespace secondsight::store {

// What secondsight keeps holds findings about people: for its own user only.
inline constexpr mode_t k_private_file_mode = 0600;
inline constexpr mode_t k_private_folder_mode = 0700;

// A file descriptor, closed when it goes.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : m_fd(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();

  int get() const { return m_fd; }
  int release() { return std::exchange(m_fd, -1); }

 private:
  int m_fd = -1;
};

// What opening a state that is not there does: a scan and the daemon make it; a command that
// only reads or amends what scans stored refuses it, so that a mistyped state_dir is an error
// rather than an empty state.
enum class Missing { create, refuse };

class StateDir {
 public:
  // Opens the folder at `path`, creating it and the missing folders above it 0700 (or, with
  // Missing::refuse, failing with an error that names it and kind invalid). The path is
  // the administrator's: symbolic links on it are followed (systemd's StateDirectory= may be
  // one); nothing under it is. A folder that others may write, or that belongs to another user
  // than the one this process runs as (root excepted), is refused; one that others may read or
  // enter is restricted to 0700, with a warning.
  static Result<StateDir> open(const std::filesystem::path& path,
                               Missing missing = Missing::create);

  // The folder `name` in this one, created 0700 when missing. A symbolic link there is
  // refused; the rules of open() hold for it too.
  Result<StateDir> folder(std::string_view name) const;

  // Opens the regular file `name` with `flags` (O_RDONLY, O_RDWR, O_WRONLY, O_CREAT; never
  // through a symbolic link). A file it creates gets exactly `mode`; an existing one with bits
  // beyond `mode` is restricted to it.
  Result<UniqueFd> open_file(std::string_view name, int flags, mode_t mode) const;

  // Restricts the regular file `name` to `mode` when it has bits beyond it, without opening
  // it: closing any descriptor of a file drops every POSIX lock this process holds on it, and
  // SQLite's connections in this process lock the database and its -wal and -shm. With
  // `create`, a missing file is created with exactly `mode`; without, none there is fine. A
  // symbolic link or anything but a regular file is refused.
  Result<void> restrict_file(std::string_view name, mode_t mode, bool create = false) const;

  // What the regular file `name` holds; none when it is missing or no regular file (a
  // symbolic link is not followed).
  Result<std::optional<std::string>> read(std::string_view name) const;

  // Replaces the file `name` with `content` at once (a reader never sees half of it): written
  // to `name`.tmp, created anew (never through a link), synced, given exactly `mode`, then
  // renamed over `name` (a symbolic link there is replaced, not followed). A file that holds
  // `content` already is left alone (its mode set to `mode`). False when it was left alone.
  // Writers of one file take turns (the state lock): they share the temporary name.
  Result<bool> replace(std::string_view name, std::string_view content, mode_t mode) const;

  const std::filesystem::path& path() const { return m_path; }
  // The path without symbolic links, of the folder that was opened: for SQLite, which is told
  // to follow none.
  const std::filesystem::path& real_path() const { return m_real_path; }
  int fd() const { return m_fd.get(); }

 private:
  StateDir(UniqueFd fd, std::filesystem::path path, std::filesystem::path real_path)
      : m_fd(std::move(fd)), m_path(std::move(path)), m_real_path(std::move(real_path)) {}

  UniqueFd m_fd;
  std::filesystem::path m_path;
  std::filesystem::path m_real_path;
};

}  // namespace secondsight::store
