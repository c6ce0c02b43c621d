// The real binary scanning the bundled sample whose directory export is UTF-16 with a byte-order
// mark and CRLF line ends, as `ldifde -u` writes it: the findings are those of the UTF-8 export.
#include <gmock/gmock.h>

#include <string_view>

#include "fixtures/encodings.hpp"
#include "fixtures/scenario.hpp"
#include "secondsight/core/text.hpp"

namespace secondsight::testing {
namespace {

using ::testing::HasSubstr;

Process run(const std::string& arguments) {
  return run_binary(arguments);
}

// Well-formed UTF-8 as UTF-16LE after its byte-order mark, each LF made CRLF.
std::string ldifde_text(std::string_view utf8) {
  return utf16(utf8, true, true);
}

// The sample, with names outside ASCII (one outside the Basic Multilingual Plane) in its export.
fs::path sample_with_names() {
  const fs::path sample = copy_sample();
  std::string ldif = read_file(sample / "directory.ldif");
  const std::string from = "cn: Anna Smits";
  const auto at = ldif.find(from);
  EXPECT_NE(at, std::string::npos);
  if (at != std::string::npos) ldif.replace(at, from.size(), "cn: Anna Smíts (Straße 日本 𝄞)");
  write_file(sample / "directory.ldif", ldif);
  return sample;
}

std::set<FindingKey> findings_of(const fs::path& sample) {
  auto list = run("findings list --all --format jsonl --config '" +
                  (sample / "config.yaml").string() + "'");
  EXPECT_EQ(list.code, 0) << list.out;
  std::istringstream lines(list.out);
  return finding_keys(lines);
}

TEST(LdifEncodingScan, AUtf16ExportGivesTheFindingsOfItsUtf8Text) {
  const fs::path plain = sample_with_names();
  const fs::path wide = sample_with_names();
  write_file(wide / "directory.ldif", ldifde_text(read_file(plain / "directory.ldif")));

  for (const auto& sample : {plain, wide}) {
    auto scan = run("scan --config '" + (sample / "config.yaml").string() + "' --now 2026-06-01");
    EXPECT_EQ(scan.code, 0) << scan.out;
    EXPECT_THAT(scan.out, HasSubstr("8 people, 7 groups, complete"));
  }
  const auto expected = findings_of(plain);
  EXPECT_EQ(expected.size(), 12u);
  EXPECT_EQ(findings_of(wide), expected);
  fs::remove_all(plain);
  fs::remove_all(wide);
}

TEST(LdifEncodingScan, AnUnpairedSurrogateFailsTheScanWithItsLine) {
  const fs::path sample = copy_sample();
  std::string ldif = ldifde_text(read_file(sample / "directory.ldif"));
  ldif += std::string("\x3D\xD8", 2);  // the first half of a pair, and the file ends
  write_file(sample / "directory.ldif", ldif);
  auto scan = run("scan --config '" + (sample / "config.yaml").string() + "' --now 2026-06-01");
  EXPECT_EQ(scan.code, 3) << scan.out;
  EXPECT_THAT(scan.out, HasSubstr("directory.ldif:155: invalid UTF-16LE: unpaired surrogate "
                                  "0xD83D at offset " +
                                  std::to_string(ldif.size() - 2)));
  // What the binary prints carries none of the export's bytes raw.
  std::istringstream lines(scan.out);
  for (std::string line; std::getline(lines, line);) EXPECT_EQ(escape_terminal(line), line);
  fs::remove_all(sample);
}

}  // namespace
}  // namespace secondsight::testing
