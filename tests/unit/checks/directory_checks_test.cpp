// The directory checks, each on small data of its own.
#include <gmock/gmock.h>

#include "check_fixture.hpp"

namespace secondsight::checks::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// now = 2026-03-16 13:00 CET. People by the shape of their engagement.
const char* k_company = R"(
dn: uid=ended,ou=p,dc=x
uid: ended
employeeType: contractor
o: Flexforce
departmentNumber: payments
contractEndDate: 2026-02-28

dn: uid=ended-clean,ou=p,dc=x
uid: ended-clean
employeeType: contractor
contractEndDate: 2026-02-28
pwdAccountLockedTime: 20260301000000Z

dn: uid=ended-disabled-grants,ou=p,dc=x
uid: ended-disabled-grants
employeeType: contractor
departmentNumber: payments
contractEndDate: 2026-02-28
pwdAccountLockedTime: 20260301000000Z

dn: uid=ending,ou=p,dc=x
uid: ending
employeeType: seconded
departmentNumber: payments
contractEndDate: 2026-04-15

dn: uid=later,ou=p,dc=x
uid: later
employeeType: contractor
departmentNumber: payments
contractEndDate: 2026-04-16

dn: uid=no-end,ou=p,dc=x
uid: no-end
employeeType: contractor
departmentNumber: payments

dn: uid=bad-end,ou=p,dc=x
uid: bad-end
employeeType: contractor
contractEndDate: 31-12-2026

dn: uid=no-end-disabled,ou=p,dc=x
uid: no-end-disabled
employeeType: contractor
pwdAccountLockedTime: 20260301000000Z

dn: uid=employee,ou=p,dc=x
uid: employee
employeeType: employee

dn: uid=floater,ou=p,dc=x
uid: floater
employeeType: contractor
mail: floater@agency.example
contractEndDate: 2026-12-31

dn: cn=pay,ou=g,dc=x
cn: pay
member: uid=ended,ou=p,dc=x
member: uid=ended-disabled-grants,ou=p,dc=x
member: uid=ending,ou=p,dc=x
member: uid=employee,ou=p,dc=x
member: uid=floater,ou=p,dc=x

dn: cn=hr,ou=g,dc=x
cn: hr
member: uid=ending,ou=p,dc=x
member: uid=employee,ou=p,dc=x

dn: cn=ops,ou=g,dc=x
cn: ops
member: uid=later,ou=p,dc=x
member: uid=floater,ou=p,dc=x
)";

class DirectoryChecks : public ::testing::Test {
 protected:
  DirectoryChecks() {
    m_policy = contractor_policy();
    m_policy.systems = {system("payments", "cn=pay,ou=g,dc=x"),
                        system("hr", "cn=hr,ou=g,dc=x", /*deny=*/true),
                        system("ops", "cn=ops,ou=g,dc=x")};
    config::Engagement engagement;
    engagement.id = "payments-rebuild";
    engagement.members_when.conditions = {{"departmentNumber", {"PAYMENTS"}}};
    engagement.need_to_know = {"payments"};
    config::Engagement by_name;
    by_name.id = "ops-support";
    by_name.members = {"SMTP:Floater@Agency.example"};
    by_name.need_to_know = {"ops"};
    m_policy.engagements = {engagement, by_name};
  }

  std::vector<Finding> run(std::vector<Finding> (*check)(const Evaluation&),
                           const char* now = "2026-03-16T12:00:00Z") {
    m_snapshot = snapshot_from_ldif(k_company, openldap_directory(), m_zone);
    Evaluation evaluation(ScanInputs{m_snapshot, m_policy, at(now), m_zone});
    return check(evaluation);
  }

  Zone m_zone = *find_zone("Europe/Amsterdam");
  config::Policy m_policy;
  directory::DirectorySnapshot m_snapshot;
};

TEST_F(DirectoryChecks, AccessAfterEnd) {
  auto findings = run(&check_access_after_end);
  EXPECT_THAT(keys(findings), ElementsAre("ended-disabled-grants/-/critical", "ended/-/critical"));
  const auto& ended = findings[0].person == "ended" ? findings[0] : findings[1];
  EXPECT_EQ(ended.evidence["end"], "2026-02-28T23:00:00Z");
  EXPECT_EQ(ended.evidence["agency"], "Flexforce");
  EXPECT_EQ(ended.evidence["account"], "enabled");
  EXPECT_EQ(ended.evidence["grants"][0]["system"], "payments");
  EXPECT_EQ(ended.evidence["grants"][0]["group_paths"][0][0], "cn=pay,ou=g,dc=x");
  EXPECT_THAT(ended.summary, ::testing::HasSubstr("an enabled account and grants to payments"));
}

TEST_F(DirectoryChecks, AccessAfterEndStartsAtLocalMidnightAfterTheLastDay) {
  // 2026-02-28 ends at 2026-03-01 00:00 CET = 2026-02-28T23:00Z.
  EXPECT_THAT(run(&check_access_after_end, "2026-02-28T22:59:59Z"), IsEmpty());
  EXPECT_EQ(run(&check_access_after_end, "2026-02-28T23:00:00Z").size(), 2u);
}

TEST_F(DirectoryChecks, GraceDaysPostponeTheEnd) {
  m_policy.defaults.grace_days_after_end = 16;  // to 2026-03-17 00:00 CET
  EXPECT_THAT(run(&check_access_after_end), IsEmpty());
  m_policy.defaults.grace_days_after_end = 15;
  EXPECT_EQ(run(&check_access_after_end).size(), 2u);
}

TEST_F(DirectoryChecks, MissingEndDate) {
  auto findings = run(&check_missing_end_date);
  EXPECT_THAT(keys(findings), ElementsAre("bad-end/-/high", "no-end/-/high"));
  const auto& bad = findings[0].person == "bad-end" ? findings[0] : findings[1];
  EXPECT_THAT(bad.evidence["end_date_problem"].get<std::string>(),
              ::testing::HasSubstr("'31-12-2026'"));
}

TEST_F(DirectoryChecks, EngagementEndingWithinNoticeDays) {
  // ending's end is 2026-04-16 00:00 CEST; now + 30 days is 2026-04-15 13:00 CEST.
  m_policy.defaults.notice_days = 31;
  EXPECT_THAT(keys(run(&check_engagement_ending)), ElementsAre("ending/-/info"));
  m_policy.defaults.notice_days = 30;
  EXPECT_THAT(run(&check_engagement_ending), IsEmpty());
  m_policy.defaults.notice_days = 32;
  EXPECT_THAT(keys(run(&check_engagement_ending)), ElementsAre("ending/-/info", "later/-/info"));
  // Past the end is no longer "ending".
  EXPECT_THAT(run(&check_engagement_ending, "2026-04-17T00:00:00Z"), IsEmpty());
}

TEST_F(DirectoryChecks, EngagementEndingIncludesTheBoundary) {
  m_policy.defaults.notice_days = 1;
  // ending's end is 2026-04-15T22:00Z; one local day before that instant it is in notice.
  EXPECT_THAT(keys(run(&check_engagement_ending, "2026-04-14T22:00:00Z")),
              ElementsAre("ending/-/info"));
  EXPECT_THAT(run(&check_engagement_ending, "2026-04-14T21:59:59Z"), IsEmpty());
  // At ending's end itself it is still ending, and later's end is now exactly a day away.
  EXPECT_THAT(keys(run(&check_engagement_ending, "2026-04-15T22:00:00Z")),
              ElementsAre("ending/-/info", "later/-/info"));
}

TEST_F(DirectoryChecks, NeedToKnowViolationsForHeldGrants) {
  auto findings = run(&check_need_to_know_violation);
  // ending holds hr (deny); later holds ops outside payments-rebuild; floater is listed in
  // ops-support by alias and holds payments outside it; employees are never findings.
  EXPECT_THAT(keys(findings),
              ElementsAre("ending/hr/critical", "floater/payments/high", "later/ops/high"));
  for (const auto& f : findings) {
    if (f.person == "ending") {
      EXPECT_EQ(f.evidence["externals"], "deny");
      EXPECT_EQ(f.evidence["held"]["group_paths"][0][0], "cn=hr,ou=g,dc=x");
    }
  }
}

TEST_F(DirectoryChecks, DenyOverridesNeedToKnow) {
  m_policy.engagements[0].need_to_know.push_back("hr");
  EXPECT_THAT(keys(run(&check_need_to_know_violation)), ::testing::Contains("ending/hr/critical"));
}

TEST_F(DirectoryChecks, SecondedInNoEngagementHasAnEmptyNeedToKnow) {
  m_policy.engagements.clear();
  EXPECT_THAT(keys(run(&check_need_to_know_violation)),
              ElementsAre("ended-disabled-grants/payments/high", "ended/payments/high",
                          "ending/hr/critical", "ending/payments/high", "floater/ops/high",
                          "floater/payments/high", "later/ops/high"));
}

TEST_F(DirectoryChecks, EvaluateSortsBySeverityThenKind) {
  m_snapshot = snapshot_from_ldif(k_company, openldap_directory(), m_zone);
  Evaluation evaluation(ScanInputs{m_snapshot, m_policy, at("2026-03-16T12:00:00Z"), m_zone});
  auto findings = evaluate(evaluation);
  ASSERT_FALSE(findings.empty());
  for (std::size_t i = 1; i < findings.size(); ++i)
    EXPECT_GE(findings[i - 1].severity, findings[i].severity);
  EXPECT_EQ(findings.front().kind, "access_after_end");
}

TEST(Fingerprint, StableAndDistinct) {
  Finding a{"access_after_end", Severity::critical, "frank", std::nullopt, "", {}};
  Finding b = a;
  b.severity = Severity::high;
  b.summary = "other words";
  EXPECT_EQ(a.fingerprint(), b.fingerprint());
  EXPECT_EQ(a.fingerprint().size(), 32u);
  Finding c = a;
  c.system = "";
  EXPECT_NE(a.fingerprint(), c.fingerprint());
  Finding d = a;
  d.person = "frank2";
  EXPECT_NE(a.fingerprint(), d.fingerprint());
}

}  // namespace
}  // namespace secondsight::checks::testing
