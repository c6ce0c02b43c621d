// Who wrote which file of a repository: the git history of HEAD, read once per HEAD, and the
// measures of docs/knowledge.md on top of it (degree of authorship, authors, truck factor).
#pragma once

#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "secondsight/core/result.hpp"
#include "secondsight/core/time.hpp"

namespace secondsight::knowledge {

struct GitIdentity {
  std::string name;
  std::string email;
  friend bool operator==(const GitIdentity&, const GitIdentity&) = default;
};

// How much each identity changed one file of the HEAD tree over the history.
struct FileChanges {
  int identity = 0;  // index into History::identities
  int changes = 0;   // commits that changed the file, not counting the one that created it
};

struct FileHistory {
  std::string path;  // in the HEAD tree
  int creator = 0;   // identity whose commit added the file (its first path, renames followed)
  std::vector<FileChanges> changes;  // one entry per identity with changes > 0
};

// The raw history of one commit: everything the measures need, nothing of the directory.
// It is kept in the state database per repository and HEAD, so it holds raw git identities;
// who is who is decided when it is used (see authors_of_files).
struct History {
  std::string repository;  // as given
  std::string head;        // the commit analysed (40 hex)
  std::vector<GitIdentity> identities;
  // Every file of the HEAD tree, sorted by path (regular files: no symbolic links or
  // submodules, and none that no commit added, as a merge alone made it).
  std::vector<FileHistory> files;
};

// Which revision to analyse.
struct Revision {
  std::optional<std::string> rev;  // a commit-ish; default HEAD
  std::optional<Instant> before;   // the last commit on HEAD's first-parent line before this
};

// Reads the history of `revision` in `repository` (bare or not) through git. A git error
// part-way fails the whole read with git's message: never a partial history.
Result<History> read_history(const std::filesystem::path& repository,
                             const Revision& revision = {});

// The HEAD commit of a repository (40 hex), to tell whether a stored history is still current.
Result<std::string> head_of(const std::filesystem::path& repository);

// A History as JSON, to keep in the state database, and back. Strings that are not UTF-8 (a
// file name or an author written in another encoding) are kept as {"hex": "..."}.
//   {"repository":"…","head":"…","identities":[{"name":"…","email":"…"}],
//    "files":[{"path":"…","creator":0,"changes":[[identity,changes],…]}]}
nlohmann::json to_json(const History& history);
// An error names what is wrong (a missing field, an identity out of range).
Result<History> history_from_json(const nlohmann::json& json);

// Which files count (Linguist's rules; see docs/knowledge.md).
enum class FileSet {
  all,   // the HEAD tree without vendored or generated paths
  code,  // only programming and markup languages, and no documentation either
};
bool counts(std::string_view path, FileSet set);

// Identities merged when their email or their name is the same, ignoring case: the key of
// each identity (index into History::identities), e.g. "Ada Lovelace <ada@example.com>" of
// the first identity of its group.
std::vector<std::string> merge_by_email_or_name(std::span<const GitIdentity> identities);

// Degree of authorship (Fritz et al.), the constants of docs/knowledge.md.
double degree_of_authorship(bool first_author, int own_changes, int others_changes);

struct FileAuthors {
  std::string path;
  std::vector<std::string> authors;  // keys, sorted
};

// The authors of each counted file. `key_of_identity[i]` is who identity i is (identities
// with the same key are one author: their FA, DL and AC are merged before anything is counted).
std::vector<FileAuthors> authors_of_files(const History& history,
                                          std::span<const std::string> key_of_identity,
                                          FileSet set);

struct TruckFactor {
  int value = 0;
  std::vector<std::string> removed;  // in the order the greedy loop removed them
};

// Avelino et al.'s greedy truck factor. Authors in `gone` are removed before counting starts
// (their knowledge is already lost) and are not counted in the result.
TruckFactor truck_factor(std::span<const FileAuthors> files,
                         const std::set<std::string>& gone = {});

}  // namespace secondsight::knowledge
