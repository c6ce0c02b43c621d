// Real git repositories for the tests, built in a temporary folder with `git fast-import` (any
// file name, exact authors and dates) or with git's own commands.
#pragma once

#include <gtest/gtest.h>
#include <stdio.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace secondsight::knowledge::testing {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "secondsight-knowledge-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
    m_path = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(m_path, ec);
  }
  const fs::path& path() const { return m_path; }
  fs::path operator/(const std::string& name) const { return m_path / name; }

 private:
  fs::path m_path;
};

// A word for the shell, quoted.
inline std::string shell_word(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs a shell command (the tests' own; secondsight never uses a shell); its exit status.
inline int shell(const std::string& command) {
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// A shell command's standard output, without the last newline.
inline std::string output_of(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  ::pclose(pipe);
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

struct Person {
  std::string name;
  std::string email;
};

inline const Person k_alice{"Alice Adams", "alice@example.com"};
inline const Person k_bob{"Bob Brown", "bob@example.com"};
inline const Person k_carol{"Carol Clark", "carol@example.com"};

// One change of a commit in a fast-import stream.
struct Change {
  enum Kind { modify, remove, rename, link } kind;
  std::string path;
  std::string content;  // modify: the file's new content; rename: the new path; link: target
};
inline Change write(std::string path, std::string content) {
  return {Change::modify, std::move(path), std::move(content)};
}
inline Change remove(std::string path) {
  return {Change::remove, std::move(path), {}};
}
inline Change move(std::string from, std::string to) {
  return {Change::rename, std::move(from), std::move(to)};
}
inline Change symlink(std::string path, std::string target) {
  return {Change::link, std::move(path), std::move(target)};
}

// A fast-import stream, commit by commit. Commits are a minute apart from 2023-11-14T22:13:20Z
// unless given a time; each returns its mark.
class Script {
 public:
  struct Options {
    std::string branch = "main";
    std::optional<int> from;   // the first parent (default: the branch's tip)
    std::optional<int> merge;  // a second parent
    std::optional<long> time;  // seconds since the epoch, author and committer

    Options& on(std::string name, int parent) {
      branch = std::move(name);
      from = parent;
      return *this;
    }
    Options& merging(int parent) {
      merge = parent;
      return *this;
    }
    Options& at(long seconds) {
      time = seconds;
      return *this;
    }
  };

  int commit(const Person& who, const std::vector<Change>& changes, Options options) {
    int mark = ++m_marks;
    long time = options.time ? *options.time : 1700000000 + 60L * mark;
    std::string ident = who.name + " <" + who.email + "> " + std::to_string(time) + " +0000";
    m_text << "commit refs/heads/" << options.branch << "\nmark :" << mark << "\nauthor " << ident
           << "\ncommitter " << ident << "\n";
    data("commit " + std::to_string(mark));
    if (options.from) m_text << "from :" << *options.from << "\n";
    if (options.merge) m_text << "merge :" << *options.merge << "\n";
    for (const auto& change : changes) {
      switch (change.kind) {
        case Change::modify:
          m_text << "M 100644 inline " << path(change.path) << "\n";
          data(change.content);
          break;
        case Change::link:
          m_text << "M 120000 inline " << path(change.path) << "\n";
          data(change.content);
          break;
        case Change::remove: m_text << "D " << path(change.path) << "\n"; break;
        case Change::rename:
          m_text << "R " << path(change.path) << " " << path(change.content) << "\n";
          break;
      }
    }
    m_text << "\n";
    return mark;
  }
  int commit(const Person& who, const std::vector<Change>& changes) {
    return commit(who, changes, Options{});
  }

  std::string text() const { return m_text.str(); }

 private:
  // fast-import's C-style quoting, so any file name goes through.
  static std::string path(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += c;
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\t') {
        out += "\\t";
      } else {
        out += c;
      }
    }
    return out + "\"";
  }
  void data(const std::string& bytes) {
    m_text << "data " << bytes.size() << "\n" << bytes << "\n";
  }

  std::ostringstream m_text;
  int m_marks = 0;
};

// Commit options: on_branch("feature", base), merging(tip), at_time(1000), and chained.
inline Script::Options on_branch(std::string name, int parent) {
  return Script::Options().on(std::move(name), parent);
}
inline Script::Options merging(int parent) {
  return Script::Options().merging(parent);
}
inline Script::Options at_time(long seconds) {
  return Script::Options().at(seconds);
}

enum class Layout { bare, work_tree };

// A repository at `dir` made from `script`, HEAD on refs/heads/main.
inline fs::path make_repository(const fs::path& dir, const Script& script,
                                Layout layout = Layout::bare) {
  fs::path stream = dir.parent_path() / (dir.filename().string() + ".fi");
  std::ofstream(stream, std::ios::binary) << script.text();
  std::string git = "git -C " + shell_word(dir.string()) + " ";
  std::string init = layout == Layout::bare ? "git init -q --bare " : "git init -q ";
  EXPECT_EQ(shell(init + shell_word(dir.string())), 0);
  EXPECT_EQ(shell(git + "fast-import --quiet < " + shell_word(stream.string())), 0);
  EXPECT_EQ(shell(git + "symbolic-ref HEAD refs/heads/main"), 0);
  if (layout == Layout::work_tree) {
    EXPECT_EQ(shell(git + "reset -q --hard"), 0);
  }
  fs::remove(stream);
  return dir;
}

inline std::string rev_parse(const fs::path& repository, const std::string& rev) {
  return output_of("git -C " + shell_word(repository.string()) + " rev-parse " + shell_word(rev));
}

}  // namespace secondsight::knowledge::testing
