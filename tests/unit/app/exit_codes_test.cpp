#include "secondsight/app/exit_codes.hpp"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

namespace secondsight::app {
namespace {

TEST(ExitCodes, EachKindOfErrorHasACodeOfItsOwn) {
  EXPECT_EQ(exit_code(ErrorKind::invalid), 2);
  EXPECT_EQ(exit_code(ErrorKind::unavailable), 3);
  EXPECT_EQ(exit_code(ErrorKind::tampered), 4);
  EXPECT_EQ(exit_code(ErrorKind::clock_behind), 5);
  std::set<int> codes;
  for (const auto& row : k_exit_codes) codes.insert(row.code);
  EXPECT_EQ(codes.size(), k_exit_codes.size());
  EXPECT_EQ(codes.count(k_exit_ok), 0u);
  EXPECT_EQ(codes.count(k_exit_findings), 0u);
}

TEST(ExitCodes, AnErrorIsReportedOnOneEscapedLineWithItsKindsCode) {
  std::ostringstream err;
  EXPECT_EQ(report_error(err, make_error("no finding has the fingerprint x\x1b[2J\nnext",
                                         ErrorKind::invalid)),
            2);
  EXPECT_EQ(err.str().find('\x1b'), std::string::npos);
  EXPECT_EQ(err.str().find('\n'), err.str().size() - 1);
  EXPECT_EQ(err.str().rfind("secondsight: no finding has the fingerprint x", 0), 0u);
  std::ostringstream other;
  EXPECT_EQ(report_error(other, make_error("the state database is locked")), 3);
}

}  // namespace
}  // namespace secondsight::app
