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
    for (const char* flag : {" --version", " -V"}) {
      auto version = run(std::string(command) + flag);
      EXPECT_EQ(version.code, 0) << command;
      // The version, the revision it was built from (a clone has one), the day it was built.
      EXPECT_THAT(version.out,
                  ::testing::MatchesRegex("secondsight " SECONDSIGHT_VERSION
                                          " \\(revision [0-9a-f]{12}(-modified)?, built "
                                          "[0-9]{4}-[0-9]{2}-[0-9]{2}\\)\n"))
          << command;
    }
    auto help = run(std::string(command) + " --help");
    EXPECT_EQ(help.code, 0) << command;
    EXPECT_THAT(help.out, HasSubstr("Usage")) << command;
  }
}

TEST(Cli, BadUsageExitsTwoWithOneClearSentence) {
  // Without --config: $SECONDSIGHT_CONFIG, else the packaged place, named when missing.
  auto missing = run_binary("scan", "env -u SECONDSIGHT_CONFIG");
  EXPECT_EQ(missing.code, 2);
  EXPECT_THAT(missing.out, HasSubstr("/etc/secondsight/secondsight.yaml"));
  auto from_environment =
      run_binary("findings list", "SECONDSIGHT_CONFIG=/nonexistent/from-environment.yaml");
  EXPECT_EQ(from_environment.code, 2);
  EXPECT_THAT(from_environment.out, HasSubstr("/nonexistent/from-environment.yaml"));
  EXPECT_EQ(run("frobnicate").code, 2);
  EXPECT_EQ(run("scan --config x.yaml --format xml").code, 2);
  // Choices are words, in help and errors; the numbers behind them are no choice.
  auto number = run("scan --config x.yaml --format 2");
  EXPECT_EQ(number.code, 2);
  EXPECT_THAT(number.out, HasSubstr("--format: 2 not in {table,json,jsonl}"));
  auto help = run("scan --help");
  EXPECT_THAT(help.out, HasSubstr("--format table|json|jsonl"));
  EXPECT_THAT(help.out, HasSubstr("--fail-on info|low|medium|high|critical"));
  EXPECT_THAT(help.out, ::testing::Not(HasSubstr("ENUM")));
  EXPECT_EQ(run("checklist x --config x.yaml --format 1").code, 2);
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

// The scan table shows each finding's first 8 fingerprint characters; `findings ack` takes
// them.
TEST(Cli, TheScanTablesIdAcksTheFinding) {
  fs::path sample = copy_sample();
  const std::string config = " --config '" + (sample / "config.yaml").string() + "'";
  auto scan = run("scan" + config + " --now 2026-06-01");
  ASSERT_EQ(scan.code, 0) << scan.out;
  EXPECT_THAT(scan.out, HasSubstr("ID        SEVERITY  KIND"));
  std::istringstream lines(scan.out);
  std::string line, id;
  while (std::getline(lines, line))
    if (line.find("access_after_end") != std::string::npos) {
      id = line.substr(0, line.find(' '));
      break;
    }
  ASSERT_EQ(id.size(), 8u) << scan.out;
  auto ack = run("findings ack " + id + " --until 2026-12-31 --reason 'agency confirmed'" + config);
  EXPECT_EQ(ack.code, 0) << ack.out;
  EXPECT_THAT(ack.out, HasSubstr("acked " + id));
  fs::remove_all(sample);
}

// Severities in colour on a terminal (through script(1), which gives the command one), never
// under NO_COLOR nor into a pipe.
TEST(Cli, ColourOnATerminalOnlyWithoutNoColor) {
  fs::path sample = copy_sample();
  const std::string scan = "'" + std::string(SECONDSIGHT_BINARY) + "' scan --config '" +
                           (sample / "config.yaml").string() + "' --now 2026-06-01";
  const fs::path out = sample / "out";
  const auto on_terminal = [&](const std::string& environment) {
    EXPECT_EQ(
        shell(environment + " script -qec \"" + scan + "\" /dev/null >'" + out.string() + "' 2>&1"),
        0);
    return read_file(out);
  };
  EXPECT_THAT(on_terminal("env -u NO_COLOR TERM=xterm"), HasSubstr("\x1b[1;31mCRITICAL"));
  EXPECT_THAT(on_terminal("NO_COLOR=1 TERM=xterm"), ::testing::Not(HasSubstr("\x1b[")));
  EXPECT_THAT(run("scan --config '" + (sample / "config.yaml").string() + "' --now 2026-06-01").out,
              ::testing::Not(HasSubstr("\x1b[")));
  fs::remove_all(sample);
}

}  // namespace
}  // namespace secondsight::testing
