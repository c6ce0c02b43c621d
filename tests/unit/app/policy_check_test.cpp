// `secondsight policy check`: every problem at its FILE:LINE:COL, warnings from the directory.
#include <gmock/gmock.h>

#include "fixtures/scenario.hpp"
#include "secondsight/app/commands.hpp"

namespace secondsight::testing {
namespace {

using ::testing::HasSubstr;

struct Checked {
  int code;
  std::string out;
};

Checked check(const fs::path& config) {
  std::ostringstream out, err;
  int code = app::command_policy_check(config, out, err);
  return {code, out.str() + err.str()};
}

class PolicyCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = copy_sample();
    m_policy = m_dir / "policies" / "noordzee.yaml";
    m_text = read_file(m_policy);
  }
  void TearDown() override { fs::remove_all(m_dir); }

  void replace(const std::string& from, const std::string& to) {
    auto at = m_text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    m_text.replace(at, from.size(), to);
    write_file(m_policy, m_text);
  }

  fs::path m_dir;
  fs::path m_policy;
  std::string m_text;
};

TEST_F(PolicyCheck, TheSampleIsClean) {
  auto result = check(m_dir / "config.yaml");
  EXPECT_EQ(result.code, 0);
  EXPECT_EQ(result.out, (m_dir / "config.yaml").string() + ": 0 errors, 0 warnings\n");
}

TEST_F(PolicyCheck, AnUnknownKeyIsAnErrorAtItsPlace) {
  replace("    groups: [\"cn=analytics", "    grups: [\"cn=analytics");
  auto result = check(m_dir / "config.yaml");
  EXPECT_EQ(result.code, 2);
  EXPECT_THAT(result.out,
              HasSubstr(m_policy.string() +
                        ":21:5: error: unknown key 'grups' in system (expected one of: id, name, "
                        "criticality, externals, groups, activity, repositories, docs); did you "
                        "mean 'groups'?\n"));
}

TEST_F(PolicyCheck, AnUnknownSystemInNeedToKnow) {
  replace("need_to_know: [billing, intranet]", "need_to_know: [biling, intranet]");
  auto result = check(m_dir / "config.yaml");
  EXPECT_EQ(result.code, 2);
  EXPECT_EQ(result.out, m_policy.string() +
                            ":41:20: error: unknown system 'biling' in need_to_know (known: "
                            "scada, grid-analytics, billing, intranet); did you mean 'billing'?\n" +
                            (m_dir / "config.yaml").string() + ": 1 error, 0 warnings\n");
}

TEST_F(PolicyCheck, AGroupThatMatchesNothingInTheDirectoryIsAWarning) {
  replace("cn=billing-dev,ou=Groups", "cn=billing-devs,ou=Groups");
  auto result = check(m_dir / "config.yaml");
  EXPECT_EQ(result.code, 0);
  EXPECT_THAT(result.out,
              HasSubstr(m_policy.string() +
                        ":28:14: warning: group 'cn=billing-devs,ou=Groups,o=noordzee-energie' of "
                        "system 'billing' matches no group in the directory"));
  EXPECT_THAT(result.out, HasSubstr("0 errors, 1 warning\n"));
}

TEST_F(PolicyCheck, GroupDnsCompareCaseAndSpacingInsensitively) {
  replace("cn=billing-dev,ou=Groups,o=noordzee-energie",
          "CN=Billing-Dev, OU=groups, O=Noordzee-Energie");
  EXPECT_EQ(check(m_dir / "config.yaml").out,
            (m_dir / "config.yaml").string() + ": 0 errors, 0 warnings\n");
}

TEST_F(PolicyCheck, ABadFilterIsAnErrorAtTheFilter) {
  std::string config = read_file(m_dir / "config.yaml");
  config.replace(config.find("(|(objectClass=groupOfNames)"), 28, "(|(objectClass=groupOfNames");
  write_file(m_dir / "config.yaml", config);
  auto result = check(m_dir / "config.yaml");
  EXPECT_EQ(result.code, 2);
  EXPECT_THAT(result.out,
              HasSubstr((m_dir / "config.yaml").string() + ":10:59: error: bad LDAP filter"));
}

// Config and policy problems in one pass: an error in the config does not hide the policies'.
TEST_F(PolicyCheck, ConfigAndPolicyProblemsTogether) {
  const fs::path config = m_dir / "config.yaml";
  std::string text = read_file(config);
  const std::string zone = "timezone: Europe/Amsterdam";
  ASSERT_NE(text.find(zone), std::string::npos);
  text.replace(text.find(zone), zone.size(), "timezone: Europe/Atlantis");
  write_file(config, text);
  replace("    groups: [\"cn=analytics", "    grups: [\"cn=analytics");
  auto result = check(config);
  EXPECT_EQ(result.code, 2);
  EXPECT_THAT(result.out, HasSubstr(config.string() + ":5:11: error:"));
  EXPECT_THAT(result.out, HasSubstr(m_policy.string() + ":21:5: error: unknown key 'grups'"));
  EXPECT_THAT(result.out, HasSubstr(": 2 errors"));
}

// What a scan would fail to read is a warning ahead of it: log files, journal folders and
// repositories that are not there or cannot be read.
TEST_F(PolicyCheck, WarnsAboutInputsThatAreNotThere) {
  const fs::path config = m_dir / "config.yaml";
  std::string text = read_file(config);
  text +=
      "  - { path: logs/gone.log, format: sshd }\n"
      "  - { path: journal-folder, format: journal }\n";
  write_file(config, text);

  const std::string system = "  - id: scada\n";
  ASSERT_NE(m_text.find(system), std::string::npos);
  m_text.insert(m_text.find(system) + system.size(), "    repositories: [git/scada-gone.git]\n");
  write_file(m_policy, m_text);
  auto result = check(config);
  EXPECT_EQ(result.code, 0) << result.out;
  EXPECT_THAT(result.out, HasSubstr("warning: the log file " + (m_dir / "logs/gone.log").string() +
                                    " does not exist"));
  EXPECT_THAT(result.out, HasSubstr("warning: the journal folder " +
                                    (m_dir / "journal-folder").string() + " does not exist"));
  EXPECT_THAT(result.out, HasSubstr("warning: the repository of system 'scada', " +
                                    (m_dir / "git/scada-gone.git").string() + " does not exist"));
  EXPECT_THAT(result.out, HasSubstr("0 errors, 3 warnings"));
}

}  // namespace
}  // namespace secondsight::testing
