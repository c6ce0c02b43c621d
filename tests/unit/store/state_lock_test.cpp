// One scan at a time per state folder.
#include "secondsight/store/state_lock.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "temp_dir.hpp"

namespace secondsight::store::testing {
namespace {

TEST(StateLock, ASecondHolderWaitsUntilTheFirstLetsGo) {
  TempDir dir;
  const auto state = dir / "state";
  auto first = StateLock::try_acquire(state);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_TRUE(first->held());
  EXPECT_EQ(mode_of(state / "secondsight.lock"), 0600u);

  auto second = StateLock::try_acquire(state);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->held());

  bool waited = false;
  {
    StateLock released = std::move(*first);
    EXPECT_TRUE(released.held());
  }  // released here
  auto third = StateLock::acquire(state, [&] { waited = true; });
  ASSERT_TRUE(third.ok());
  EXPECT_TRUE(third->held());
  EXPECT_FALSE(waited);
}

TEST(StateLock, AnUnusableFolderIsAnErrorNamingIt) {
  TempDir dir;
  { std::ofstream(dir / "file") << "x"; }
  auto lock = StateLock::try_acquire(dir / "file" / "state");
  ASSERT_FALSE(lock.ok());
  EXPECT_NE(lock.error().message.find((dir / "file").string()), std::string::npos);
}

TEST(StateLock, ALinkAtTheLockFileIsNotFollowed) {
  TempDir dir;
  const auto state = dir / "state";
  ASSERT_TRUE(StateLock::try_acquire(state).ok());
  std::filesystem::remove(state / "secondsight.lock");
  std::filesystem::create_symlink(dir / "elsewhere", state / "secondsight.lock");
  auto lock = StateLock::try_acquire(state);
  ASSERT_FALSE(lock.ok());
  EXPECT_NE(lock.error().message.find("is a symbolic link"), std::string::npos)
      << lock.error().message;
  EXPECT_FALSE(std::filesystem::exists(dir / "elsewhere"));
}

TEST(StateLock, AStateFolderOthersMayWriteIsRefused) {
  TempDir dir;
  const auto state = dir / "state";
  std::filesystem::create_directory(state);
  std::filesystem::permissions(state, std::filesystem::perms::all);
  auto lock = StateLock::try_acquire(state);
  ASSERT_FALSE(lock.ok());
  EXPECT_NE(lock.error().message.find("chmod 0700 " + state.string()), std::string::npos)
      << lock.error().message;
  EXPECT_FALSE(std::filesystem::exists(state / "secondsight.lock"));
}

}  // namespace
}  // namespace secondsight::store::testing
