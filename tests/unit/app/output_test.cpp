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

TEST(HandoversTable, TellsWhereEachComesFromAndWhatWasRevoked) {
  auto utc = find_zone("UTC");
  ASSERT_TRUE(utc);
  ListedHandover from_file{HandoverSource::file, {}};
  from_file.handover.record = {"ilse", "billing", "lotte", "2026-05-12", "", "handovers.yaml:2"};
  ListedHandover recorded{HandoverSource::store, {}};
  recorded.handover.id = 7;
  recorded.handover.record = {"jürgen", "wiki", "anna", "2026-05-18", "https://wiki/x", ""};
  recorded.handover.recorded_by = "carol";
  recorded.handover.recorded_at = *parse_rfc3339("2026-05-18T09:00:00Z");
  recorded.handover.revoked_at = *parse_rfc3339("2026-05-19T10:00:00Z");
  recorded.handover.revoked_by = "dave";
  recorded.handover.revoked_reason = "anna was on leave\x1b[2J";
  std::ostringstream out;
  write_handovers_table(out, {from_file, recorded}, *utc);
  const auto lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), 4u) << out.str();
  EXPECT_EQ(lines[0].rfind("ID  SOURCE", 0), 0u) << out.str();
  EXPECT_EQ(lines[1].rfind("-   handovers.yaml:2", 0), 0u) << out.str();
  EXPECT_EQ(lines[2].rfind("7   store", 0), 0u) << out.str();
  EXPECT_EQ(column_of(lines[1], "billing"), column_of(lines[0], "SYSTEM"));
  EXPECT_EQ(column_of(lines[2], "wiki"), column_of(lines[0], "SYSTEM"));
  EXPECT_EQ(column_of(lines[2], "anna"), column_of(lines[0], "RECEIVER"));
  EXPECT_THAT(lines[2], ::testing::HasSubstr("by carol"));
  // What comes from outside is escaped: no escape sequence reaches the terminal.
  EXPECT_THAT(lines[2], ::testing::EndsWith("by dave: anna was on leave\\x1b[2J"));
  EXPECT_EQ(lines[3], "2 handovers, 1 revoked");

  const auto file_json = handover_json(from_file);
  EXPECT_EQ(file_json["id"], nullptr);
  EXPECT_EQ(file_json["source"], "file");
  EXPECT_EQ(file_json["file"], "handovers.yaml:2");
  EXPECT_EQ(file_json["doc"], nullptr);
  EXPECT_EQ(file_json["recorded_by"], nullptr);
  EXPECT_EQ(file_json["revoked"], false);
  const auto stored_json = handover_json(recorded);
  EXPECT_EQ(stored_json["id"], 7);
  EXPECT_EQ(stored_json["source"], "store");
  EXPECT_EQ(stored_json["file"], nullptr);
  EXPECT_EQ(stored_json["recorded_at"], "2026-05-18T09:00:00Z");
  EXPECT_EQ(stored_json["revoked"], true);
  EXPECT_EQ(stored_json["revoked_at"], "2026-05-19T10:00:00Z");
  EXPECT_EQ(stored_json["revoked_by"], "dave");
}

}  // namespace
}  // namespace secondsight::app
