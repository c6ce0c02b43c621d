// The real binary: exit codes, --help and --version on every command, one-sentence errors.
#include <gmock/gmock.h>

#include "fixtures/scenario.hpp"

namespace secondsight::testing {
namespace {

using ::testing::HasSubstr;

Process run(const std::string& arguments) {
  return run_binary(arguments);
}

TEST(Cli, VersionAndHelpOnEveryCommand) {
  for (const char* command : {"", "scan", "policy", "policy check", "findings", "findings list"}) {
    auto version = run(std::string(command) + " --version");
    EXPECT_EQ(version.code, 0) << command;
    EXPECT_THAT(version.out, HasSubstr(SECONDSIGHT_VERSION)) << command;
    auto help = run(std::string(command) + " --help");
    EXPECT_EQ(help.code, 0) << command;
    EXPECT_THAT(help.out, HasSubstr("Usage")) << command;
  }
}

TEST(Cli, BadUsageExitsTwoWithOneClearSentence) {
  auto missing = run("scan");
  EXPECT_EQ(missing.code, 2);
  EXPECT_THAT(missing.out, HasSubstr("--config is required"));
  EXPECT_EQ(run("frobnicate").code, 2);
  EXPECT_EQ(run("scan --config x.yaml --format xml").code, 2);
  EXPECT_EQ(run("scan --config x.yaml --fail-on severe").code, 2);
  auto no_file = run("scan --config /nonexistent/secondsight.yaml");
  EXPECT_EQ(no_file.code, 2);
  EXPECT_THAT(no_file.out, HasSubstr("/nonexistent/secondsight.yaml"));
  EXPECT_THAT(no_file.out, ::testing::Not(HasSubstr("terminate")));
}

TEST(Cli, ScanOfTheSamplePrintsATable) {
  fs::path sample = copy_sample();
  auto scan = run("scan --config '" + (sample / "config.yaml").string() + "' --now 2026-06-01");
  EXPECT_EQ(scan.code, 0) << scan.out;
  EXPECT_THAT(scan.out, HasSubstr("CRITICAL  access_after_end"));
  EXPECT_THAT(scan.out,
              HasSubstr("12 open findings: 5 critical, 5 high, 1 medium, 1 info; 12 new"));
  EXPECT_THAT(scan.out, HasSubstr("8 people, 7 groups, complete"));
  EXPECT_THAT(scan.out, HasSubstr("logs/platform.jsonl (jsonl): 11 lines, 10 events, 1 skipped, "
                                  "1 unresolved, 0 unattributed"));
  // The state database is private to the service.
  auto mode = fs::status(sample / "state" / "secondsight.db").permissions();
  EXPECT_EQ(mode & (fs::perms::group_all | fs::perms::others_all), fs::perms::none);
  fs::remove_all(sample);
}

}  // namespace
}  // namespace secondsight::testing
