// Log watching: changes to a watched log, or to its rotated files, ask for a scan once the burst
// settles; the event loop runs until the watch asks, bounded so that a watch that never asks
// fails rather than hangs.
#include <gtest/gtest.h>

#include <fstream>

#include "app/daemon/log_watch.hpp"
#include "fixtures/temp_dir.hpp"

namespace secondsight::app {
namespace {

constexpr auto k_bound = std::chrono::seconds(30);

config::LogSourceConfig file_source(const std::filesystem::path& path) {
  config::LogSourceConfig source;
  source.format = "sshd";
  source.path = path;
  source.name = path.string();
  return source;
}

TEST(DaemonLogWatch, LinesWrittenToAWatchedLogAskForAScan) {
  testing::TempDir folder;
  const auto log = folder.write("auth.log", "");
  boost::asio::io_context io;
  int asked = 0;
  LogWatch watch(io, [&] {
    ++asked;
    io.stop();
  });
  watch.watch({file_source(log)}, std::chrono::seconds(60));
  for (int i = 0; i < 20; ++i) std::ofstream(log, std::ios::app) << "line " << i << "\n";
  io.run_for(k_bound);
  EXPECT_EQ(asked, 1);
}

TEST(DaemonLogWatch, AChangeToARotatedFileAsksForAScan) {
  testing::TempDir folder;
  const auto log = folder.write("auth.log", "");
  boost::asio::io_context io;
  int asked = 0;
  LogWatch watch(io, [&] {
    ++asked;
    io.stop();
  });
  watch.watch({file_source(log)}, std::chrono::seconds(60));
  folder.write("auth.log.1", "line\n");
  io.run_for(k_bound);
  EXPECT_EQ(asked, 1);
}

TEST(DaemonLogWatch, AfterAReloadTheNewSourcesAreWatched) {
  testing::TempDir first;
  testing::TempDir second;
  const auto old_log = first.write("auth.log", "");
  const auto new_log = second.write("secure", "");
  boost::asio::io_context io;
  int asked = 0;
  LogWatch watch(io, [&] {
    ++asked;
    io.stop();
  });
  watch.watch({file_source(old_log)}, std::chrono::seconds(60));
  watch.watch({file_source(new_log)}, std::chrono::seconds(60));
  std::ofstream(new_log, std::ios::app) << "line\n";
  io.run_for(k_bound);
  EXPECT_EQ(asked, 1);
}

}  // namespace
}  // namespace secondsight::app
