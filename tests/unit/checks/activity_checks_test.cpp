// The checks that read activity: after-end use, unused access, use outside need-to-know, and
// the operators of a system.
#include <gmock/gmock.h>

#include "check_fixture.hpp"

namespace secondsight::checks::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// now = 2026-03-16 13:00 CET; inactivity 45 days reaches back to 2026-01-30 13:00 CET.
const char* k_people = R"(
dn: uid=gone,ou=p,dc=x
uid: gone
employeeType: contractor
departmentNumber: pay
contractEndDate: 2026-03-01

dn: uid=idle,ou=p,dc=x
uid: idle
employeeType: contractor
departmentNumber: pay
contractEndDate: 2026-12-31

dn: uid=busy,ou=p,dc=x
uid: busy
employeeType: contractor
departmentNumber: pay
contractEndDate: 2026-12-31

dn: uid=staff,ou=p,dc=x
uid: staff
employeeType: employee

dn: uid=locked,ou=p,dc=x
uid: locked
employeeType: employee
pwdAccountLockedTime: 20260101000000Z

dn: cn=pay,ou=g,dc=x
cn: pay
member: uid=gone,ou=p,dc=x
member: uid=idle,ou=p,dc=x
member: uid=busy,ou=p,dc=x
)";

activity::DayActivity day(const char* date, std::uint64_t events, const char* first,
                          const char* last) {
  return {*parse_iso_date(date), events, at(first), at(last)};
}

class ActivityChecks : public ::testing::Test {
 protected:
  ActivityChecks() {
    m_policy = contractor_policy();
    auto payments = system("payments", "cn=pay,ou=g,dc=x");
    payments.activity.push_back(config::ActivityRule{"sshd", "pay-*", "", "", "", {}});
    auto hr = system("hr", "cn=hr,ou=g,dc=x", /*deny=*/true);
    hr.activity.push_back(config::ActivityRule{"jsonl", "", "", "hr-portal", "", {}});
    auto ops = system("ops", "cn=ops,ou=g,dc=x");
    ops.activity.push_back(config::ActivityRule{"sshd", "ops-*", "", "", "", {}});
    m_policy.systems = {payments, hr, ops};
    config::Engagement engagement;
    engagement.id = "pay";
    engagement.members_when.conditions = {{"departmentNumber", {"pay"}}};
    engagement.need_to_know = {"payments"};
    m_policy.engagements = {engagement};

    m_activity.coverage_start = {{"payments", at("2025-12-01T00:00:00Z")},
                                 {"hr", at("2025-12-01T00:00:00Z")},
                                 {"ops", at("2026-02-20T00:00:00Z")}};
    // gone: used payments on the last day, and after the end; and a host no system covers.
    m_activity.days["gone"]["payments"] = {
        day("2026-03-01", 2, "2026-03-01T08:00:00Z", "2026-03-01T22:40:00Z"),
        day("2026-03-02", 1, "2026-03-02T08:12:00Z", "2026-03-02T08:12:00Z")};
    m_activity.days["gone"][""] = {
        day("2026-03-04", 1, "2026-03-04T07:05:00Z", "2026-03-04T07:05:00Z")};
    // idle: last used payments on 2026-01-29, more than 45 days ago; used ops once (outside).
    m_activity.days["idle"]["payments"] = {
        day("2026-01-29", 1, "2026-01-29T09:00:00Z", "2026-01-29T09:00:00Z")};
    m_activity.days["idle"]["ops"] = {
        day("2026-03-03", 1, "2026-03-03T15:20:00Z", "2026-03-03T15:20:00Z")};
    // busy: uses payments often; staff operates ops; locked used to.
    for (const char* d : {"2026-03-02", "2026-03-09", "2026-03-13"})
      m_activity.days["busy"]["payments"].push_back(day(
          d, 1, (std::string(d) + "T10:00:00Z").c_str(), (std::string(d) + "T10:00:00Z").c_str()));
    for (const char* d : {"2026-02-21", "2026-03-01", "2026-03-10"}) {
      m_activity.days["staff"]["ops"].push_back(day(d, 3, (std::string(d) + "T08:00:00Z").c_str(),
                                                    (std::string(d) + "T09:00:00Z").c_str()));
      m_activity.days["locked"]["ops"].push_back(day(d, 3, (std::string(d) + "T08:00:00Z").c_str(),
                                                     (std::string(d) + "T09:00:00Z").c_str()));
    }
  }

  std::vector<Finding> run(std::vector<Finding> (*check)(const Evaluation&),
                           const char* now = "2026-03-16T12:00:00Z") {
    m_snapshot = snapshot_from_ldif(k_people, openldap_directory(), m_zone);
    Evaluation evaluation(ScanInputs{m_snapshot, m_policy, at(now), m_zone, &m_activity});
    return check(evaluation);
  }

  Zone m_zone = *find_zone("Europe/Amsterdam");
  config::Policy m_policy;
  activity::ActivityView m_activity;
  directory::DirectorySnapshot m_snapshot;
};

TEST_F(ActivityChecks, ActivityAfterEndPerSystemAndUnattributed) {
  // gone's end: 2026-03-02 00:00 CET = 2026-03-01T23:00Z; the 22:40Z login is before it.
  auto findings = run(&check_activity_after_end);
  EXPECT_THAT(keys(findings), ElementsAre("gone/-/critical", "gone/payments/critical"));
  for (const auto& f : findings) {
    if (f.system == "payments") {
      EXPECT_EQ(f.evidence["activity_after_end"]["events"], 1);
      EXPECT_EQ(f.evidence["days"][0]["day"], "2026-03-02");
    }
  }
}

TEST_F(ActivityChecks, ActivityBeforeTheEndIsNoFinding) {
  m_activity.days["gone"].erase("");
  m_activity.days["gone"]["payments"].pop_back();
  EXPECT_THAT(run(&check_activity_after_end), IsEmpty());
}

TEST_F(ActivityChecks, UnusedAccessNeedsCoverageAndInactivity) {
  // idle last used payments 2026-01-29 09:00Z, before the 45-day window (2026-01-30 12:00Z).
  EXPECT_THAT(keys(run(&check_unused_access)), ElementsAre("idle/payments/medium"));
  // One day later in the past, the use falls inside the window.
  m_policy.defaults.inactivity_days = 47;
  EXPECT_THAT(run(&check_unused_access), IsEmpty());
}

TEST_F(ActivityChecks, UnusedAccessWaitsForEnoughCoverage) {
  m_activity.coverage_start["payments"] = at("2026-02-01T00:00:00Z");  // 43 days
  EXPECT_THAT(run(&check_unused_access), IsEmpty());
  m_activity.coverage_start.erase("payments");
  EXPECT_THAT(run(&check_unused_access), IsEmpty());
}

TEST_F(ActivityChecks, UnusedAccessOfAGrantNeverUsed) {
  m_activity.days.erase("idle");
  auto findings = run(&check_unused_access);
  ASSERT_THAT(keys(findings), ElementsAre("idle/payments/medium"));
  EXPECT_TRUE(findings[0].evidence["last_used"].is_null());
  EXPECT_EQ(findings[0].evidence["coverage_start"], "2025-12-01T00:00:00Z");
}

TEST_F(ActivityChecks, NeedToKnowViolationFromUseAlone) {
  auto findings = run(&check_need_to_know_violation);
  ASSERT_THAT(keys(findings), ElementsAre("idle/ops/high"));
  EXPECT_TRUE(findings[0].evidence["held"].is_null());
  EXPECT_EQ(findings[0].evidence["used"]["events"], 1);
  EXPECT_THAT(findings[0].summary, ::testing::HasSubstr("used ops"));
}

TEST_F(ActivityChecks, UseOfADeniedSystemIsCritical) {
  m_activity.days["busy"]["hr"] = {
      day("2026-03-05", 1, "2026-03-05T10:00:00Z", "2026-03-05T10:00:00Z")};
  EXPECT_THAT(keys(run(&check_need_to_know_violation)),
              ElementsAre("busy/hr/critical", "idle/ops/high"));
}

TEST_F(ActivityChecks, OperatorsAreCurrentPeopleActiveOnEnoughDays) {
  m_snapshot = snapshot_from_ldif(k_people, openldap_directory(), m_zone);
  Evaluation evaluation(
      ScanInputs{m_snapshot, m_policy, at("2026-03-16T12:00:00Z"), m_zone, &m_activity});
  std::vector<std::string> ids;
  for (const auto* person : evaluation.operators("ops")) ids.push_back(person->id);
  EXPECT_THAT(ids, ElementsAre("staff"));  // locked is disabled; idle used it once
  ids.clear();
  for (const auto* person : evaluation.operators("payments")) ids.push_back(person->id);
  EXPECT_THAT(ids, ElementsAre("busy"));
  // 90 days later nothing is recent enough.
  Evaluation later(
      ScanInputs{m_snapshot, m_policy, at("2026-06-30T12:00:00Z"), m_zone, &m_activity});
  EXPECT_THAT(later.operators("ops"), IsEmpty());
}

}  // namespace
}  // namespace secondsight::checks::testing
