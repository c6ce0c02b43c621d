// read_history and head_of on real repositories made by git itself.
#include <gmock/gmock.h>

#include <map>

#include "fixtures/git_fixture.hpp"
#include "secondsight/knowledge/history.hpp"

namespace secondsight::knowledge::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// What a test checks of one file: its creator and each identity's changes, by email.
struct Counted {
  std::string creator;
  std::map<std::string, int> changes;
  friend bool operator==(const Counted&, const Counted&) = default;
  friend std::ostream& operator<<(std::ostream& out, const Counted& c) {
    out << "{creator " << c.creator << ",";
    for (const auto& [who, n] : c.changes) out << " " << who << ":" << n;
    return out << "}";
  }
};

std::map<std::string, Counted> counted(const History& history) {
  std::map<std::string, Counted> out;
  for (const auto& file : history.files) {
    Counted c;
    c.creator = history.identities.at(static_cast<std::size_t>(file.creator)).email;
    for (const auto& change : file.changes)
      c.changes[history.identities.at(static_cast<std::size_t>(change.identity)).email] =
          change.changes;
    out[file.path] = c;
  }
  return out;
}

std::vector<std::string> paths(const History& history) {
  std::vector<std::string> out;
  for (const auto& file : history.files) out.push_back(file.path);
  return out;
}

History read(const fs::path& repository, const Revision& revision = {}) {
  auto history = read_history(repository, revision);
  EXPECT_TRUE(history.ok()) << history.error().message;
  return history.ok() ? *history : History{};
}

TEST(ReadHistory, CreatorAndEachIdentitysLaterChanges) {
  TempDir dir;
  Script s;
  s.commit(k_alice, {write("a.txt", "1\n"), write("b.txt", "b\n")});
  s.commit(k_bob, {write("a.txt", "1\n2\n")});
  s.commit(k_bob, {write("a.txt", "1\n2\n3\n")});
  s.commit(k_alice, {write("a.txt", "1\n2\n3\n4\n")});
  s.commit(k_carol, {write("c.txt", "c\n")});
  auto repository = make_repository(dir / "r.git", s);
  auto history = read(repository);
  EXPECT_EQ(history.repository, repository.string());
  EXPECT_EQ(history.head, rev_parse(repository, "HEAD"));
  EXPECT_EQ(history.identities, (std::vector<GitIdentity>{{k_alice.name, k_alice.email},
                                                          {k_bob.name, k_bob.email},
                                                          {k_carol.name, k_carol.email}}));
  auto files = counted(history);
  ASSERT_EQ(files.size(), 3U);
  EXPECT_EQ(files["a.txt"],
            (Counted{"alice@example.com", {{"alice@example.com", 1}, {"bob@example.com", 2}}}));
  EXPECT_EQ(files["b.txt"], (Counted{"alice@example.com", {}}));
  EXPECT_EQ(files["c.txt"], (Counted{"carol@example.com", {}}));
}

TEST(ReadHistory, RenamesAreFollowedAndAreAChangeByWhoeverMadeThem) {
  TempDir dir;
  Script s;
  std::string body = "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\n";
  s.commit(k_alice, {write("src/solver.py", body), write("src/other.py", "x\n" + body)});
  s.commit(k_bob, {move("src/solver.py", "src/vrp/solver.py")});     // a pure rename
  s.commit(k_carol, {write("src/vrp/solver.py", body + "nine\n")});  // an edit after it
  // Moved and edited in one commit: git finds it by similarity; one change, by bob.
  s.commit(k_bob, {remove("src/other.py"), write("lib/other.py", "x\n" + body + "ten\n")});
  auto history = read(make_repository(dir / "r.git", s));
  auto files = counted(history);
  EXPECT_THAT(paths(history), ElementsAre("lib/other.py", "src/vrp/solver.py"));
  EXPECT_EQ(files["src/vrp/solver.py"],
            (Counted{"alice@example.com", {{"bob@example.com", 1}, {"carol@example.com", 1}}}));
  EXPECT_EQ(files["lib/other.py"], (Counted{"alice@example.com", {{"bob@example.com", 1}}}));
}

TEST(ReadHistory, MergeCommitsAreNoChanges) {
  TempDir dir;
  Script s;
  int base = s.commit(k_alice, {write("a.txt", "a\n"), write("b.txt", "b\n")});
  int side = s.commit(k_bob, {write("a.txt", "a\nbob\n")}, on_branch("feature", base));
  s.commit(k_alice, {write("b.txt", "b\nalice\n")});
  // The merge commit carries the branch's change to a.txt and one of its own to b.txt.
  s.commit(k_carol, {write("a.txt", "a\nbob\n"), write("b.txt", "b\nalice\ncarol\n")},
           merging(side));
  auto history = read(make_repository(dir / "r.git", s));
  auto files = counted(history);
  EXPECT_EQ(files["a.txt"], (Counted{"alice@example.com", {{"bob@example.com", 1}}}));
  EXPECT_EQ(files["b.txt"], (Counted{"alice@example.com", {{"alice@example.com", 1}}}));
}

TEST(ReadHistory, FilesDeletedBeforeTheCommitAreNotCounted) {
  TempDir dir;
  Script s;
  s.commit(k_alice, {write("gone.txt", "g\n"), write("kept.txt", "k\n")});
  s.commit(k_bob, {write("gone.txt", "g\nb\n")});
  s.commit(k_bob, {remove("gone.txt")});
  auto history = read(make_repository(dir / "r.git", s));
  EXPECT_THAT(paths(history), ElementsAre("kept.txt"));
}

TEST(ReadHistory, AddingAPathAgainContinuesItsFileAndIsAChange) {
  TempDir dir;
  Script s;
  s.commit(k_alice, {write("a.txt", "first\n")});
  s.commit(k_alice, {remove("a.txt")});
  s.commit(k_bob, {write("a.txt", "second, quite different\n")});
  s.commit(k_carol, {write("a.txt", "second, quite different\nmore\n")});
  auto history = read(make_repository(dir / "r.git", s));
  EXPECT_EQ(counted(history)["a.txt"],
            (Counted{"alice@example.com", {{"bob@example.com", 1}, {"carol@example.com", 1}}}));
}

TEST(ReadHistory, BareAndWorkTreeRepositoriesReadTheSame) {
  TempDir dir;
  Script s;
  s.commit(k_alice, {write("a.txt", "a\n")});
  s.commit(k_bob, {write("a.txt", "a\nb\n"), write("dir/c.txt", "c\n")});
  auto bare = read(make_repository(dir / "bare.git", s, Layout::bare));
  auto work = read(make_repository(dir / "work", s, Layout::work_tree));
  EXPECT_EQ(bare.head, work.head);
  EXPECT_EQ(counted(bare), counted(work));
  EXPECT_EQ(counted(bare).size(), 2U);
}

TEST(ReadHistory, OddFileNamesComeThroughIntact) {
  TempDir dir;
  Script s;
  std::vector<std::string> names = {"with space.txt", "tab\there.txt", "ünïcødé/naïve.py",
                                    "quote\"d.txt",   "-leading-dash", "back\\slash.txt",
                                    "new\nline.txt"};
  std::vector<Change> changes;
  for (const auto& name : names) changes.push_back(write(name, name + "\n"));
  s.commit(k_alice, changes);
  s.commit(k_bob, {move("with space.txt", "still spaced.txt")});
  auto history = read(make_repository(dir / "r.git", s));
  auto files = counted(history);
  EXPECT_EQ(files.size(), names.size());
  for (const auto& name : names) {
    if (name == "with space.txt") continue;
    EXPECT_EQ(files.count(name), 1U) << name;
  }
  EXPECT_EQ(files["still spaced.txt"], (Counted{"alice@example.com", {{"bob@example.com", 1}}}));
}

TEST(ReadHistory, SymbolicLinksAreNoFiles) {
  TempDir dir;
  Script s;
  s.commit(k_alice, {write("a.txt", "a\n"), symlink("link.txt", "a.txt")});
  auto history = read(make_repository(dir / "r.git", s));
  EXPECT_THAT(paths(history), ElementsAre("a.txt"));
}

TEST(ReadHistory, AuthorsGoThroughTheMailmap) {
  TempDir dir;
  Script s;
  s.commit({"bob", "bob@old.example"}, {write("a.txt", "a\n")});
  s.commit(k_alice, {write(".mailmap", "Bob Brown <bob@example.com> <bob@old.example>\n")});
  auto history = read(make_repository(dir / "r.git", s));
  EXPECT_EQ(history.identities.at(0), (GitIdentity{"Bob Brown", "bob@example.com"}));
}

class RevisionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // main: c1 (t=1000) - c2 (t=2000) - merge (t=4000); feature: f1 (t=1500) from c1.
    Script s;
    m_c1 = s.commit(k_alice, {write("a.txt", "a\n")}, at_time(1000));
    int f1 = s.commit(k_carol, {write("f.txt", "f\n")}, on_branch("feature", m_c1).at(1500));
    m_c2 = s.commit(k_bob, {write("b.txt", "b\n")}, at_time(2000));
    s.commit(k_alice, {write("f.txt", "f\n")}, merging(f1).at(4000));
    m_repository = make_repository(m_dir / "r.git", s);
  }
  std::string at(int mark) const {
    return rev_parse(m_repository, ":/commit " + std::to_string(mark));
  }
  static Revision before(long seconds) {
    return Revision{std::nullopt, Instant{std::chrono::seconds(seconds)}};
  }

  TempDir m_dir;
  fs::path m_repository;
  int m_c1 = 0;
  int m_c2 = 0;
};

TEST_F(RevisionTest, RevAnalysesThatCommit) {
  auto history = read(m_repository, Revision{"HEAD~1", std::nullopt});
  EXPECT_EQ(history.head, at(m_c2));
  EXPECT_THAT(paths(history), ElementsAre("a.txt", "b.txt"));
}

TEST_F(RevisionTest, BeforeTakesTheLastFirstParentCommitStrictlyBefore) {
  EXPECT_EQ(read(m_repository, before(2001)).head, at(m_c2));
  EXPECT_EQ(read(m_repository, before(2000)).head, at(m_c1));  // committed at 2000: not before
  // f1 (1500) is later than c1 but on the merged branch, not the first-parent line.
  auto history = read(m_repository, before(1999));
  EXPECT_EQ(history.head, at(m_c1));
  EXPECT_THAT(paths(history), ElementsAre("a.txt"));
  EXPECT_EQ(read(m_repository, before(5000)).head, rev_parse(m_repository, "HEAD"));
}

TEST_F(RevisionTest, NothingBeforeOrAnUnknownRevisionIsAnError) {
  auto none = read_history(m_repository, before(1000));
  ASSERT_FALSE(none.ok());
  EXPECT_THAT(none.error().message, HasSubstr("no commit on the first-parent line of HEAD before"));
  auto unknown = read_history(m_repository, Revision{"no-such-branch", std::nullopt});
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(unknown.error().message, HasSubstr("'no-such-branch'"));
  EXPECT_THAT(unknown.error().message, HasSubstr("fatal:"));
}

TEST(ReadHistory, ADamagedRepositoryFailsWithGitsMessageNotAPartialHistory) {
  TempDir dir;
  fs::path repository = dir / "r";
  std::string git = "git -C " + shell_word(repository.string()) + " ";
  std::string env =
      "GIT_AUTHOR_NAME=Alice GIT_AUTHOR_EMAIL=alice@example.com "
      "GIT_COMMITTER_NAME=Alice GIT_COMMITTER_EMAIL=alice@example.com ";
  ASSERT_EQ(shell("git init -q " + shell_word(repository.string())), 0);
  for (int i = 1; i <= 3; ++i) {
    std::ofstream(repository / ("f" + std::to_string(i) + ".txt")) << i << "\n";
    ASSERT_EQ(shell(git + "add -A && " + env + git + "commit -q -m c" + std::to_string(i)), 0);
  }
  ASSERT_TRUE(read_history(repository).ok());
  // The second commit's tree goes missing: the log fails after it printed the first commit.
  std::string tree = rev_parse(repository, "HEAD~1^{tree}");
  ASSERT_EQ(tree.size(), 40U);
  fs::path object = repository / ".git" / "objects" / tree.substr(0, 2) / tree.substr(2);
  fs::permissions(object, fs::perms::owner_write, fs::perm_options::add);
  ASSERT_TRUE(fs::remove(object));
  auto history = read_history(repository);
  ASSERT_FALSE(history.ok());
  EXPECT_THAT(history.error().message, HasSubstr(repository.string() + ": "));
  EXPECT_THAT(history.error().message, HasSubstr(tree));
}

TEST(ReadHistory, NotARepositoryIsGitsError) {
  TempDir dir;
  auto history = read_history(dir.path());
  ASSERT_FALSE(history.ok());
  EXPECT_THAT(history.error().message, HasSubstr("not a git repository"));
  auto missing = read_history(dir / "missing");
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.error().message, HasSubstr("missing"));
}

TEST(ReadHistory, GitVariablesOfTheCallerDoNotRedirectIt) {
  TempDir dir;
  Script one;
  one.commit(k_alice, {write("one.txt", "1\n")});
  Script two;
  two.commit(k_bob, {write("two.txt", "2\n")});
  auto first = make_repository(dir / "one.git", one);
  auto second = make_repository(dir / "two.git", two);
  ::setenv("GIT_DIR", second.c_str(), 1);
  auto history = read_history(first);
  ::unsetenv("GIT_DIR");
  ASSERT_TRUE(history.ok()) << history.error().message;
  EXPECT_THAT(paths(*history), ElementsAre("one.txt"));
}

TEST(HeadOf, IsTheCommitHeadNames) {
  TempDir dir;
  Script s;
  s.commit(k_alice, {write("a.txt", "a\n")});
  auto repository = make_repository(dir / "r.git", s);
  auto head = head_of(repository);
  ASSERT_TRUE(head.ok()) << head.error().message;
  EXPECT_EQ(*head, rev_parse(repository, "HEAD"));
  fs::path empty = dir / "empty.git";
  ASSERT_EQ(shell("git init -q --bare " + shell_word(empty.string())), 0);
  EXPECT_FALSE(head_of(empty).ok());
  EXPECT_THAT(read_history(empty).error().message, HasSubstr(empty.string()));
}

TEST(ReadHistory, ALogLongerThanItsBuffersIsReadWhole) {
  // More log than a read window: one commit of 6,000 long names (larger than a window by
  // itself), then 2,000 commits that pass a file between three people.
  TempDir dir;
  Script s;
  std::string folder = "src/" + std::string(180, 'd') + "/";
  std::vector<Change> many;
  for (int i = 0; i < 6000; ++i) many.push_back(write(folder + std::to_string(i) + ".c", "x\n"));
  many.push_back(write("hot.c", "0\n"));
  s.commit(k_alice, many);
  const Person* people[] = {&k_alice, &k_bob, &k_carol};
  for (int i = 1; i <= 2000; ++i) s.commit(*people[i % 3], {write("hot.c", std::to_string(i))});
  auto history = read(make_repository(dir / "r.git", s));
  auto files = counted(history);
  EXPECT_EQ(files.size(), 6001U);
  EXPECT_EQ(
      files["hot.c"],
      (Counted{
          "alice@example.com",
          {{"alice@example.com", 666}, {"bob@example.com", 667}, {"carol@example.com", 667}}}));
  EXPECT_EQ(files[folder + "5999.c"], (Counted{"alice@example.com", {}}));
}

TEST(ReadHistory, AnEmptyTreeHasNoFiles) {
  TempDir dir;
  Script s;
  s.commit(k_alice, {write("a.txt", "a\n")});
  s.commit(k_alice, {remove("a.txt")});
  auto history = read(make_repository(dir / "r.git", s));
  EXPECT_THAT(history.files, IsEmpty());
  EXPECT_EQ(history.identities.size(), 1U);
}

// A history that is not whole is no history: whoever made the first kept commit would hold
// every file. Shallow clones, grafts and replace refs that hide commits are refused with what
// to do; replace refs that add history are read as git shows them.
class CutHistory : public ::testing::Test {
 protected:
  void SetUp() override {
    Script s;
    s.commit(k_alice, {write("a.txt", "a\n"), write("b.txt", "b\n")});
    s.commit(k_bob, {write("c.txt", "c\n")});
    s.commit(k_carol, {write("a.txt", "a2\n")});
    m_origin = make_repository(m_dir / "origin.git", s);
  }
  // A clone of the origin (file://, so that --depth applies) with `options`.
  fs::path clone(const std::string& name, const std::string& options) {
    const fs::path to = m_dir / name;
    EXPECT_EQ(shell("git clone -q " + options + " file://" + shell_word(m_origin.string()) + " " +
                    shell_word(to.string())),
              0);
    return to;
  }
  static std::string git(const fs::path& repository) {
    return "git -C " + shell_word(repository.string()) + " ";
  }

  TempDir m_dir;
  fs::path m_origin;
};

TEST_F(CutHistory, AShallowCloneIsRefusedWithHowToFetchTheRest) {
  for (const std::string options : {"--depth 1", "--bare --depth 2"}) {
    const fs::path shallow = clone(options == "--depth 1" ? "shallow" : "shallow.git", options);
    auto history = read_history(shallow);
    ASSERT_FALSE(history.ok()) << options;
    EXPECT_THAT(history.error().message, HasSubstr(shallow.string() + ": a shallow clone"));
    EXPECT_THAT(history.error().message, HasSubstr("fetch --unshallow"));
    // Once whole, it reads as the origin does.
    ASSERT_EQ(shell(git(shallow) + "fetch -q --unshallow"), 0);
    EXPECT_EQ(counted(read(shallow)), counted(read(m_origin))) << options;
  }
}

TEST_F(CutHistory, APartialCloneIsRefusedRatherThanFetchedFrom) {
  ASSERT_EQ(shell(git(m_origin) + "config uploadpack.allowFilter true"), 0);
  const fs::path partial = clone("partial.git", "--bare --filter=blob:none");
  auto history = read_history(partial);
  ASSERT_FALSE(history.ok());
  EXPECT_THAT(history.error().message, HasSubstr("a partial clone (--filter)"));
}

TEST_F(CutHistory, GraftsAreRefused) {
  const fs::path grafted = clone("grafted", "");
  std::ofstream(grafted / ".git/info/grafts") << rev_parse(grafted, "HEAD~1") << "\n";
  auto history = read_history(grafted);
  ASSERT_FALSE(history.ok());
  EXPECT_THAT(history.error().message, HasSubstr("info/grafts rewrites parents"));
  EXPECT_THAT(history.error().message, HasSubstr("replace --convert-graft-file"));
}

TEST_F(CutHistory, ReplaceRefsThatHideCommitsAreRefused) {
  const fs::path cut = clone("cut.git", "--bare");
  ASSERT_EQ(shell(git(cut) + "replace --graft HEAD~1"), 0);  // HEAD~1 without parents
  auto history = read_history(cut);
  ASSERT_FALSE(history.ok());
  EXPECT_THAT(history.error().message, HasSubstr("hide 1 of the 3 commits"));
  // The caller's environment cannot switch the check off, nor git's reading of replace refs.
  ::setenv("GIT_NO_REPLACE_OBJECTS", "1", 1);
  auto again = read_history(cut);
  ::unsetenv("GIT_NO_REPLACE_OBJECTS");
  EXPECT_FALSE(again.ok());
}

TEST_F(CutHistory, ReplaceRefsThatAddHistoryAreReadAsGitShowsThem) {
  // An older repository's history put under the origin's first commit, as a migration does.
  Script old;
  old.commit(k_carol, {write("a.txt", "old a\n"), write("legacy.txt", "l\n")});
  const fs::path archive = make_repository(m_dir / "archive.git", old);
  const fs::path joined = clone("joined.git", "--bare");
  ASSERT_EQ(shell(git(joined) + "fetch -q " + shell_word(archive.string()) + " main:old"), 0);
  ASSERT_EQ(shell(git(joined) + "replace --graft " + rev_parse(joined, "HEAD~2") + " old"), 0);
  const History history = read(joined);
  // carol created a.txt in the old history: alice's first commit changed it.
  EXPECT_EQ(counted(history).at("a.txt").creator, k_carol.email);
}

}  // namespace
}  // namespace secondsight::knowledge::testing
