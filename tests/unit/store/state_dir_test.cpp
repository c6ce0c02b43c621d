// The state folder: who may write or read it, and files made in it without following links,
// with exact modes whatever the umask.
#include "secondsight/store/state_dir.hpp"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "temp_dir.hpp"

namespace secondsight::store::testing {
namespace {

using ::testing::HasSubstr;

std::string contents(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

bool is_regular(const std::filesystem::path& path) {
  return std::filesystem::is_regular_file(std::filesystem::symlink_status(path));
}

ino_t inode_of(const std::filesystem::path& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

// Umask 0: any mode that is not 0600 / 0700 came from it, not from secondsight.
class StateDirTest : public ::testing::Test {
 protected:
  void SetUp() override { m_old_umask = ::umask(0); }
  void TearDown() override { ::umask(m_old_umask); }

  StateDir open_state() {
    auto state = StateDir::open(m_dir / "state");
    EXPECT_TRUE(state) << state.error().message;
    return std::move(*state);
  }
  void write(const std::filesystem::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
  }

  TempDir m_dir;
  mode_t m_old_umask = 0;
};

TEST_F(StateDirTest, CreatesTheFolderAndTheMissingOnesAbove0700) {
  auto state = StateDir::open(m_dir / "var" / "state");
  ASSERT_TRUE(state) << state.error().message;
  EXPECT_EQ(mode_of(m_dir / "var"), 0700u);
  EXPECT_EQ(mode_of(m_dir / "var" / "state"), 0700u);
  auto checklists = state->folder("checklists");
  ASSERT_TRUE(checklists) << checklists.error().message;
  EXPECT_EQ(mode_of(m_dir / "var" / "state" / "checklists"), 0700u);
  EXPECT_EQ(checklists->path(), m_dir / "var" / "state" / "checklists");
}

TEST_F(StateDirTest, AFolderOthersMayWriteIsRefusedWithWhatToRun) {
  for (mode_t mode : {0777u, 0770u, 0702u, 01777u}) {
    const auto folder = m_dir / "state";
    ASSERT_EQ(::mkdir(folder.c_str(), 0700), 0);
    ASSERT_EQ(::chmod(folder.c_str(), mode), 0);
    auto state = StateDir::open(folder);
    ASSERT_FALSE(state) << std::oct << mode;
    EXPECT_THAT(state.error().message, HasSubstr("state folder " + folder.string()));
    EXPECT_THAT(state.error().message, HasSubstr("may be written by"));
    EXPECT_THAT(state.error().message, HasSubstr("chmod 0700 " + folder.string()));
    EXPECT_EQ(mode_of(folder), mode) << "a refused folder is left as it is";
    ::rmdir(folder.c_str());
  }
}

TEST_F(StateDirTest, AFolderOthersMayReadIsRestrictedTo0700) {
  const auto folder = m_dir / "state";
  ASSERT_EQ(::mkdir(folder.c_str(), 0700), 0);
  ASSERT_EQ(::chmod(folder.c_str(), 0755), 0);
  auto state = StateDir::open(folder);
  ASSERT_TRUE(state) << state.error().message;
  EXPECT_EQ(mode_of(folder), 0700u);
  // A folder inside it too.
  ASSERT_EQ(::mkdir((folder / "checklists").c_str(), 0750), 0);
  ASSERT_TRUE(state->folder("checklists"));
  EXPECT_EQ(mode_of(folder / "checklists"), 0700u);
}

TEST_F(StateDirTest, AFolderOfAnotherUserIsRefused) {
  if (::geteuid() != 0) GTEST_SKIP() << "giving a folder to another user needs root";
  const auto folder = m_dir / "state";
  ASSERT_EQ(::mkdir(folder.c_str(), 0700), 0);
  ASSERT_EQ(::chown(folder.c_str(), 54321, 54321), 0);
  auto state = StateDir::open(folder);
  ASSERT_FALSE(state);
  EXPECT_THAT(state.error().message, HasSubstr(folder.string()));
  EXPECT_THAT(state.error().message, HasSubstr("belongs to uid 54321"));
}

TEST_F(StateDirTest, ALinkAsAFolderInsideIsRefusedAndNothingIsMadeWhereItLeads) {
  auto state = open_state();
  const auto elsewhere = m_dir / "elsewhere";
  ASSERT_EQ(::mkdir(elsewhere.c_str(), 0755), 0);
  std::filesystem::create_symlink(elsewhere, m_dir / "state" / "checklists");
  auto checklists = state.folder("checklists");
  ASSERT_FALSE(checklists);
  EXPECT_THAT(checklists.error().message,
              HasSubstr((m_dir / "state" / "checklists").string() + " is a symbolic link"));
  EXPECT_TRUE(std::filesystem::is_empty(elsewhere));
  EXPECT_EQ(mode_of(elsewhere), 0755u);
}

TEST_F(StateDirTest, ReplaceWritesANewFile0600) {
  auto state = open_state();
  auto written = state.replace("x.md", "hello\n", k_private_file_mode);
  ASSERT_TRUE(written) << written.error().message;
  EXPECT_TRUE(*written);
  EXPECT_EQ(contents(m_dir / "state" / "x.md"), "hello\n");
  EXPECT_EQ(mode_of(m_dir / "state" / "x.md"), 0600u);
  EXPECT_FALSE(std::filesystem::exists(m_dir / "state" / "x.md.tmp"));
}

TEST_F(StateDirTest, ReplaceLeavesAnUnchangedFileAloneButSetsItsMode) {
  auto state = open_state();
  ASSERT_TRUE(state.replace("x.md", "same", k_private_file_mode));
  const auto path = m_dir / "state" / "x.md";
  const auto inode = inode_of(path);
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  auto again = state.replace("x.md", "same", k_private_file_mode);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_FALSE(*again);
  EXPECT_EQ(inode_of(path), inode);
  EXPECT_EQ(mode_of(path), 0600u);
  auto changed = state.replace("x.md", "other", k_private_file_mode);
  ASSERT_TRUE(changed);
  EXPECT_TRUE(*changed);
  EXPECT_EQ(contents(path), "other");
}

TEST_F(StateDirTest, ReplaceRenamesOverALinkAtTheTargetAndLeavesWhereItLeadsAlone) {
  auto state = open_state();
  const auto outside = m_dir / "outside";
  write(outside, "precious");
  ASSERT_EQ(::chmod(outside.c_str(), 0644), 0);
  const auto target = m_dir / "state" / "x.md";
  std::filesystem::create_symlink(outside, target);
  // Even when it holds what is to be written: the link is not read as the file.
  ASSERT_TRUE(state.replace("x.md", "precious", k_private_file_mode));
  EXPECT_TRUE(is_regular(target));
  EXPECT_EQ(contents(target), "precious");
  EXPECT_EQ(mode_of(outside), 0644u);

  std::filesystem::remove(target);
  std::filesystem::create_symlink(outside, target);
  ASSERT_TRUE(state.replace("x.md", "checklist", k_private_file_mode));
  EXPECT_TRUE(is_regular(target));
  EXPECT_EQ(contents(target), "checklist");
  EXPECT_EQ(contents(outside), "precious");
}

TEST_F(StateDirTest, ReplaceDoesNotWriteThroughALinkAtTheTemporaryName) {
  auto state = open_state();
  const auto outside = m_dir / "outside";
  write(outside, "precious");
  const auto dangling = m_dir / "would-be-created";
  std::filesystem::create_symlink(outside, m_dir / "state" / "x.md.tmp");
  std::filesystem::create_symlink(dangling, m_dir / "state" / "y.md.tmp");
  ASSERT_TRUE(state.replace("x.md", "checklist", k_private_file_mode));
  ASSERT_TRUE(state.replace("y.md", "checklist", k_private_file_mode));
  EXPECT_EQ(contents(outside), "precious");
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::symlink_status(dangling)));
  EXPECT_TRUE(is_regular(m_dir / "state" / "x.md"));
  EXPECT_EQ(contents(m_dir / "state" / "x.md"), "checklist");
  EXPECT_FALSE(
      std::filesystem::exists(std::filesystem::symlink_status(m_dir / "state" / "x.md.tmp")));
}

TEST_F(StateDirTest, ReplaceOfAFileLinkedElsewhereLeavesTheOtherName) {
  auto state = open_state();
  const auto outside = m_dir / "outside";
  write(outside, "same");
  ASSERT_EQ(::chmod(outside.c_str(), 0644), 0);
  std::filesystem::create_hard_link(outside, m_dir / "state" / "x.md");
  ASSERT_TRUE(state.replace("x.md", "same", k_private_file_mode));
  EXPECT_EQ(mode_of(outside), 0644u);
  EXPECT_NE(inode_of(outside), inode_of(m_dir / "state" / "x.md"));
  EXPECT_EQ(mode_of(m_dir / "state" / "x.md"), 0600u);
}

TEST_F(StateDirTest, ReplaceOfAPipeDoesNotWaitForIt) {
  auto state = open_state();
  const auto target = m_dir / "state" / "x.md";
  ASSERT_EQ(::mkfifo(target.c_str(), 0600), 0);
  ASSERT_TRUE(state.replace("x.md", "checklist", k_private_file_mode));
  EXPECT_TRUE(is_regular(target));
}

TEST_F(StateDirTest, ANameTooLongIsAnErrorSayingSo) {
  auto state = open_state();
  const std::string name(252, 'a');  // fits NAME_MAX, but not with ".tmp"
  auto written = state.replace(name, "x", k_private_file_mode);
  ASSERT_FALSE(written);
  EXPECT_THAT(written.error().message, HasSubstr("more than the 255 a file name may have"));
  auto path = state.replace("a/b", "x", k_private_file_mode);
  ASSERT_FALSE(path);
  EXPECT_THAT(path.error().message, HasSubstr("not a file name"));
}

TEST_F(StateDirTest, ReadDoesNotFollowALink) {
  auto state = open_state();
  write(m_dir / "outside", "secret");
  std::filesystem::create_symlink(m_dir / "outside", m_dir / "state" / "x.md");
  auto read = state.read("x.md");
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_FALSE(read->has_value());
  write(m_dir / "state" / "y.md", "mine");
  auto mine = state.read("y.md");
  ASSERT_TRUE(mine && mine->has_value());
  EXPECT_EQ(**mine, "mine");
  auto none = state.read("z.md");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
}

TEST_F(StateDirTest, OpenFileCreates0600AndRefusesALink) {
  auto state = open_state();
  auto lock = state.open_file("a.lock", O_RDWR | O_CREAT, k_private_file_mode);
  ASSERT_TRUE(lock) << lock.error().message;
  EXPECT_EQ(mode_of(m_dir / "state" / "a.lock"), 0600u);

  const auto outside = m_dir / "outside";
  write(outside, "precious");
  std::filesystem::create_symlink(outside, m_dir / "state" / "b.lock");
  std::filesystem::create_symlink(m_dir / "created", m_dir / "state" / "c.lock");
  for (const char* name : {"b.lock", "c.lock"}) {
    auto linked = state.open_file(name, O_RDWR | O_CREAT | O_TRUNC, k_private_file_mode);
    ASSERT_FALSE(linked) << name;
    EXPECT_THAT(linked.error().message, HasSubstr("is a symbolic link"));
  }
  EXPECT_EQ(contents(outside), "precious");
  EXPECT_FALSE(std::filesystem::exists(m_dir / "created"));
}

TEST_F(StateDirTest, OpenFileRestrictsAFileOthersMayRead) {
  auto state = open_state();
  write(m_dir / "state" / "a.db", "x");
  ASSERT_EQ(::chmod((m_dir / "state" / "a.db").c_str(), 0644), 0);
  ASSERT_TRUE(state.open_file("a.db", O_RDWR | O_CREAT, k_private_file_mode));
  EXPECT_EQ(mode_of(m_dir / "state" / "a.db"), 0600u);
  EXPECT_EQ(contents(m_dir / "state" / "a.db"), "x");
}

TEST_F(StateDirTest, TheRealPathHasNoLinks) {
  const auto real = m_dir / "real";
  ASSERT_EQ(::mkdir(real.c_str(), 0700), 0);
  std::filesystem::create_symlink(real, m_dir / "state");
  auto state = StateDir::open(m_dir / "state");
  ASSERT_TRUE(state) << state.error().message;
  EXPECT_EQ(state->path(), m_dir / "state");
  EXPECT_EQ(state->real_path(), std::filesystem::canonical(real));
}

}  // namespace
}  // namespace secondsight::store::testing
