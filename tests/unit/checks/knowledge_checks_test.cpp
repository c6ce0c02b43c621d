// The knowledge checks: single points of knowledge and missing handovers, on histories built
// by hand (the git reading has its own tests) and activity for the operators.
#include <gmock/gmock.h>

#include "check_fixture.hpp"
#include "secondsight/checks/knowledge.hpp"

namespace secondsight::checks::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// now = 2026-03-16; petra leaves within notice, frank left 16 days ago, old left in 2025.
const char* k_people = R"(
dn: uid=petra,ou=p,dc=x
uid: petra
mail: petra@x.example
employeeType: contractor
o: RouteWorks
contractEndDate: 2026-04-08
manager: uid=boss,ou=p,dc=x

dn: uid=frank,ou=p,dc=x
uid: frank
employeeType: contractor
contractEndDate: 2026-02-28

dn: uid=nina,ou=p,dc=x
uid: nina
employeeType: contractor
contractEndDate: 2026-12-31

dn: uid=dave,ou=p,dc=x
uid: dave
mail: dave@x.example
mail: d.visser@home.example
employeeType: employee

dn: uid=alice,ou=p,dc=x
uid: alice
employeeType: employee

dn: uid=boss,ou=p,dc=x
uid: boss
employeeType: employee

dn: uid=oscar,ou=p,dc=x
uid: oscar
mail: oscar@x.example
employeeType: employee
pwdAccountLockedTime: 20250101000000Z

dn: cn=planners,ou=g,dc=x
cn: planners
member: uid=petra,ou=p,dc=x
member: uid=alice,ou=p,dc=x
)";

knowledge::FileHistory file(std::string path, int creator,
                            std::vector<knowledge::FileChanges> changes = {}) {
  return {std::move(path), creator, std::move(changes)};
}

// petra wrote the code and the guide; dave fixed the guide twice from two addresses (not
// enough to be an author); oscar, gone, wrote the old module; a stranger vendored a library.
knowledge::History planner_history() {
  knowledge::History h;
  h.repository = "planner.git";
  h.head = std::string(40, 'a');
  h.identities = {{"Petra", "PETRA@x.example"},
                  {"Dave Visser", "dave@x.example"},
                  {"Dave", "d.visser@home.example"},
                  {"Oscar", "oscar@x.example"},
                  {"Stranger", "someone@elsewhere.example"}};
  h.files = {file("README.md", 0),    file("docs/guide.md", 0, {{0, 3}, {1, 1}, {2, 1}}),
             file("src/old.py", 3),   file("src/solver.py", 0, {{0, 5}}),
             file("src/route.py", 0), file("vendor/lib/x.js", 4)};
  return h;
}

activity::DayActivity day(const char* date) {
  const std::string d(date);
  return {*parse_iso_date(date), 2, at((d + "T09:00:00Z").c_str()), at((d + "T10:00:00Z").c_str())};
}

class KnowledgeChecks : public ::testing::Test {
 protected:
  KnowledgeChecks() {
    m_policy = contractor_policy();
    m_policy.defaults.min_knowledge_holders = 2;
    auto planner = system("planner", "cn=planners,ou=g,dc=x");
    planner.criticality = config::Criticality::critical;
    planner.repositories = {"planner.git"};
    planner.docs = {"docs/**", "**/*.md"};
    planner.activity.push_back(config::ActivityRule{"jsonl", "", "", "planner", "", {}});
    m_policy.systems = {planner};
    m_histories["planner.git"] = planner_history();
    m_activity.coverage_start = {{"planner", at("2025-12-01T00:00:00Z")}};
  }

  std::vector<Finding> run(std::vector<Finding> (*check)(const Evaluation&),
                           const char* now = "2026-03-16T12:00:00Z") {
    m_snapshot = snapshot_from_ldif(k_people, openldap_directory(), m_zone);
    m_map = build_knowledge_map(m_policy, m_snapshot, m_histories);
    m_evaluation.emplace(
        ScanInputs{m_snapshot, m_policy, at(now), m_zone, &m_activity, &m_map, &m_handovers});
    return check(*m_evaluation);
  }

  void operate(const char* person, std::initializer_list<const char*> days) {
    for (const char* d : days) m_activity.days[person]["planner"].push_back(day(d));
  }

  Zone m_zone = *find_zone("Europe/Amsterdam");
  config::Policy m_policy;
  std::map<std::string, knowledge::History> m_histories;
  activity::ActivityView m_activity;
  std::vector<knowledge::HandoverRecord> m_handovers;
  directory::DirectorySnapshot m_snapshot;
  KnowledgeMap m_map;
  std::optional<Evaluation> m_evaluation;
};

TEST_F(KnowledgeChecks, IdentitiesResolveThroughAliasesAndTheRestStayApart) {
  run(&check_single_point_of_knowledge);
  const auto& code = m_map.systems.at("planner");
  EXPECT_THAT(code.persons, ElementsAre("dave", "oscar", "petra"));
  // dave's two addresses are one author; vendored files do not count.
  EXPECT_EQ(code.changes.at("dave"), 2);
  EXPECT_EQ(code.files.size(), 5u);
  EXPECT_THAT(code.docs_touched.at("petra"), ElementsAre("README.md", "docs/guide.md"));
  EXPECT_THAT(code.docs_touched.at("dave"), ElementsAre("docs/guide.md"));
}

TEST_F(KnowledgeChecks, OneSecondedHolderIsCritical) {
  auto findings = run(&check_single_point_of_knowledge);
  ASSERT_EQ(findings.size(), 1u);
  const auto& f = findings[0];
  EXPECT_EQ(f.kind, "single_point_of_knowledge");
  EXPECT_EQ(f.severity, Severity::critical);
  EXPECT_FALSE(f.person);
  EXPECT_EQ(*f.system, "planner");
  const auto& holders = f.evidence["holders"];
  ASSERT_EQ(holders.size(), 1u);
  EXPECT_EQ(holders[0]["person"], "petra");
  EXPECT_EQ(holders[0]["files"], 4);  // not oscar's old module: he is gone
  EXPECT_DOUBLE_EQ(holders[0]["share"].get<double>(), 0.8);
  EXPECT_DOUBLE_EQ(holders[0]["lost_if_leaving"].get<double>(), 0.8);
  EXPECT_EQ(holders[0]["if_leaving"], "if petra leaves: 80% of files lose their last author");
  EXPECT_EQ(f.evidence["files"], 5);
  EXPECT_EQ(f.evidence["truck_factor"], 1);
  EXPECT_EQ(f.evidence["repositories"][0]["head"], std::string(40, 'a'));
}

TEST_F(KnowledgeChecks, AnEmployeeWhoOperatesItIsASecondHolder) {
  operate("alice", {"2026-02-01", "2026-02-15", "2026-03-10"});
  EXPECT_THAT(run(&check_single_point_of_knowledge), IsEmpty());
}

TEST_F(KnowledgeChecks, TooFewActiveDaysMakeNoOperator) {
  operate("alice", {"2026-02-01", "2026-03-10"});
  EXPECT_THAT(keys(run(&check_single_point_of_knowledge)), ElementsAre("-/planner/critical"));
}

TEST_F(KnowledgeChecks, ADisabledOperatorHoldsNothing) {
  operate("oscar", {"2026-02-01", "2026-02-15", "2026-03-10"});
  EXPECT_THAT(keys(run(&check_single_point_of_knowledge)), ElementsAre("-/planner/critical"));
}

TEST_F(KnowledgeChecks, OneEmployeeHolderIsHigh) {
  m_histories["planner.git"].identities[0] = {"Alice", "alice"};
  auto findings = run(&check_single_point_of_knowledge);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].severity, Severity::high);
  EXPECT_EQ(findings[0].evidence["holders"][0]["person"], "alice");
}

TEST_F(KnowledgeChecks, NoHolderAtAllIsAFindingToo) {
  m_histories["planner.git"].identities[0] = {"Someone", "someone@old.example"};
  auto findings = run(&check_single_point_of_knowledge);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].severity, Severity::high);
  EXPECT_TRUE(findings[0].evidence["holders"].empty());
  EXPECT_EQ(findings[0].evidence["truck_factor"], 0);
}

TEST_F(KnowledgeChecks, LowCriticalityAndUnmeasurableSystemsAreLeftOut) {
  m_policy.systems[0].criticality = config::Criticality::low;
  EXPECT_THAT(run(&check_single_point_of_knowledge), IsEmpty());
  m_policy.systems[0].criticality = config::Criticality::normal;
  m_policy.systems[0].repositories.clear();
  m_policy.systems[0].activity.clear();
  EXPECT_THAT(run(&check_single_point_of_knowledge), IsEmpty());
}

TEST_F(KnowledgeChecks, ASystemWhoseHistoryIsMissingHasNoCodeKnowledge) {
  m_histories.clear();
  operate("petra", {"2026-02-01", "2026-02-15", "2026-03-10"});
  auto findings = run(&check_single_point_of_knowledge);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].evidence["holders"][0]["person"], "petra");
  EXPECT_EQ(findings[0].evidence["holders"][0]["operator"], true);
  EXPECT_TRUE(findings[0].evidence["truck_factor"].is_null());
}

TEST_F(KnowledgeChecks, HandoverMissingWithinNotice) {
  auto findings = run(&check_handover_missing);
  ASSERT_EQ(findings.size(), 1u);
  const auto& f = findings[0];
  EXPECT_EQ(f.kind, "handover_missing");
  EXPECT_EQ(f.severity, Severity::high);
  EXPECT_EQ(*f.person, "petra");
  EXPECT_EQ(*f.system, "planner");
  EXPECT_EQ(f.evidence["docs_touched"], nlohmann::json({"README.md", "docs/guide.md"}));
  EXPECT_EQ(f.evidence["truck_factor"], 1);
  EXPECT_EQ(f.evidence["truck_factor_without"], 0);
  // Nobody else holds it: dave changed its code, alice has access to it.
  const auto& receivers = f.evidence["suggested_receivers"];
  ASSERT_EQ(receivers.size(), 2u);
  EXPECT_EQ(receivers[0]["person"], "dave");
  EXPECT_EQ(receivers[1]["person"], "alice");
  EXPECT_THAT(f.summary, ::testing::HasSubstr("petra (RouteWorks) holds planner"));
}

TEST_F(KnowledgeChecks, AHolderWhoOperatesIsTheSuggestedReceiver) {
  operate("alice", {"2026-02-01", "2026-02-15", "2026-03-10"});
  auto findings = run(&check_handover_missing);
  ASSERT_EQ(findings.size(), 1u);
  const auto& receivers = findings[0].evidence["suggested_receivers"];
  ASSERT_EQ(receivers.size(), 1u);
  EXPECT_EQ(receivers[0]["person"], "alice");
  EXPECT_THAT(receivers[0]["why"].get<std::string>(), ::testing::HasSubstr("operates it (3"));
}

TEST_F(KnowledgeChecks, TheManagerWhenNobodyWorksNearIt) {
  m_histories["planner.git"].identities[1] = {"X", "x@nowhere.example"};
  m_histories["planner.git"].identities[2] = {"Y", "y@nowhere.example"};
  m_policy.systems[0].groups.clear();
  auto findings = run(&check_handover_missing);
  ASSERT_EQ(findings.size(), 1u);
  const auto& receivers = findings[0].evidence["suggested_receivers"];
  ASSERT_EQ(receivers.size(), 1u);
  EXPECT_EQ(receivers[0]["person"], "boss");
}

TEST_F(KnowledgeChecks, AValidHandoverCounts) {
  m_handovers.push_back({"PETRA@x.example", "planner", "alice", "2026-03-16", "", "test:1"});
  EXPECT_THAT(run(&check_handover_missing), IsEmpty());
}

TEST_F(KnowledgeChecks, HandoversThatDoNotCount) {
  m_handovers.push_back({"petra", "planner", "nina", "2026-03-10", "", "test:1"});
  m_handovers.push_back({"petra", "planner", "oscar", "2026-03-10", "", "test:2"});
  m_handovers.push_back({"petra", "planner", "alice", "2026-03-17", "", "test:3"});
  m_handovers.push_back({"petra", "planner", "nobody", "2026-03-10", "", "test:4"});
  m_handovers.push_back({"petra", "other", "alice", "2026-03-10", "", "test:5"});
  auto findings = run(&check_handover_missing);
  ASSERT_EQ(findings.size(), 1u);
  const auto& refused = findings[0].evidence["handovers_not_counted"];
  ASSERT_EQ(refused.size(), 4u);
  EXPECT_THAT(refused[0]["does_not_count"].get<std::string>(),
              ::testing::HasSubstr("nina is seconded too"));
  EXPECT_THAT(refused[1]["does_not_count"].get<std::string>(),
              ::testing::HasSubstr("oscar is disabled"));
  EXPECT_THAT(refused[2]["does_not_count"].get<std::string>(), ::testing::HasSubstr("after today"));
  EXPECT_THAT(refused[3]["does_not_count"].get<std::string>(),
              ::testing::HasSubstr("no one in the directory"));
}

TEST_F(KnowledgeChecks, PastTheEndByAtMostThirtyDays) {
  operate("frank", {"2026-02-01", "2026-02-15", "2026-02-20"});
  EXPECT_THAT(keys(run(&check_handover_missing)),
              ElementsAre("frank/planner/high", "petra/planner/high"));
  // 31 days after frank's end (2026-02-28 24:00 CET) he is no longer asked.
  EXPECT_THAT(keys(run(&check_handover_missing, "2026-03-31T23:30:00Z")),
              ElementsAre("petra/planner/high"));
  // Thirty local days, not 30 × 24 hours: summer time began on 2026-03-29, so they end at
  // 2026-03-31 00:00 CEST (22:00 UTC), an hour before 30 × 24 hours would.
  EXPECT_THAT(keys(run(&check_handover_missing, "2026-03-30T22:00:00Z")),
              ElementsAre("frank/planner/high", "petra/planner/high"));
  EXPECT_THAT(keys(run(&check_handover_missing, "2026-03-30T22:30:00Z")),
              ElementsAre("petra/planner/high"));
}

TEST_F(KnowledgeChecks, NotYetWithinNoticeIsNoFinding) {
  EXPECT_THAT(run(&check_handover_missing, "2026-02-01T12:00:00Z"), IsEmpty());
}

}  // namespace
}  // namespace secondsight::checks::testing
