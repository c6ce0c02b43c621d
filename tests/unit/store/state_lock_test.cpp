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

}  // namespace
}  // namespace secondsight::store::testing
