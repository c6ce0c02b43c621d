#include "secondsight/core/logging.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace secondsight {
namespace {

// A log line carries values from outside (a person's name, a log's host): they cannot end the
// line, forge another, or move a terminal's cursor.
TEST(Logging, ValuesInALogLineAreEscaped) {
  ::testing::internal::CaptureStderr();
  logger("test")->warn("person {}: {}", "mira\n2026 secondsight: info: [scan] all clear",
                       "\x1b[2J\xC2\x9B"
                       "31m\u202Egnp.exe M\xFCller");
  logger("test")->flush();
  const std::string written = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(
      written,
      "secondsight: warning: [test] person mira\\x0a2026 secondsight: info: [scan] all clear: "
      "\\x1b[2J\\u{009b}31m\\u{202e}gnp.exe M\\xfcller\n");
}

TEST(Logging, ThreadsThatAskForOneAreaAtOnceGetOneLogger) {
  // Each round a new area: every thread asks for it first, at the same moment.
  for (int round = 0; round < 50; ++round) {
    const std::string area = "concurrent-" + std::to_string(round);
    std::vector<std::shared_ptr<spdlog::logger>> got(8);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < got.size(); ++i)
      threads.emplace_back([&, i] { got[i] = logger(area); });
    for (auto& thread : threads) thread.join();
    for (const auto& one : got) EXPECT_EQ(one, got.front()) << area;
  }
}

}  // namespace
}  // namespace secondsight
