// One notice window, in local calendar days: the check that says an engagement is ending and
// the scan's choice of who gets a checklist open at the same instant, also across a
// daylight-saving change.
#include <gmock/gmock.h>

#include <sstream>

#include "fixtures/scenario.hpp"
#include "secondsight/app/commands.hpp"

namespace secondsight::testing {
namespace {

// Lena's engagement ends 2026-04-13: her rights end at 2026-04-14 00:00 CEST (22:00 UTC). Thirty
// local days before is 2026-03-15 00:00 CET (2026-03-14T23:00Z): Amsterdam moves to summer
// time on 2026-03-29 in between, so thirty 24-hour days would open the window an hour earlier.
constexpr const char* k_directory = R"(version: 1

dn: ou=people,dc=dst,dc=example
objectClass: organizationalUnit
ou: people

dn: uid=lena,ou=people,dc=dst,dc=example
objectClass: inetOrgPerson
uid: lena
cn: Lena Brandt
sn: Brandt
employeeType: contractor
o: Uitzend IT
endDate: 2026-04-13

dn: uid=tom,ou=people,dc=dst,dc=example
objectClass: inetOrgPerson
uid: tom
cn: Tom Kok
sn: Kok
employeeType: employee

dn: cn=app,ou=groups,dc=dst,dc=example
objectClass: groupOfNames
cn: app
member: uid=lena,ou=people,dc=dst,dc=example
member: uid=tom,ou=people,dc=dst,dc=example
)";

constexpr const char* k_config = R"yaml(state_dir: state
policies: policies
timezone: Europe/Amsterdam
directory:
  uri: ldif:directory.ldif
  flavor: openldap
  people: { base: "ou=people,dc=dst,dc=example", filter: "(objectClass=inetOrgPerson)" }
  groups: { base: "ou=groups,dc=dst,dc=example", filter: "(objectClass=groupOfNames)" }
  attributes:
    end_date: { attribute: endDate, format: iso_date }
)yaml";

constexpr const char* k_policy = R"(defaults:
  notice_days: 30
staff:
  seconded_when: { employeeType: contractor }
systems:
  - { id: app, criticality: low, groups: ["cn=app,ou=groups,dc=dst,dc=example"] }
engagements:
  - { id: migration, members: [lena], need_to_know: [app] }
)";

class NoticeWindow : public ::testing::Test {
 protected:
  void SetUp() override {
    m_company = write_company("notice", {{"directory.ldif", k_directory},
                                         {"config.yaml", k_config},
                                         {"policies/p.yaml", k_policy}});
  }
  void TearDown() override { fs::remove_all(m_company); }

  // The kinds of the open findings on lena after a scan at `now`.
  std::set<std::string> scan(const char* now) {
    std::ostringstream out, err;
    app::ScanOptions options{m_company / "config.yaml", now, app::OutputFormat::jsonl,
                             std::nullopt};
    EXPECT_EQ(app::command_scan(options, out, err), app::k_exit_ok) << err.str();
    std::set<std::string> kinds;
    std::istringstream in(out.str());
    std::string line;
    while (std::getline(in, line)) {
      const auto finding = nlohmann::json::parse(line);
      if (finding["person"] == "lena") kinds.insert(finding["kind"].get<std::string>());
    }
    return kinds;
  }
  bool has_checklist() const { return fs::exists(m_company / "state/checklists/lena.md"); }

  fs::path m_company;
};

TEST_F(NoticeWindow, OpensAtTheSameLocalMidnightForTheCheckAndTheChecklist) {
  EXPECT_THAT(scan("2026-03-14T22:00:00Z"), ::testing::IsEmpty());  // 30 × 24 hours before
  EXPECT_FALSE(has_checklist());
  EXPECT_THAT(scan("2026-03-14T22:59:59Z"), ::testing::IsEmpty());
  EXPECT_FALSE(has_checklist());
  EXPECT_THAT(scan("2026-03-14T23:00:00Z"), ::testing::ElementsAre("engagement_ending"));
  EXPECT_TRUE(has_checklist());
}

TEST_F(NoticeWindow, DaysLeftCountLocalCalendarDays) {
  std::ostringstream out, err;
  app::ScanOptions options{m_company / "config.yaml", "2026-04-13T21:59:00Z",
                           app::OutputFormat::jsonl, std::nullopt};
  ASSERT_EQ(app::command_scan(options, out, err), app::k_exit_ok) << err.str();
  // 23:59 CEST on her last day: the rights end at the next midnight, one day on the calendar.
  EXPECT_THAT(out.str(), ::testing::HasSubstr("\"days_left\":1"));
  EXPECT_THAT(out.str(), ::testing::HasSubstr("(1 day left)"));
}

}  // namespace
}  // namespace secondsight::testing
