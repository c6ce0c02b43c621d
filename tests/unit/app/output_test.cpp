// The tables people read: columns line up by what a terminal shows, not by bytes.
#include "secondsight/app/output.hpp"

#include <gmock/gmock.h>

#include <sstream>

#include "fixtures/findings.hpp"
#include "secondsight/core/terminal.hpp"

namespace secondsight::app {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

findings::StoredFinding stored(const std::string& person, const std::string& system) {
  findings::StoredFinding out;
  out.finding =
      secondsight::testing::make_finding("unused_access", person, system, Severity::medium);
  out.fingerprint = out.finding.fingerprint();
  out.first_seen = Instant{} + std::chrono::hours(24 * 365 * 56);
  return out;
}

// Where `word` starts, in columns.
std::size_t column_of(const std::string& line, const std::string& word) {
  const auto at = line.find(word);
  EXPECT_NE(at, std::string::npos) << line;
  return display_width(line.substr(0, at));
}

TEST(FindingsTable, ColumnsLineUpWithWideAndAccentedNames) {
  auto utc = find_zone("UTC");
  ASSERT_TRUE(utc);
  std::ostringstream out;
  write_findings_table(out,
                       {stored("anna", "wiki-a"), stored("jürgen", "wiki-b"),
                        stored("\xE7\x94\xB0\xE4\xB8\xAD", "wiki-c")},
                       Instant{}, *utc);
  const auto lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), 5u) << out.str();
  EXPECT_EQ(lines[0].rfind("FINGERPRINT", 0), 0u);
  const auto system = column_of(lines[0], "SYSTEM");
  EXPECT_EQ(column_of(lines[1], "wiki-a"), system);
  EXPECT_EQ(column_of(lines[2], "wiki-b"), system);
  EXPECT_EQ(column_of(lines[3], "wiki-c"), system);
  EXPECT_EQ(lines[4], "3 findings");
}

TEST(ScanTable, ShowsTheShortFingerprintAndLinesUp) {
  auto utc = find_zone("UTC");
  ASSERT_TRUE(utc);
  ScanReport report;
  report.findings = {stored("jürgen", "wiki-b"), stored("anna", "wiki-a")};
  std::ostringstream out;
  write_table(out, report, *utc);
  const auto lines = lines_of(out.str());
  ASSERT_GE(lines.size(), 5u);
  EXPECT_EQ(lines[2].rfind("ID        SEVERITY", 0), 0u) << out.str();
  EXPECT_EQ(lines[3].substr(0, 8), report.findings[0].fingerprint.substr(0, 8));
  EXPECT_EQ(column_of(lines[3], "wiki-b"), column_of(lines[2], "SYSTEM"));
  EXPECT_EQ(column_of(lines[4], "wiki-a"), column_of(lines[2], "SYSTEM"));
  EXPECT_THAT(out.str(), ::testing::Not(::testing::HasSubstr("\x1b[")));

  std::ostringstream coloured;
  write_table(coloured, report, *utc, true);
  EXPECT_THAT(coloured.str(), ::testing::HasSubstr("\x1b[33mMEDIUM  \x1b[0m"));
}

TEST(AlignedTable, ColumnsLineUpByDisplayWidthAndTheLastIsNotPadded) {
  std::ostringstream out;
  write_aligned_table(out, {"A", "NAME", "NOTE"},
                      {{"1", "jürgen", "x"}, {"22", "\xE7\x94\xB0\xE4\xB8\xAD", ""}});
  EXPECT_EQ(out.str(),
            "A   NAME    NOTE\n"
            "1   jürgen  x\n"
            "22  \xE7\x94\xB0\xE4\xB8\xAD\n");
  std::ostringstream none;
  write_aligned_table(none, {"A", "B"}, {});
  EXPECT_EQ(none.str(), "");
}

}  // namespace
}  // namespace secondsight::app
