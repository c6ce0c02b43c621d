// A git command run as a child process (no shell), its standard output read as a stream of
// NUL-terminated tokens, so a history of any length is never held whole in memory.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "secondsight/core/result.hpp"

namespace secondsight::knowledge {

class GitProcess {
 public:
  // Starts `git -C repository ARGUMENTS...`. Git's variables that would point it at another
  // repository (GIT_DIR, GIT_WORK_TREE, ...) are removed from its environment.
  static Result<GitProcess> start(const std::filesystem::path& repository,
                                  const std::vector<std::string>& arguments);

  GitProcess(GitProcess&& other) noexcept;
  GitProcess& operator=(GitProcess&& other) = delete;
  GitProcess(const GitProcess&) = delete;
  GitProcess& operator=(const GitProcess&) = delete;
  ~GitProcess();

  // The next token of the output (up to a NUL, or the end of output); valid until the next
  // call. False at the end of the output, or when reading failed (finish() tells which).
  bool next(std::string_view& token);

  // Waits for git to exit. An error when git failed (its standard error is the message) or
  // the output could not be read: whatever was read before must then be thrown away.
  Result<void> finish();

 private:
  GitProcess(pid_t pid, int out_fd, int err_fd, std::string what);
  bool fill();
  void stop();

  pid_t m_pid = -1;
  int m_out = -1;
  int m_err = -1;
  std::string m_what;  // "git log in /path", for messages
  std::vector<char> m_buffer;
  std::size_t m_begin = 0;  // the unread bytes are [m_begin, m_end)
  std::size_t m_end = 0;
  bool m_eof = false;
  int m_read_error = 0;
};

// Runs git to the end and returns its whole standard output (for small outputs: a commit id).
Result<std::string> run_git(const std::filesystem::path& repository,
                            const std::vector<std::string>& arguments);

}  // namespace secondsight::knowledge
