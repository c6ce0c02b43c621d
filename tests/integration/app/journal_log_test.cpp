// Under systemd, stderr is the journal's stream (JOURNAL_STREAM names it): each message is then
// one line that starts with its syslog priority, which journald takes as the entry's priority.
// Anywhere else the lines are for people.
#include <gmock/gmock.h>
#include <sys/stat.h>

#include <regex>

#include "fixtures/scenario.hpp"

namespace secondsight::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

class JournalLog : public ::testing::Test {
 protected:
  void SetUp() override { m_sample = copy_sample(); }
  void TearDown() override { fs::remove_all(m_sample); }

  // Runs the binary with stderr appended to `file`, JOURNAL_STREAM naming `stream`'s device
  // and inode (empty: unset).
  std::string run(const std::string& arguments, const fs::path& stream) {
    const fs::path file = m_sample / "stderr.log";
    fs::remove(file);
    write_file(file, "");
    std::string environment;
    if (!stream.empty()) {
      struct stat status {};
      EXPECT_EQ(::stat(stream.c_str(), &status), 0);
      environment = "JOURNAL_STREAM=" + std::to_string(status.st_dev) + ":" +
                    std::to_string(status.st_ino) + " ";
    }
    shell(environment + "'" SECONDSIGHT_BINARY "' " + arguments + " >/dev/null 2>>'" +
          file.string() + "'");
    return read_file(file);
  }
  std::string config() const { return "--config '" + (m_sample / "config.yaml").string() + "'"; }

  fs::path m_sample;
};

TEST_F(JournalLog, EachMessageIsOneLineWithItsPriority) {
  const std::string log =
      run("scan --log-level debug --now 2026-06-01 " + config(), m_sample / "stderr.log");
  const auto lines = lines_of(log);
  ASSERT_GT(lines.size(), 3u) << log;
  static const std::regex entry(
      R"(<([0-7])>(trace|debug|info|warning|error|critical): \[[a-z_]+\] .*)");
  bool info = false, debug = false;
  for (const auto& line : lines) {
    std::smatch match;
    ASSERT_TRUE(std::regex_match(line, match, entry)) << line;
    const std::string priority = match[1], level = match[2];
    if (level == "info") {
      EXPECT_EQ(priority, "6") << line;
      info = true;
    }
    if (level == "debug") {
      EXPECT_EQ(priority, "7") << line;
      debug = true;
    }
  }
  EXPECT_TRUE(info && debug) << log;
  EXPECT_THAT(log, Not(HasSubstr("secondsight: info:")));  // no second copy for people
}

TEST_F(JournalLog, ADaemonThatCannotStartSaysWhyAtErrorPriority) {
  const std::string log = run("daemon --config '" + (m_sample / "missing.yaml").string() + "'",
                              m_sample / "stderr.log");
  const auto lines = lines_of(log);
  ASSERT_FALSE(lines.empty());
  for (const auto& line : lines) EXPECT_THAT(line, ::testing::StartsWith("<3>")) << log;
  EXPECT_THAT(log, HasSubstr("missing.yaml"));
}

TEST_F(JournalLog, AnotherStreamOrNoneGetsLinesForPeople) {
  write_file(m_sample / "elsewhere", "");
  for (const fs::path& stream : {m_sample / "elsewhere", fs::path()}) {
    const std::string log = run("scan --log-level info --now 2026-06-01 " + config(), stream);
    EXPECT_THAT(log, HasSubstr("secondsight: info: [")) << stream;
    EXPECT_THAT(log, Not(::testing::ContainsRegex("(^|\n)<[0-7]>"))) << stream;
  }
}

}  // namespace
}  // namespace secondsight::testing
