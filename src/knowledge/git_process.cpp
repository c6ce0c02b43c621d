#include "git_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

extern char** environ;  // NOLINT: POSIX

namespace secondsight::knowledge {
namespace {

constexpr std::size_t k_initial_buffer = std::size_t{1} << 20;

// Variables that would make git read another repository, or another history, than the one
// asked for.
constexpr std::array<std::string_view, 11> k_redirecting_variables = {
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_NO_REPLACE_OBJECTS",
    "GIT_REPLACE_REF_BASE",
    "GIT_GRAFT_FILE",
    "GIT_SHALLOW_FILE"};

std::string errno_text(int error) {
  return std::generic_category().message(error);
}

std::vector<std::string> child_environment() {
  std::vector<std::string> out;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view item(*entry);
    std::string_view name = item.substr(0, item.find('='));
    bool drop = name == "GIT_TERMINAL_PROMPT" || name == "GIT_OPTIONAL_LOCKS";
    for (auto variable : k_redirecting_variables) drop = drop || name == variable;
    if (!drop) out.emplace_back(item);
  }
  out.emplace_back("GIT_TERMINAL_PROMPT=0");  // never wait for a password on a terminal
  out.emplace_back("GIT_OPTIONAL_LOCKS=0");   // a reader takes no locks in a live repository
  return out;
}

// Git's standard error as one line: trailing space trimmed, lines joined with "; ".
std::string one_line(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  std::string out;
  for (char c : text) {
    if (c == '\n') {
      out += "; ";
    } else if (c != '\r') {
      out += c;
    }
  }
  return out;
}

std::string read_whole(int fd) {
  std::string out;
  if (::lseek(fd, 0, SEEK_SET) < 0) return out;
  std::array<char, 4096> chunk{};
  for (;;) {
    ssize_t n = ::read(fd, chunk.data(), chunk.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(chunk.data(), static_cast<std::size_t>(n));
  }
  return out;
}

class SpawnActions {
 public:
  SpawnActions() { m_ok = ::posix_spawn_file_actions_init(&m_actions) == 0; }
  SpawnActions(const SpawnActions&) = delete;
  SpawnActions& operator=(const SpawnActions&) = delete;
  ~SpawnActions() {
    if (m_ok) ::posix_spawn_file_actions_destroy(&m_actions);
  }
  bool ok() const { return m_ok; }
  posix_spawn_file_actions_t* get() { return &m_actions; }

 private:
  posix_spawn_file_actions_t m_actions{};
  bool m_ok = false;
};

}  // namespace

Result<GitProcess> GitProcess::start(const std::filesystem::path& repository,
                                     const std::vector<std::string>& arguments) {
  std::string what = "git";
  if (!arguments.empty()) what += " " + arguments.front();
  what += " in " + repository.string();

  std::array<int, 2> pipe_fds{-1, -1};
  if (::pipe2(pipe_fds.data(), O_CLOEXEC) != 0)
    return make_error("cannot run " + what + ": pipe: " + errno_text(errno));
  int err_fd = ::memfd_create("git-stderr", MFD_CLOEXEC);
  if (err_fd < 0) {
    int error = errno;
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    return make_error("cannot run " + what + ": memfd_create: " + errno_text(error));
  }

  std::vector<std::string> argv_text = {"git", "-C", repository.string()};
  argv_text.insert(argv_text.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (auto& item : argv_text) argv.push_back(item.data());
  argv.push_back(nullptr);
  auto env_text = child_environment();
  std::vector<char*> envp;
  for (auto& item : env_text) envp.push_back(item.data());
  envp.push_back(nullptr);

  SpawnActions actions;
  int spawn_error = actions.ok() ? 0 : ENOMEM;
  if (spawn_error == 0)
    spawn_error = ::posix_spawn_file_actions_addopen(actions.get(), 0, "/dev/null", O_RDONLY, 0);
  if (spawn_error == 0)
    spawn_error = ::posix_spawn_file_actions_adddup2(actions.get(), pipe_fds[1], 1);
  if (spawn_error == 0) spawn_error = ::posix_spawn_file_actions_adddup2(actions.get(), err_fd, 2);
  pid_t pid = -1;
  if (spawn_error == 0)
    spawn_error = ::posix_spawnp(&pid, "git", actions.get(), nullptr, argv.data(), envp.data());
  ::close(pipe_fds[1]);
  // A larger pipe lets git write on while the reader is busy: fewer switches between the two.
  ::fcntl(pipe_fds[0], F_SETPIPE_SZ, static_cast<int>(k_initial_buffer));
  if (spawn_error != 0) {
    ::close(pipe_fds[0]);
    ::close(err_fd);
    return make_error("cannot run " + what + ": " + errno_text(spawn_error));
  }
  return GitProcess(pid, pipe_fds[0], err_fd, std::move(what));
}

GitProcess::GitProcess(pid_t pid, int out_fd, int err_fd, std::string what)
    : m_pid(pid), m_out(out_fd), m_err(err_fd), m_what(std::move(what)) {}

GitProcess::GitProcess(GitProcess&& other) noexcept
    : m_pid(std::exchange(other.m_pid, -1)),
      m_out(std::exchange(other.m_out, -1)),
      m_err(std::exchange(other.m_err, -1)),
      m_what(std::move(other.m_what)),
      m_buffer(std::move(other.m_buffer)),
      m_begin(other.m_begin),
      m_end(other.m_end),
      m_eof(other.m_eof),
      m_read_error(other.m_read_error) {}

GitProcess::~GitProcess() {
  stop();
}

// Ends a git that is still running (the reader gave up part-way) and closes everything.
void GitProcess::stop() {
  if (m_out >= 0) ::close(m_out);
  m_out = -1;
  if (m_pid > 0) {
    ::kill(m_pid, SIGTERM);
    int status = 0;
    while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
    }
    m_pid = -1;
  }
  if (m_err >= 0) ::close(m_err);
  m_err = -1;
}

bool GitProcess::fill() {
  if (m_begin > 0) {
    std::copy(m_buffer.begin() + static_cast<std::ptrdiff_t>(m_begin),
              m_buffer.begin() + static_cast<std::ptrdiff_t>(m_end), m_buffer.begin());
    m_end -= m_begin;
    m_begin = 0;
  }
  if (m_buffer.empty()) m_buffer.resize(k_initial_buffer);
  if (m_end == m_buffer.size()) m_buffer.resize(m_buffer.size() * 2);  // one very long token
  for (;;) {
    ssize_t n = ::read(m_out, m_buffer.data() + m_end, m_buffer.size() - m_end);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      m_read_error = errno;
      m_eof = true;
      return false;
    }
    if (n == 0) {
      m_eof = true;
      return false;
    }
    m_end += static_cast<std::size_t>(n);
    return true;
  }
}

bool GitProcess::next(std::string_view& token) {
  std::size_t searched = m_begin;
  for (;;) {
    const char* start = m_buffer.data() + searched;
    const void* nul = searched < m_end ? std::memchr(start, '\0', m_end - searched) : nullptr;
    if (nul != nullptr) {
      auto at = static_cast<std::size_t>(static_cast<const char*>(nul) - m_buffer.data());
      token = std::string_view(m_buffer.data() + m_begin, at - m_begin);
      m_begin = at + 1;
      return true;
    }
    std::size_t unread = m_end - m_begin;  // searched already: fill() moves them to the front
    if (m_eof || !fill()) {
      if (m_read_error != 0 || m_begin == m_end) return false;
      token = std::string_view(m_buffer.data() + m_begin, m_end - m_begin);  // no NUL at the end
      m_begin = m_end;
      return true;
    }
    searched = unread;
  }
}

Result<void> GitProcess::finish() {
  if (m_out >= 0) ::close(m_out);
  m_out = -1;
  int status = 0;
  while (m_pid > 0 && ::waitpid(m_pid, &status, 0) < 0) {
    if (errno != EINTR) {
      int error = errno;
      m_pid = -1;
      return make_error(m_what + ": waitpid: " + errno_text(error));
    }
  }
  m_pid = -1;
  std::string stderr_text = one_line(read_whole(m_err));
  ::close(m_err);
  m_err = -1;
  if (WIFSIGNALED(status))
    return make_error(m_what + " was killed by signal " + std::to_string(WTERMSIG(status)) +
                      (stderr_text.empty() ? "" : ": " + stderr_text));
  if (WEXITSTATUS(status) != 0) {
    if (stderr_text.empty())
      stderr_text = m_what + " failed with exit status " + std::to_string(WEXITSTATUS(status));
    return make_error(stderr_text);
  }
  if (m_read_error != 0)
    return make_error("cannot read the output of " + m_what + ": " + errno_text(m_read_error));
  return {};
}

Result<std::string> run_git(const std::filesystem::path& repository,
                            const std::vector<std::string>& arguments) {
  auto git = GitProcess::start(repository, arguments);
  if (!git) return git.error();
  std::string out;
  std::string_view token;
  bool first = true;
  while (git->next(token)) {
    if (!first) out += '\0';
    out.append(token);
    first = false;
  }
  auto finished = git->finish();
  if (!finished) return finished.error();
  return out;
}

}  // namespace secondsight::knowledge
