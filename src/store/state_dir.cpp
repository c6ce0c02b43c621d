#include "secondsight/store/state_dir.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <vector>

#include "secondsight/core/logging.hpp"

namespace secondsight::store {

namespace fs = std::filesystem;

namespace {

// O_NONBLOCK: a FIFO planted under a file's name must not make the open wait for a writer.
constexpr int k_open_flags = O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
constexpr std::string_view k_temporary_suffix = ".tmp";

std::string errno_text(int err) {
  return std::strerror(err);
}

std::string mode_text(mode_t mode) {
  return fmt::format("{:04o}", mode & 07777);
}

// "name (uid N)", or "uid N" for a user without a name.
std::string describe_user(uid_t uid) {
  struct passwd entry {};
  struct passwd* found = nullptr;
  std::vector<char> buffer(16384);
  if (::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) == 0 && found)
    return fmt::format("{} (uid {})", found->pw_name, uid);
  return fmt::format("uid {}", uid);
}

// One name in a folder: no path, and within NAME_MAX.
Result<void> check_name(const fs::path& folder, std::string_view name, std::size_t suffix = 0) {
  if (name.empty() || name == "." || name == ".." ||
      name.find_first_of(std::string_view("/\0", 2)) != std::string_view::npos)
    return make_error("cannot use '" + std::string(name) + "' in " + folder.string() +
                      ": not a file name");
  if (name.size() + suffix > NAME_MAX)
    return make_error(
        fmt::format("cannot write {}: the name is {} bytes long, more than the {} "
                    "a file name may have",
                    (folder / name).string(), name.size() + suffix, NAME_MAX));
  return {};
}

// Others who may change what secondsight keeps could plant links or swap its files: refused.
// Others who may read it would see findings about people: restricted, with a warning.
Result<void> check_folder(int fd, const fs::path& path, std::string_view what) {
  struct stat st {};
  if (::fstat(fd, &st) != 0)
    return make_error(
        fmt::format("cannot read the {} {}: {}", what, path.string(), errno_text(errno)));
  if (!S_ISDIR(st.st_mode))
    return make_error(fmt::format("the {} {} is not a folder", what, path.string()));
  const uid_t me = ::geteuid();
  if (st.st_uid != me && st.st_uid != 0)
    return make_error(fmt::format(
        "the {} {} belongs to {}, not to {} that secondsight runs as: its owner could change "
        "what secondsight keeps there; run secondsight as that user, or give the folder to this "
        "one (chown)",
        what, path.string(), describe_user(st.st_uid), describe_user(me)));
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    const char* who = (st.st_mode & S_IWGRP) && (st.st_mode & S_IWOTH) ? "its group and others"
                      : (st.st_mode & S_IWGRP)                         ? "its group"
                                                                       : "others";
    return make_error(fmt::format(
        "the {} {} may be written by {} (mode {}): they could replace what secondsight keeps "
        "there; run `chmod 0700 {}`",
        what, path.string(), who, mode_text(st.st_mode), path.string()));
  }
  if ((st.st_mode & 077) != 0) {
    if (::fchmod(fd, k_private_folder_mode) != 0)
      return make_error(fmt::format(
          "the {} {} may be read by others (mode {}) and cannot be restricted: {}; run `chmod "
          "0700 {}`",
          what, path.string(), mode_text(st.st_mode), errno_text(errno), path.string()));
    logger("store")->warn("the {} {} could be read by others (mode {}); restricted to 0700", what,
                          path.string(), mode_text(st.st_mode));
  }
  return {};
}

// The folder and the missing ones above it, 0700 each whatever the umask; existing folders
// above it are the administrator's.
Result<void> create_missing(const fs::path& path) {
  std::vector<fs::path> missing;
  for (auto dir = path; !dir.empty(); dir = dir.parent_path()) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) == 0 || errno != ENOENT) break;
    missing.push_back(dir);
    if (dir == dir.parent_path()) break;
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (::mkdir(it->c_str(), k_private_folder_mode) != 0) {
      if (errno == EEXIST) continue;  // created meanwhile by someone else
      return make_error("cannot create folder " + it->string() + ": " + errno_text(errno));
    }
    ::chmod(it->c_str(), k_private_folder_mode);  // the umask can only have taken bits away
  }
  return {};
}

Error link_error(const fs::path& path) {
  return make_error(path.string() +
                    " is a symbolic link; secondsight follows none in its state folder: remove it");
}

// Why `name` could not be opened: a symbolic link is named as such.
Error open_error(int dir, std::string_view name, const fs::path& path, int err) {
  struct stat st {};
  if ((err == ELOOP || err == ENOTDIR || err == EMLINK) &&
      ::fstatat(dir, std::string(name).c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
      S_ISLNK(st.st_mode))
    return link_error(path);
  return make_error("cannot open " + path.string() + ": " + errno_text(err));
}

Result<void> write_all(int fd, std::string_view content) {
  while (!content.empty()) {
    const ssize_t written = ::write(fd, content.data(), content.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return make_error(errno_text(errno));
    }
    content.remove_prefix(static_cast<std::size_t>(written));
  }
  return {};
}

// Reads `size` bytes from the start; false when the file ends before or a read fails.
bool read_exactly(int fd, std::string& out, std::size_t size) {
  out.assign(size, '\0');
  std::size_t done = 0;
  while (done < size) {
    const ssize_t got = ::pread(fd, out.data() + done, size - done, static_cast<off_t>(done));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    done += static_cast<std::size_t>(got);
  }
  return true;
}

// True when `name` is a regular file of ours, linked once, holding exactly `content`; its
// mode is then set to `mode`.
bool holds(int dir, std::string_view name, std::string_view content, mode_t mode) {
  const int raw = ::openat(dir, std::string(name).c_str(), O_RDONLY | k_open_flags);
  if (raw < 0) return false;
  UniqueFd fd(raw);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1 ||
      st.st_uid != ::geteuid() || static_cast<std::size_t>(st.st_size) != content.size())
    return false;
  std::string held;
  if (!read_exactly(fd.get(), held, content.size()) || held != content) return false;
  return (st.st_mode & 07777) == mode || ::fchmod(fd.get(), mode) == 0;
}

}  // namespace

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = std::exchange(other.m_fd, -1);
  }
  return *this;
}

UniqueFd::~UniqueFd() {
  if (m_fd >= 0) ::close(m_fd);
}

Result<StateDir> StateDir::open(const fs::path& path, Missing missing) {
  if (path.empty()) return make_error("no state folder given");
  if (missing == Missing::refuse) {
    std::error_code ec;
    if (!fs::exists(path, ec) && !ec)
      return Error{"the state folder " + path.string() +
                       " does not exist: no scan has run with this config, or state_dir names "
                       "the wrong folder",
                   ErrorKind::invalid};
  } else if (auto made = create_missing(path); !made) {
    return made.error();
  }
  const int raw = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (raw < 0)
    return make_error("cannot open the state folder " + path.string() + ": " + errno_text(errno));
  UniqueFd fd(raw);
  if (auto checked = check_folder(fd.get(), path, "state folder"); !checked) return checked.error();
  // The folder's path without links, checked to lead to the folder that was opened.
  std::error_code ec;
  auto real = fs::canonical(path, ec);
  struct stat opened {
  }, found{};
  if (ec || ::fstat(fd.get(), &opened) != 0 || ::stat(real.c_str(), &found) != 0 ||
      opened.st_dev != found.st_dev || opened.st_ino != found.st_ino)
    return make_error("the state folder " + path.string() + " changed while it was opened");
  return StateDir(std::move(fd), path, std::move(real));
}

Result<StateDir> StateDir::folder(std::string_view name) const {
  const auto path = m_path / name;
  if (auto valid = check_name(m_path, name); !valid) return valid.error();
  const std::string entry(name);
  const bool created = ::mkdirat(fd(), entry.c_str(), k_private_folder_mode) == 0;
  if (!created && errno != EEXIST)
    return make_error("cannot create folder " + path.string() + ": " + errno_text(errno));
  const int raw = ::openat(fd(), entry.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (raw < 0) return open_error(fd(), name, path, errno);
  UniqueFd opened(raw);
  if (created) ::fchmod(opened.get(), k_private_folder_mode);  // whatever the umask
  if (auto checked = check_folder(opened.get(), path, "folder"); !checked) return checked.error();
  return StateDir(std::move(opened), path, m_real_path / name);
}

Result<UniqueFd> StateDir::open_file(std::string_view name, int flags, mode_t mode) const {
  const auto path = m_path / name;
  if (auto valid = check_name(m_path, name); !valid) return valid.error();
  const std::string entry(name);
  const int base = (flags & ~(O_CREAT | O_EXCL)) | k_open_flags;
  int raw = -1;
  bool created = false;
  if ((flags & O_CREAT) != 0) {
    // Created here, or found: O_EXCL tells which, so only a new file gets its mode set.
    raw = ::openat(fd(), entry.c_str(), base | O_CREAT | O_EXCL, mode);
    created = raw >= 0;
    if (raw < 0 && errno != EEXIST)
      return make_error("cannot create " + path.string() + ": " + errno_text(errno));
  }
  if (raw < 0) raw = ::openat(fd(), entry.c_str(), base);
  if (raw < 0) return open_error(fd(), name, path, errno);
  UniqueFd file(raw);
  struct stat st {};
  if (::fstat(file.get(), &st) != 0)
    return make_error("cannot read " + path.string() + ": " + errno_text(errno));
  if (!S_ISREG(st.st_mode)) return make_error(path.string() + " is not a regular file");
  if ((created || (st.st_mode & 07777 & ~mode) != 0) && ::fchmod(file.get(), mode) != 0)
    return make_error("cannot restrict the permissions of " + path.string() + " to " +
                      mode_text(mode) + ": " + errno_text(errno));
  ::fcntl(file.get(), F_SETFL, ::fcntl(file.get(), F_GETFL) & ~O_NONBLOCK);
  return file;
}

Result<void> StateDir::restrict_file(std::string_view name, mode_t mode, bool create) const {
  const auto path = m_path / name;
  if (auto valid = check_name(m_path, name); !valid) return valid.error();
  const std::string entry(name);
  struct stat st {};
  if (::fstatat(fd(), entry.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno != ENOENT)
      return make_error("cannot read " + path.string() + ": " + errno_text(errno));
    if (!create) return {};
    // A new file: no lock of this process can be on it yet.
    auto file = open_file(name, O_WRONLY | O_CREAT, mode);
    if (!file) return file.error();
    return {};
  }
  if (S_ISLNK(st.st_mode)) return open_error(fd(), name, path, ELOOP);
  if (!S_ISREG(st.st_mode)) return make_error(path.string() + " is not a regular file");
  // fchmodat follows a link, but the entry was no link a moment ago, in a folder only this
  // user may change.
  if ((st.st_mode & 07777 & ~mode) != 0 && ::fchmodat(fd(), entry.c_str(), mode, 0) != 0)
    return make_error("cannot restrict the permissions of " + path.string() + " to " +
                      mode_text(mode) + ": " + errno_text(errno));
  return {};
}

Result<std::optional<std::string>> StateDir::read(std::string_view name) const {
  const auto path = m_path / name;
  if (auto valid = check_name(m_path, name); !valid) return valid.error();
  const int raw = ::openat(fd(), std::string(name).c_str(), O_RDONLY | k_open_flags);
  if (raw < 0) {
    if (errno == ENOENT || errno == ELOOP) return std::optional<std::string>();
    return make_error("cannot read " + path.string() + ": " + errno_text(errno));
  }
  UniqueFd file(raw);
  struct stat st {};
  if (::fstat(file.get(), &st) != 0)
    return make_error("cannot read " + path.string() + ": " + errno_text(errno));
  if (!S_ISREG(st.st_mode)) return std::optional<std::string>();
  std::string content;
  char buffer[65536];
  for (;;) {
    const ssize_t got = ::read(file.get(), buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return make_error("cannot read " + path.string() + ": " + errno_text(errno));
    if (got == 0) break;
    content.append(buffer, static_cast<std::size_t>(got));
  }
  return std::optional<std::string>(std::move(content));
}

Result<bool> StateDir::replace(std::string_view name, std::string_view content, mode_t mode) const {
  const auto path = m_path / name;
  if (auto valid = check_name(m_path, name, k_temporary_suffix.size()); !valid)
    return valid.error();
  if (holds(fd(), name, content, mode)) return false;

  const std::string target(name);
  const std::string temporary = target + std::string(k_temporary_suffix);
  const auto fail = [&](const std::string& what, int err) {
    ::unlinkat(fd(), temporary.c_str(), 0);
    return make_error("cannot write " + path.string() + ": " + what + ": " + errno_text(err));
  };
  // Anything already at the temporary name (left by a crash, or planted) is removed, not used.
  int raw = -1;
  for (int attempt = 0; attempt < 3 && raw < 0; ++attempt) {
    raw = ::openat(fd(), temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | k_open_flags, mode);
    if (raw >= 0 || errno != EEXIST) break;
    if (::unlinkat(fd(), temporary.c_str(), 0) != 0 && errno != ENOENT)
      return make_error("cannot write " + path.string() + ": cannot remove " + temporary + ": " +
                        errno_text(errno));
  }
  if (raw < 0)
    return make_error("cannot write " + path.string() + ": cannot create " + temporary + ": " +
                      errno_text(errno));
  UniqueFd file(raw);
  if (::fchmod(file.get(), mode) != 0) return fail("cannot set its permissions", errno);
  if (auto written = write_all(file.get(), content); !written) {
    ::unlinkat(fd(), temporary.c_str(), 0);
    return make_error("cannot write " + path.string() + ": " + written.error().message);
  }
  // Synced before the rename, so a crash leaves the old file or the new one, not an empty one.
  if (::fsync(file.get()) != 0) return fail("cannot sync it", errno);
  if (::close(file.release()) != 0) return fail("cannot close it", errno);
  if (::renameat(fd(), temporary.c_str(), fd(), target.c_str()) != 0)
    return fail("cannot rename " + temporary + " over it", errno);
  return true;
}

}  // namespace secondsight::store
