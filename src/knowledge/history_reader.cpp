// The history of one commit, read from `git log` as it streams by (docs/knowledge.md, "DOA counts";
// docs/knowledge.md says why git and not libgit2, and each choice taken from Avelino et al.).
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "git_process.hpp"
#include "secondsight/knowledge/history.hpp"
#include "spool.hpp"

namespace secondsight::knowledge {
namespace {

namespace fs = std::filesystem;

// Marks the start of a commit in the log; git writes the rest of the header NUL-separated.
constexpr char k_commit_mark = '\x01';
constexpr std::string_view k_log_format = "--format=%x01%H%x00%aN%x00%aE";

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const {
    return std::hash<std::string_view>{}(text);
  }
};
template <class T>
using StringMap = std::unordered_map<std::string, T, StringHash, std::equal_to<>>;

// One file across its paths: who added it, and each identity's changes since.
struct Lineage {
  int creator = 0;
  std::vector<FileChanges> changes;
};

// What the history says a path holds now. A deleted path keeps its lineage (adding it again
// continues the file); so does a path renamed away, for changes made to it on another branch
// before the branches were merged.
enum class PathState : std::uint8_t { live, deleted, moved };
struct PathEntry {
  int lineage = 0;
  PathState state = PathState::live;
};

class HistoryBuilder {
 public:
  void begin_commit(std::string_view name, std::string_view email) {
    m_key.assign(name);
    m_key += '\0';
    m_key.append(email);
    auto found = m_identity_index.find(std::string_view(m_key));
    if (found == m_identity_index.end()) {
      found = m_identity_index.emplace(m_key, static_cast<int>(m_identities.size())).first;
      m_identities.push_back(GitIdentity{std::string(name), std::string(email)});
    }
    m_author = found->second;
  }

  void added(std::string_view path) {
    auto found = m_paths.find(path);
    if (found == m_paths.end()) {
      m_paths.emplace(std::string(path), PathEntry{new_lineage(), PathState::live});
    } else if (found->second.state == PathState::moved) {
      found->second = PathEntry{new_lineage(), PathState::live};  // a new file at a freed path
    } else {
      // Added again after a delete (or on two branches): the same file, and a change.
      found->second.state = PathState::live;
      change(found->second.lineage);
    }
  }

  void modified(std::string_view path) {
    auto found = m_paths.find(path);
    if (found == m_paths.end()) return added(path);  // its addition was never seen: a merge made it
    if (found->second.state == PathState::deleted) found->second.state = PathState::live;
    change(found->second.lineage);
  }

  void deleted(std::string_view path) {
    auto found = m_paths.find(path);
    if (found != m_paths.end() && found->second.state == PathState::live)
      found->second.state = PathState::deleted;
  }

  void renamed(std::string_view from, std::string_view to) {
    auto source = m_paths.find(from);
    if (source == m_paths.end()) return added(to);
    int lineage = source->second.lineage;
    source->second.state = PathState::moved;
    // A rename is a change by whoever made it (as in Avelino et al.'s tool).
    m_paths.insert_or_assign(std::string(to), PathEntry{lineage, PathState::live});
    change(lineage);
  }

  // The files of the analysed tree, each with its lineage's counts; nullopt for a path the
  // history never added (a merge made it): such a file has no history to measure.
  std::optional<FileHistory> file(std::string_view path) const {
    auto found = m_paths.find(path);
    if (found == m_paths.end()) return std::nullopt;
    const Lineage& lineage = m_lineages[static_cast<std::size_t>(found->second.lineage)];
    FileHistory out{std::string(path), lineage.creator, lineage.changes};
    std::sort(out.changes.begin(), out.changes.end(),
              [](const FileChanges& a, const FileChanges& b) { return a.identity < b.identity; });
    return out;
  }

  std::vector<GitIdentity> take_identities() { return std::move(m_identities); }

 private:
  int new_lineage() {
    m_lineages.push_back(Lineage{m_author, {}});
    return static_cast<int>(m_lineages.size() - 1);
  }

  void change(int lineage) {
    auto& changes = m_lineages[static_cast<std::size_t>(lineage)].changes;
    for (auto& entry : changes) {
      if (entry.identity == m_author) {
        ++entry.changes;
        return;
      }
    }
    changes.push_back(FileChanges{m_author, 1});
  }

  std::vector<GitIdentity> m_identities;
  StringMap<int> m_identity_index;
  std::string m_key;
  int m_author = 0;
  StringMap<PathEntry> m_paths;
  std::vector<Lineage> m_lineages;
};

Error git_error(const fs::path& repository, const Error& error) {
  return make_error(repository.string() + ": " + error.message);
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.pop_back();
  return text;
}

bool is_commit_id(std::string_view text) {
  return (text.size() == 40 || text.size() == 64) &&
         std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// A commit id printed by git; `what` names the revision in messages.
Result<std::string> commit_id(const fs::path& repository, std::vector<std::string> arguments,
                              const std::string& what, const std::string& empty_message) {
  auto out = run_git(repository, arguments);
  if (!out)
    return make_error(repository.string() + ": cannot resolve " + what + ": " +
                      out.error().message);
  std::string id = trimmed(std::move(*out));
  if (id.empty()) return make_error(repository.string() + ": " + empty_message);
  if (!is_commit_id(id))
    return make_error(repository.string() + ": unexpected output from git " + arguments.front() +
                      ": '" + id + "'");
  return id;
}

// The commit a Revision names (--before is on the first-parent line).
Result<std::string> resolve(const fs::path& repository, const Revision& revision) {
  std::string start = revision.rev.value_or("HEAD");
  if (!revision.before) {
    return commit_id(repository, {"rev-parse", "--verify", "--end-of-options", start + "^{commit}"},
                     "'" + start + "'", "'" + start + "' names no commit");
  }
  // --until keeps commits committed at or before the instant: one second less is "before".
  // "@SECONDS +0000" is git's own date format, read as such even for small numbers.
  auto until = revision.before->time_since_epoch().count() - 1;
  return commit_id(repository,
                   {"rev-list", "--first-parent", "--max-count=1",
                    "--until=@" + std::to_string(until) + " +0000", "--end-of-options", start},
                   "'" + start + "'",
                   "no commit on the first-parent line of " + start + " before " +
                       format_rfc3339(*revision.before));
}

// One commit of the spooled log, its tokens each followed by a NUL: "\x01ID", author name,
// author email, then each change: status, path (and the new path of a rename or copy).
void apply_commit(std::string_view record, HistoryBuilder& builder) {
  auto next = [&record] {
    auto nul = record.find('\0');
    std::string_view token = record.substr(0, nul);
    record.remove_prefix(nul == std::string_view::npos ? record.size() : nul + 1);
    return token;
  };
  next();  // the commit id
  std::string_view name = next();
  builder.begin_commit(name, next());
  while (!record.empty()) {
    char status = next().front();
    std::string_view path = next();
    switch (status) {
      case 'A': builder.added(path); break;
      case 'D': builder.deleted(path); break;
      case 'R': builder.renamed(path, next()); break;
      case 'C': builder.added(next()); break;  // a copy is a new file
      default: builder.modified(path); break;  // M, T
    }
  }
}

Result<void> read_log(const fs::path& repository, const std::string& commit,
                      HistoryBuilder& builder) {
  // Avelino et al.'s extraction: renames found as git finds them by default (50% similar),
  // with no limit on the candidates; author name and email through the mailmap.
  // git writes newest first: oldest first (--reverse) costs it a third more, as it then reads
  // every pack's delta chains against their grain. So the log goes to a spool as it streams
  // by and is read back from there one commit at a time, oldest first.
  auto spool = Spool::create();
  if (!spool) return spool.error();
  auto git = GitProcess::start(
      repository,
      {"-c", "core.quotepath=off", "-c", "diff.renameLimit=999999", "log", "--topo-order",
       "--no-merges", "--root", "-M", "--name-status", "-z", "--no-color", "--no-ext-diff",
       "--no-show-signature", std::string(k_log_format), commit, "--"});
  if (!git) return git.error();
  std::vector<std::uint64_t> commits;  // where each commit starts in the spool
  std::string_view token;
  // Output that ends too soon is most often git failing part-way: its message comes first.
  auto malformed = [&](std::string_view what) -> Error {
    if (auto finished = git->finish(); !finished) return finished.error();
    return make_error("unexpected output from git log (" + std::string(what) + ")");
  };
  auto keep = [&](std::string_view kept) { return spool->append(kept); };
  while (git->next(token)) {
    if (!token.empty() && token.front() == k_commit_mark) {
      commits.push_back(spool->size());
      if (auto kept = keep(token); !kept) return kept.error();
      for (const char* field : {"a commit without its author", "a commit without its email"}) {
        if (!git->next(token)) return malformed(field);
        if (auto kept = keep(token); !kept) return kept.error();
      }
      continue;
    }
    if (!token.empty() && token.front() == '\n') token.remove_prefix(1);
    if (token.empty()) continue;
    if (commits.empty()) return malformed("a file before any commit");
    char status = token.front();
    if (std::string_view("AMDTRC").find(status) == std::string_view::npos)
      return malformed("status '" + std::string(token) + "'");
    int paths = status == 'R' || status == 'C' ? 2 : 1;
    if (auto kept = keep(token.substr(0, 1)); !kept) return kept.error();
    for (int i = 0; i < paths; ++i) {
      if (!git->next(token)) return malformed("a change without its path");
      if (auto kept = keep(token); !kept) return kept.error();
    }
  }
  if (auto finished = git->finish(); !finished) return finished.error();
  if (auto flushed = spool->flush(); !flushed) return flushed.error();
  std::uint64_t end = spool->size();
  for (auto start = commits.rbegin(); start != commits.rend(); ++start) {
    auto record = spool->read(*start, end);
    if (!record) return record.error();
    apply_commit(*record, builder);
    end = *start;
  }
  return {};
}

Result<std::vector<FileHistory>> read_tree(const fs::path& repository, const std::string& commit,
                                           const HistoryBuilder& builder) {
  auto git = GitProcess::start(repository, {"ls-tree", "-r", "-z", "--full-tree", commit});
  if (!git) return git.error();
  std::vector<FileHistory> files;
  std::string_view entry;
  while (git->next(entry)) {
    // "MODE TYPE OBJECT\tPATH". Linguist skips symbolic links and submodules, and so do we.
    auto tab = entry.find('\t');
    if (tab == std::string_view::npos) return make_error("unexpected output from git ls-tree");
    std::string_view meta = entry.substr(0, tab);
    if (meta.substr(0, 7) == "120000 " || meta.find(" blob ") == std::string_view::npos) continue;
    if (auto file = builder.file(entry.substr(tab + 1))) files.push_back(std::move(*file));
  }
  auto finished = git->finish();
  if (!finished) return finished.error();
  std::sort(files.begin(), files.end(),
            [](const FileHistory& a, const FileHistory& b) { return a.path < b.path; });
  return files;
}

std::string quoted_path(const fs::path& path) {
  std::string out = "'";
  for (const char c : path.string()) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The number of commits reachable from `commit`, as git sees them with replace refs honoured
// or not.
Result<long long> commit_count(const fs::path& repository, const std::string& commit,
                               bool replaced) {
  std::vector<std::string> arguments;
  if (!replaced) arguments.emplace_back("--no-replace-objects");
  for (const char* word : {"rev-list", "--count", "--end-of-options"}) arguments.emplace_back(word);
  arguments.push_back(commit);
  auto out = run_git(repository, arguments);
  if (!out) return out.error();
  const std::string text = trimmed(std::move(*out));
  long long count = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), count);
  if (ec != std::errc() || end != text.data() + text.size())
    return make_error("unexpected output from git rev-list --count: '" + text + "'");
  return count;
}

// Authorship read from a cut history is wrong, not partial: whoever made the first kept
// commit would hold every file. A shallow clone, a partial clone, grafts, and replace refs that
// hide commits are refused with what to do about them; replace refs that add history (an old
// repository grafted under a new one) are read as git shows them.
Result<void> check_whole(const fs::path& repository, const std::string& commit) {
  auto shallow = run_git(repository, {"rev-parse", "--is-shallow-repository"});
  if (!shallow) return shallow.error();
  if (trimmed(std::move(*shallow)) == "true")
    return make_error(
        "a shallow clone: its history is cut, so who wrote what cannot be known; fetch the "
        "whole history with: git -C " +
        quoted_path(repository) + " fetch --unshallow");
  // A partial clone (--filter) keeps every commit, but git fetches the file contents it left on
  // the server whenever it needs them (rename detection does), from a service that may not
  // reach the server at all.
  // Git marks one by extensions.partialClone or a remote's promisor flag; with neither set,
  // `git config --get-regexp` exits 1.
  auto promisors = run_git(repository, {"config", "--get-regexp",
                                        "^(extensions\\.partialclone|remote\\..*\\.promisor)$"});
  bool partial = false;
  if (promisors) {
    std::string_view lines = *promisors;
    while (!lines.empty()) {
      const std::string_view line = lines.substr(0, lines.find('\n'));
      lines.remove_prefix(std::min(lines.size(), line.size() + 1));
      const std::string_view value = line.substr(std::min(line.size(), line.find(' ') + 1));
      if (line.find(' ') != std::string_view::npos && value != "false" && value != "no" &&
          value != "off" && value != "0")
        partial = true;
    }
  }
  if (partial)
    return make_error(
        "a partial clone (--filter): some of its objects are on the server only, and reading "
        "the history would fetch them from there; clone it again without --filter");
  auto grafts = run_git(repository, {"rev-parse", "--git-path", "info/grafts"});
  if (!grafts) return grafts.error();
  fs::path graft_file = trimmed(std::move(*grafts));
  if (graft_file.is_relative()) graft_file = repository / graft_file;
  std::error_code ec;
  if (fs::file_size(graft_file, ec) > 0 && !ec)
    return make_error(graft_file.string() +
                      " rewrites parents of commits, so the history read is not the "
                      "repository's; remove it, or turn it into replace refs with: git -C " +
                      quoted_path(repository) + " replace --convert-graft-file");
  auto replace_refs =
      run_git(repository, {"for-each-ref", "--count=1", "--format=%(refname)", "refs/replace/"});
  if (!replace_refs) return replace_refs.error();
  if (trimmed(std::move(*replace_refs)).empty()) return {};
  auto shown = commit_count(repository, commit, true);
  if (!shown) return shown.error();
  auto whole = commit_count(repository, commit, false);
  if (!whole) return whole.error();
  if (*shown < *whole)
    return make_error("replace refs (refs/replace/) hide " + std::to_string(*whole - *shown) +
                      " of the " + std::to_string(*whole) +
                      " commits of its history; remove those that cut it (git -C " +
                      quoted_path(repository) + " replace -l shows them)");
  return {};
}

}  // namespace

Result<std::string> head_of(const fs::path& repository) {
  return commit_id(repository, {"rev-parse", "--verify", "--end-of-options", "HEAD^{commit}"},
                   "HEAD", "HEAD names no commit");
}

Result<History> read_history(const fs::path& repository, const Revision& revision) {
  auto commit = resolve(repository, revision);
  if (!commit) return commit.error();
  if (auto whole = check_whole(repository, *commit); !whole)
    return git_error(repository, whole.error());
  HistoryBuilder builder;
  if (auto log = read_log(repository, *commit, builder); !log)
    return git_error(repository, log.error());
  auto files = read_tree(repository, *commit, builder);
  if (!files) return git_error(repository, files.error());
  History history;
  history.repository = repository.string();
  history.head = *commit;
  history.identities = builder.take_identities();
  history.files = std::move(*files);
  return history;
}

}  // namespace secondsight::knowledge
