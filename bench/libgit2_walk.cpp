// The same walk as secondsight's history reader, through libgit2 instead of a git child process:
// every non-merge commit reachable from HEAD in reverse topological order, its tree diffed
// against its parent's with rename detection (git's default 50% similarity), author name and
// email through the mailmap. Prints the number of commits and file changes seen.
// Only for measuring (bench/knowledge.sh runs it when libgit2-dev is installed):
//   g++ -O2 -std=c++20 bench/libgit2_walk.cpp -lgit2 -o libgit2_walk && ./libgit2_walk REPO
#include <git2.h>

#include <cstdio>
#include <cstdlib>

namespace {

void check(int error, const char* what) {
  if (error >= 0) return;
  const git_error* e = git_error_last();
  std::fprintf(stderr, "%s: %s\n", what, e != nullptr ? e->message : "unknown error");
  std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: libgit2_walk REPO\n");
    return 2;
  }
  git_libgit2_init();
  git_repository* repo = nullptr;
  check(git_repository_open(&repo, argv[1]), "open");
  git_mailmap* mailmap = nullptr;
  check(git_mailmap_from_repository(&mailmap, repo), "mailmap");
  git_revwalk* walk = nullptr;
  check(git_revwalk_new(&walk, repo), "revwalk");
  check(git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE), "sorting");
  check(git_revwalk_push_head(walk), "push HEAD");

  git_diff_options diff_options = GIT_DIFF_OPTIONS_INIT;
  git_diff_find_options find_options = GIT_DIFF_FIND_OPTIONS_INIT;
  find_options.flags = GIT_DIFF_FIND_RENAMES;
  find_options.rename_limit = 999999;
  long commits = 0;
  long changes = 0;
  long renames = 0;
  git_oid oid;
  while (git_revwalk_next(&oid, walk) == 0) {
    git_commit* commit = nullptr;
    check(git_commit_lookup(&commit, repo, &oid), "commit");
    if (git_commit_parentcount(commit) > 1) {
      git_commit_free(commit);
      continue;
    }
    git_signature* author = nullptr;
    check(git_commit_author_with_mailmap(&author, commit, mailmap), "author");
    git_tree* tree = nullptr;
    check(git_commit_tree(&tree, commit), "tree");
    git_tree* parent_tree = nullptr;
    if (git_commit_parentcount(commit) == 1) {
      git_commit* parent = nullptr;
      check(git_commit_parent(&parent, commit, 0), "parent");
      check(git_commit_tree(&parent_tree, parent), "parent tree");
      git_commit_free(parent);
    }
    git_diff* diff = nullptr;
    check(git_diff_tree_to_tree(&diff, repo, parent_tree, tree, &diff_options), "diff");
    check(git_diff_find_similar(diff, &find_options), "renames");
    size_t deltas = git_diff_num_deltas(diff);
    for (size_t i = 0; i < deltas; ++i) {
      const git_diff_delta* delta = git_diff_get_delta(diff, i);
      if (delta->status == GIT_DELTA_RENAMED) ++renames;
    }
    changes += static_cast<long>(deltas);
    ++commits;
    git_diff_free(diff);
    git_tree_free(parent_tree);
    git_tree_free(tree);
    git_signature_free(author);
    git_commit_free(commit);
  }
  std::printf("%ld commits, %ld file changes, %ld renames\n", commits, changes, renames);
  git_revwalk_free(walk);
  git_mailmap_free(mailmap);
  git_repository_free(repo);
  git_libgit2_shutdown();
  return 0;
}
