#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "secondsight/app/plugins.hpp"
#include "secondsight/config/loader.hpp"
#include "test_files.hpp"

namespace secondsight::config {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using testing::formatted;
using ::testing::IsEmpty;
using ::testing::Pair;
using testing::TempDir;

namespace fs = std::filesystem;

constexpr std::string_view k_staff = "staff:\n  seconded_when: { employeeType: contractor }\n";

struct Loaded {
  std::optional<Policy> policy;
  std::vector<std::string> messages;
};

LogSourceConfig log_source(std::string format, std::string name) {
  LogSourceConfig log;
  log.format = std::move(format);
  log.name = std::move(name);
  return log;
}

// One audit log of each kind of event, so that every rule can match.
Config config_for(const fs::path& policies) {
  Config config;
  config.policies = policies;
  config.audit_logs = {log_source("auditd", "logs/audit.log"), log_source("sshd", "logs/auth.log"),
                       log_source("jsonl", "logs/app.jsonl")};
  return config;
}

Loaded load(const Config& config) {
  Diagnostics diagnostics;
  auto policy = load_policies(config, app::plugins(), diagnostics);
  return {std::move(policy), formatted(diagnostics)};
}

Loaded load(const fs::path& policies) {
  return load(config_for(policies));
}

TEST(PolicyLoader, ReadsTheTestCompany) {
  const fs::path company =
      (fs::path(SECONDSIGHT_SOURCE_DIR) / "tests/scenarios/harbour").lexically_normal();
  Diagnostics diagnostics;
  const auto config = load_config(company / "config.yaml", app::plugins(), diagnostics);
  ASSERT_TRUE(config.has_value());
  const auto policy = load_policies(*config, app::plugins(), diagnostics);
  ASSERT_TRUE(policy.has_value());
  EXPECT_THAT(formatted(diagnostics), IsEmpty());

  EXPECT_EQ(policy->defaults.grace_days_after_end, 0);
  EXPECT_EQ(policy->defaults.notice_days, 30);
  EXPECT_EQ(policy->defaults.inactivity_days, 45);
  EXPECT_EQ(policy->defaults.min_knowledge_holders, 2);
  EXPECT_EQ(policy->defaults.operator_min_active_days, 3);
  EXPECT_THAT(policy->seconded_when.conditions,
              ElementsAre(Pair("employeeType", ElementsAre("contractor", "interim"))));

  ASSERT_EQ(policy->systems.size(), 8u);
  const System& billing = policy->systems[0];
  EXPECT_EQ(billing.id, "billing-engine");
  EXPECT_EQ(billing.name, "Meter billing engine");
  EXPECT_EQ(billing.criticality, Criticality::critical);
  EXPECT_FALSE(billing.externals_deny);
  EXPECT_THAT(billing.groups, ElementsAre("cn=billing-dev,ou=groups,dc=harbour,dc=example"));
  ASSERT_EQ(billing.group_locations.size(), 1u);
  EXPECT_EQ(format_location(billing.group_locations[0]),
            (company / "policies/harbour.yaml:17:14").string());
  EXPECT_EQ(format_location(billing.where), (company / "policies/harbour.yaml:13:5").string());
  ASSERT_EQ(billing.activity.size(), 2u);
  EXPECT_EQ(billing.activity[0].source, "jsonl");
  EXPECT_EQ(billing.activity[0].resource, "billing-engine");
  EXPECT_EQ(billing.activity[1].host, "bill-*");
  EXPECT_EQ(billing.activity[1].where.line, 20);
  EXPECT_THAT(billing.repositories, ElementsAre("billing-engine.git"));
  EXPECT_THAT(billing.docs, ElementsAre("docs/**", "**/*.md"));

  const System* records = policy->find_system("customer-records");
  ASSERT_NE(records, nullptr);
  EXPECT_TRUE(records->externals_deny);
  const System* intranet = policy->find_system("intranet");
  ASSERT_NE(intranet, nullptr);
  EXPECT_EQ(intranet->criticality, Criticality::low);
  EXPECT_EQ(policy->find_system("gis")->criticality, Criticality::high);
  EXPECT_EQ(policy->find_system("outage-map")->criticality, Criticality::normal);

  ASSERT_EQ(policy->engagements.size(), 4u);
  const Engagement& meters = policy->engagements[0];
  EXPECT_EQ(meters.id, "meter-modernisation");
  EXPECT_EQ(meters.agency, "Tideway Consulting");
  EXPECT_THAT(meters.members_when.conditions,
              ElementsAre(Pair("departmentNumber", ElementsAre("meter-modernisation"))));
  EXPECT_THAT(meters.need_to_know, ElementsAre("billing-engine", "intranet"));
  EXPECT_THAT(policy->engagements[2].need_to_know,
              ElementsAre("leak-detection", "gis", "intranet"));
  const Engagement& field = policy->engagements[3];
  EXPECT_THAT(field.members, ElementsAre("yara"));
  EXPECT_TRUE(field.members_when.conditions.empty());
  EXPECT_EQ(policy->checklist.size(), 3u);
}

TEST(PolicyLoader, UnknownKeyInASystemSuggestsTheClosest) {
  TempDir dir;
  dir.write("policies/bad.yaml", R"yaml(staff:
  seconded_when: { employeeType: contractor }
systems:
  - id: payments-api
    name: Payments API
    criticality: critical
    grups: ["cn=pay,ou=groups,dc=example,dc=com"]
    repositories: [payments-api.git]
)yaml");
  const auto loaded = load(dir.path() / "policies");
  EXPECT_FALSE(loaded.policy.has_value());
  EXPECT_THAT(loaded.messages,
              ElementsAre(dir.str() +
                          "/policies/bad.yaml:7:5: error: unknown key 'grups' in system (expected "
                          "one of: id, name, criticality, externals, groups, activity, "
                          "repositories, docs); did you mean 'groups'?"));
}

TEST(PolicyLoader, BoundsEveryDayCount) {
  TempDir dir;
  dir.write("policies/p.yaml", R"yaml(defaults:
  grace_days_after_end: 36501
  notice_days: 99999999999999999999
  inactivity_days: -5
  operator_min_active_days: 0
staff:
  seconded_when: { employeeType: [contractor] }
systems:
  - id: wiki
    groups: [cn=staff,ou=groups,dc=example,dc=com]
    repositories: ["repos/wiki\n"]
    activity: [{ source: jsonl, host: "web\u001b]0;x\u0007" }]
)yaml");
  const auto loaded = load(dir.path() / "policies");
  EXPECT_FALSE(loaded.policy.has_value());
  const std::string file = dir.str() + "/policies/p.yaml:";
  const std::string days = "must be a whole number of days from 0 to 36500";
  EXPECT_THAT(loaded.messages,
              ElementsAre(file + "2:25: error: 'grace_days_after_end' " + days,
                          file + "3:16: error: 'notice_days' " + days,
                          file + "4:20: error: 'inactivity_days' " + days,
                          file + "5:29: error: 'operator_min_active_days' must be a whole number "
                                 "of days from 1 to 90",
                          file + "11:20: error: 'repositories' must be a list of repository paths "
                                 "without control characters (line breaks, tabs, escapes)",
                          file + "12:39: error: 'host' must be a glob pattern without control "
                                 "characters (line breaks, tabs, escapes)"));
  dir.write("policies/p.yaml", R"yaml(defaults:
  grace_days_after_end: 36500
  notice_days: 36500
  inactivity_days: 0
staff:
  seconded_when: { employeeType: [contractor] }
)yaml");
  EXPECT_THAT(load(dir.path() / "policies").messages, IsEmpty());
}

TEST(PolicyLoader, ReportsWrongTypes) {
  TempDir dir;
  dir.write("policies/p.yaml", R"yaml(defaults:
  notice_days: -1
  min_knowledge_holders: 0
  operator_min_active_days: 91
staff:
  seconded_when: { employeeType: [] }
systems:
  - id: wiki
    groups: cn=staff,ou=groups,dc=example,dc=com
    activity: { source: jsonl }
    criticality: [high]
)yaml");
  const auto loaded = load(dir.path() / "policies");
  EXPECT_FALSE(loaded.policy.has_value());
  const std::string file = dir.str() + "/policies/p.yaml:";
  EXPECT_THAT(
      loaded.messages,
      ElementsAre(
          file + "2:16: error: 'notice_days' must be a whole number of days from 0 to 36500",
          file + "3:26: error: 'min_knowledge_holders' must be a whole number ≥ 1",
          file + "4:29: error: 'operator_min_active_days' must be a whole number of days "
                 "from 1 to 90",
          file + "6:34: error: 'employeeType' lists no values: it could never match",
          file + "9:13: error: 'groups' must be a list of group DNs",
          file + "10:15: error: 'activity' must be a list of rules, like { source: sshd, "
                 "host: \"pay-*\" }",
          file + "11:18: error: 'criticality' must be one of critical, high, normal, low"));
}

TEST(PolicyLoader, UnknownSystemInNeedToKnow) {
  TempDir dir;
  dir.write("policies/p.yaml", R"yaml(staff: { seconded_when: { employeeType: contractor } }
systems:
  - { id: payments-api, repositories: [p.git] }
  - { id: wiki, criticality: low }
engagements:
  - id: payments-rebuild
    members: [mallory]
    need_to_know: [payments, wiki, hr]
)yaml");
  const auto loaded = load(dir.path() / "policies");
  EXPECT_FALSE(loaded.policy.has_value());
  const std::string file = dir.str() + "/policies/p.yaml:";
  EXPECT_THAT(loaded.messages,
              ElementsAre(file + "8:20: error: unknown system 'payments' in need_to_know "
                                 "(known: payments-api, wiki); did you mean 'payments-api'?",
                          file + "8:36: error: unknown system 'hr' in need_to_know (known: "
                                 "payments-api, wiki)"));
}

TEST(PolicyLoader, NeedToKnowMayNameASystemOfALaterFile) {
  TempDir dir;
  dir.write("policies/a.yaml", std::string(k_staff) + R"yaml(engagements:
  - { id: e, members_when: { departmentNumber: [a, b] }, need_to_know: [wiki] }
)yaml");
  dir.write("policies/b.yml", "systems:\n  - { id: wiki, criticality: low }\n");
  const auto loaded = load(dir.path() / "policies");
  ASSERT_TRUE(loaded.policy.has_value());
  EXPECT_THAT(loaded.messages, IsEmpty());
  EXPECT_THAT(loaded.policy->engagements[0].members_when.conditions,
              ElementsAre(Pair("departmentNumber", ElementsAre("a", "b"))));
}

TEST(PolicyLoader, BadCriticalitySuggestsTheClosest) {
  TempDir dir;
  dir.write("policies/p.yaml", std::string(k_staff) + R"yaml(systems:
  - { id: wiki, criticality: hihg, externals: maybe, repositories: [wiki.git] }
)yaml");
  const auto loaded = load(dir.path() / "policies");
  EXPECT_FALSE(loaded.policy.has_value());
  const std::string file = dir.str() + "/policies/p.yaml:";
  EXPECT_THAT(loaded.messages,
              ElementsAre(file + "4:30: error: unknown criticality 'hihg' (expected one of: "
                                 "critical, high, normal, low); did you mean 'high'?",
                          file + "4:47: error: unknown externals setting 'maybe' (expected one "
                                 "of: allow, deny)"));
}

TEST(PolicyLoader, DuplicateIdsAndSectionsNameTheFirst) {
  TempDir dir;
  dir.write("policies/a.yaml", R"yaml(defaults: { notice_days: 14 }
staff:
  seconded_when: { employeeType: contractor }
systems:
  - { id: wiki, criticality: low }
engagements:
  - { id: e1, members: [ann] }
)yaml");
  dir.write("policies/b.yaml", R"yaml(defaults: { notice_days: 20 }
systems:
  - { id: wiki, criticality: low }
engagements:
  - { id: e1, members: [bob] }
)yaml");
  const auto loaded = load(dir.path() / "policies");
  EXPECT_FALSE(loaded.policy.has_value());
  const std::string a = dir.str() + "/policies/a.yaml:";
  const std::string b = dir.str() + "/policies/b.yaml:";
  EXPECT_THAT(
      loaded.messages,
      ElementsAre(
          b + "1:1: error: 'defaults' is already set at " + a + "1:1",
          b + "3:11: error: duplicate system id 'wiki' (first defined at " + a + "5:11)",
          b + "5:11: error: duplicate engagement id 'e1' (first defined at " + a + "7:11)"));
}

TEST(PolicyLoader, WarnsAboutSystemsWhoseKnowledgeCannotBeMeasured) {
  TempDir dir;
  dir.write("policies/p.yaml", std::string(k_staff) + R"yaml(systems:
  - id: tracking
    criticality: high
  - id: intranet
  - id: wiki
    criticality: low
  - { id: payments-api, activity: [{ source: logs/audit.log, key: payments }] }
)yaml");
  const auto loaded = load(dir.path() / "policies");
  ASSERT_TRUE(loaded.policy.has_value());
  const std::string file = dir.str() + "/policies/p.yaml:";
  EXPECT_THAT(loaded.messages,
              ElementsAre(file + "4:5: warning: system 'tracking' (criticality high) has neither "
                                 "repositories nor activity rules: its knowledge cannot be "
                                 "measured",
                          file + "6:5: warning: system 'intranet' (criticality normal) has "
                                 "neither repositories nor activity rules: its knowledge cannot "
                                 "be measured"));
  EXPECT_EQ(loaded.policy->systems.size(), 4u);
  EXPECT_EQ(loaded.policy->systems[1].name, "intranet");  // no name: the id
}

TEST(PolicyLoader, ReportsBadActivityRules) {
  TempDir dir;
  dir.write("policies/p.yaml", std::string(k_staff) + R"yaml(systems:
  - id: tracking
    activity:
      - { source: sshd }
      - { source: jsnl, resource: tracking }
      - { source: sshd, key: tracking }
      - { source: logs/audit.log, key: tracking }
      - { source: auditd, host: "trk-*", colour: red }
)yaml");
  const auto loaded = load(dir.path() / "policies");
  EXPECT_FALSE(loaded.policy.has_value());
  const std::string file = dir.str() + "/policies/p.yaml:";
  EXPECT_THAT(
      loaded.messages,
      ElementsAre(
          file + "6:9: error: an activity rule needs at least one of host, key, resource, action",
          file + "7:19: error: unknown source 'jsnl' in activity rule (expected one of: auditd, "
                 "sshd, jsonl, journal, or the name of an audit log); did you mean 'jsonl'?",
          file + "8:9: warning: 'key' is in no event of logs/auth.log (sshd): this activity "
                 "rule never matches",
          file + "10:42: error: unknown key 'colour' in activity rule (expected one of: source, "
                 "host, key, resource, action)"));
}

TEST(PolicyLoader, RequiresStaffSecondedWhen) {
  TempDir dir;
  dir.write("policies/p.yaml", "systems:\n  - { id: wiki, criticality: low }\n");
  const auto loaded = load(dir.path() / "policies");
  EXPECT_FALSE(loaded.policy.has_value());
  EXPECT_THAT(loaded.messages, ElementsAre(dir.str() + "/policies: error: no staff.seconded_when: "
                                                       "nobody could be recognised as seconded"));
}

TEST(PolicyLoader, RefusesAnEmptyPolicyFolder) {
  TempDir dir;
  dir.write("policies/README.md", "not a policy\n");
  dir.write("policies/.draft.yaml", "staff: {}\n");
  const auto loaded = load(dir.path() / "policies");
  EXPECT_FALSE(loaded.policy.has_value());
  EXPECT_THAT(loaded.messages, ElementsAre(dir.str() + "/policies: error: no policy files "
                                                       "(*.yaml, *.yml) in this folder"));
  EXPECT_THAT(load(dir.path() / "absent").messages,
              ElementsAre(dir.str() + "/absent: error: cannot read: No such file or directory"));
}

TEST(PolicyLoader, ReadsOneFileAndFilesInNameOrder) {
  TempDir dir;
  const fs::path one = dir.write("one.yaml", std::string(k_staff) + "checklist: [Return badge]\n");
  const auto single = load(one);
  ASSERT_TRUE(single.policy.has_value());
  EXPECT_THAT(single.policy->checklist, ElementsAre("Return badge"));

  dir.write("policies/b.yaml", "systems: [{ id: b, criticality: low }]\nchecklist: [second]\n");
  dir.write("policies/a.yaml",
            std::string(k_staff) + "systems: [{ id: a, criticality: low }]\nchecklist: [first]\n");
  const auto merged = load(dir.path() / "policies");
  ASSERT_TRUE(merged.policy.has_value());
  ASSERT_EQ(merged.policy->systems.size(), 2u);
  EXPECT_EQ(merged.policy->systems[0].id, "a");
  EXPECT_EQ(merged.policy->systems[1].id, "b");
  EXPECT_THAT(merged.policy->checklist, ElementsAre("first", "second"));
}

TEST(PolicyLoader, KeepsReadingAfterABrokenFile) {
  TempDir dir;
  dir.write("policies/a.yaml", "systems:\n  - { id: wiki\n");
  dir.write("policies/b.yaml", "version: 2\n");
  const auto loaded = load(dir.path() / "policies");
  EXPECT_FALSE(loaded.policy.has_value());
  ASSERT_EQ(loaded.messages.size(), 2u);
  EXPECT_THAT(loaded.messages[0],
              ::testing::StartsWith(dir.str() + "/policies/a.yaml:3:1: error: "));
  EXPECT_EQ(loaded.messages[1],
            dir.str() +
                "/policies/b.yaml:1:1: error: unknown key 'version' in policy file "
                "(expected one of: defaults, staff, systems, engagements, checklist)");
}

TEST(PolicyLoader, ReportsBadSystemsAndEngagements) {
  TempDir dir;
  dir.write("policies/p.yaml", std::string(k_staff) + R"yaml(systems:
  - id: Payments API
    repositories: [p.git]
  - name: no id
  - { id: wiki, criticality: low, groups: [staff] }
engagements:
  - id: e1
    agency: Acme
  - { id: e2, members_when: {} }
)yaml");
  const auto loaded = load(dir.path() / "policies");
  EXPECT_FALSE(loaded.policy.has_value());
  const std::string file = dir.str() + "/policies/p.yaml:";
  EXPECT_THAT(
      loaded.messages,
      ElementsAre(file + "4:9: error: system id 'Payments API' must be lowercase "
                         "letters, digits, '.', '_' or '-', starting with a letter or digit",
                  file + "6:5: error: missing key 'id' in system",
                  file + "7:44: error: 'staff' is not a DN, like "
                         "cn=dev,ou=groups,dc=example,dc=com",
                  file + "9:5: error: engagement 'e1' needs members or members_when",
                  file + "11:29: error: 'members_when' names no attribute: it would "
                         "match everyone"));
}

// A rule's source names the kind of event, whatever carries it: the journal carries sshd
// logins. A rule no configured audit log can satisfy is said, not silently idle.
TEST(PolicyLoader, WarnsAboutActivityRulesNoConfiguredLogCanSatisfy) {
  TempDir dir;
  dir.write("policies/p.yaml", std::string(k_staff) + R"yaml(systems:
  - id: tracking
    activity:
      - { source: sshd, host: "trk-*" }
      - { source: journal, host: "trk-*" }
      - { source: journal:/var/log/journal, host: "trk-*" }
      - { host: "trk-*", action: "*" }
      - { source: auditd, key: tracking }
      - { source: jsonl, resource: tracking }
      - { source: sshd, resource: "*" }
      - { source: sshd, resource: "track*" }
      - { key: tracking }
      - { source: sshd, action: "log*" }
      - { source: sshd, action: sudo }
)yaml");
  Config config = config_for(dir.path() / "policies");
  config.audit_logs = {log_source("journal", "journal:/var/log/journal")};
  const auto loaded = load(config);
  ASSERT_TRUE(loaded.policy.has_value());
  const std::string file = dir.str() + "/policies/p.yaml:";
  EXPECT_THAT(
      loaded.messages,
      ElementsAre(
          file + "10:9: warning: no configured audit log carries 'auditd' events: this activity "
                 "rule never matches",
          file + "11:9: warning: no configured audit log carries 'jsonl' events: this activity "
                 "rule never matches",
          file + "13:9: warning: 'resource' is in no event of journal:/var/log/journal "
                 "(journal): this activity rule never matches",
          file + "14:9: warning: 'key' is in no event of journal:/var/log/journal (journal): "
                 "this activity rule never matches",
          file + "16:9: warning: the action pattern matches no event of "
                 "journal:/var/log/journal (journal) (their action is always 'login'): this "
                 "activity rule never matches"));
  EXPECT_EQ(loaded.policy->systems[0].activity.size(), 11u);  // warned, still kept

  config.audit_logs.clear();
  EXPECT_THAT(load(config).messages,
              Contains(file + "6:9: warning: no audit log is configured: this activity rule "
                              "never matches"));
}

TEST(PolicyLoader, WarnsWhenNeedToKnowNamesASystemDeniedToExternals) {
  TempDir dir;
  dir.write("policies/p.yaml", std::string(k_staff) + R"yaml(systems:
  - { id: hr-data, externals: deny, activity: [{ source: jsonl, resource: hr }] }
engagements:
  - { id: e1, members: [ann], need_to_know: [hr-data] }
)yaml");
  const auto loaded = load(dir.path() / "policies");
  ASSERT_TRUE(loaded.policy.has_value());
  EXPECT_THAT(loaded.messages,
              ElementsAre(dir.str() + "/policies/p.yaml:6:46: warning: system 'hr-data' has "
                                      "externals: deny, so the need_to_know of engagement 'e1' "
                                      "cannot allow it to seconded members"));
}

TEST(PolicyLoader, TheDocumentedExampleIsClean) {
  const auto loaded = load(fs::path(SECONDSIGHT_SOURCE_DIR) / "policies/example.yaml");
  ASSERT_TRUE(loaded.policy.has_value());
  EXPECT_THAT(loaded.messages, IsEmpty());
  EXPECT_EQ(loaded.policy->systems.size(), 3u);
  EXPECT_EQ(loaded.policy->engagements.size(), 2u);
  EXPECT_THAT(loaded.policy->engagements[1].members, ElementsAre("ivan", "judy@example.com"));
  EXPECT_EQ(loaded.policy->checklist.size(), 3u);
}

}  // namespace
}  // namespace secondsight::config
