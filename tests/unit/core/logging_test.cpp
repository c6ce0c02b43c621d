#include "secondsight/core/logging.hpp"

#include <gtest/gtest.h>

#include <string>

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

}  // namespace
}  // namespace secondsight
