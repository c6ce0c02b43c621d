// One scan, one deliverer and one daemon at a time per state folder.
#include "secondsight/store/state_lock.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "temp_dir.hpp"

namespace secondsight::store::testing {
namespace {

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(FolderLock, ASecondHolderWaitsUntilTheFirstLetsGo) {
  TempDir dir;
  const auto state = dir / "state";
  auto first = FolderLock::try_acquire(state, "secondsight.lock");
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_TRUE(first->held());
  EXPECT_EQ(mode_of(state / "secondsight.lock"), 0600u);

  auto second = FolderLock::try_acquire(state, "secondsight.lock");
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->held());

  bool waited = false;
  {
    FolderLock released = std::move(*first);
    EXPECT_TRUE(released.held());
  }  // released here
  auto third = acquire_scan_lock(state, [&] { waited = true; });
  ASSERT_TRUE(third.ok());
  EXPECT_TRUE(third->held());
  EXPECT_FALSE(waited);
}

TEST(FolderLock, AnUnusableFolderIsAnErrorNamingIt) {
  TempDir dir;
  { std::ofstream(dir / "file") << "x"; }
  auto lock = FolderLock::try_acquire(dir / "file" / "state", "secondsight.lock");
  ASSERT_FALSE(lock.ok());
  EXPECT_NE(lock.error().message.find((dir / "file").string()), std::string::npos);
}

TEST(FolderLock, ALinkAtTheLockFileIsNotFollowed) {
  TempDir dir;
  const auto state = dir / "state";
  ASSERT_TRUE(FolderLock::try_acquire(state, "secondsight.lock").ok());
  std::filesystem::remove(state / "secondsight.lock");
  std::filesystem::create_symlink(dir / "elsewhere", state / "secondsight.lock");
  auto lock = FolderLock::try_acquire(state, "secondsight.lock");
  ASSERT_FALSE(lock.ok());
  EXPECT_NE(lock.error().message.find("is a symbolic link"), std::string::npos)
      << lock.error().message;
  EXPECT_FALSE(std::filesystem::exists(dir / "elsewhere"));
}

TEST(FolderLock, AStateFolderOthersMayWriteIsRefused) {
  TempDir dir;
  const auto state = dir / "state";
  std::filesystem::create_directory(state);
  std::filesystem::permissions(state, std::filesystem::perms::all);
  auto lock = FolderLock::try_acquire(state, "secondsight.lock");
  ASSERT_FALSE(lock.ok());
  EXPECT_NE(lock.error().message.find("chmod 0700 " + state.string()), std::string::npos)
      << lock.error().message;
  EXPECT_FALSE(std::filesystem::exists(state / "secondsight.lock"));
}

TEST(FolderLock, OneDelivererPerStateFolder) {
  TempDir dir;
  auto first = try_delivery_lock(dir / "state");
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_TRUE(first->held());
  // flock is per open file description: a second open in this process stands for another one.
  auto second = try_delivery_lock(dir / "state");
  ASSERT_TRUE(second);
  EXPECT_FALSE(second->held());
}

TEST(FolderLock, ASecondDaemonIsRefusedNamingTheFirstsPid) {
  TempDir dir;
  const auto state = dir / "state";
  auto first = hold_daemon_lock(state);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_TRUE(first->held());
  EXPECT_EQ(read_text(state / "daemon.lock"), std::to_string(::getpid()));
  auto second = hold_daemon_lock(state);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().message, "a daemon already runs on the state folder " + state.string() +
                                        ": the daemon with pid " + std::to_string(::getpid()) +
                                        " holds " + (state / "daemon.lock").string());
  // What the lock file holds is only believed when it is a pid.
  ASSERT_TRUE(first->write("\x1b[2J"));
  auto garbled = hold_daemon_lock(state);
  ASSERT_FALSE(garbled);
  EXPECT_NE(garbled.error().message.find(": another process holds"), std::string::npos)
      << garbled.error().message;
  // Once the first is gone, the next daemon takes the folder.
  { FolderLock gone = std::move(*first); }
  auto third = hold_daemon_lock(state);
  ASSERT_TRUE(third) << third.error().message;
  EXPECT_TRUE(third->held());
}

}  // namespace
}  // namespace secondsight::store::testing
