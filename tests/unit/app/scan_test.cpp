// `secondsight scan` end to end on the acme scenario and the bundled sample, in process.
#include <gmock/gmock.h>

#include <map>

#include "fixtures/scenario.hpp"
#include "secondsight/app/commands.hpp"

namespace secondsight::testing {
namespace {

using ::testing::HasSubstr;

std::set<FindingKey> expected_findings() {
  std::ifstream in(std::string(SECONDSIGHT_SHARED_DIR) + "/scenarios/acme/expected-findings.jsonl");
  return finding_keys(in);
}

struct Run {
  int code;
  std::string out;
  std::string err;
};

Run scan(const fs::path& config, app::OutputFormat format, const std::string& now,
         std::optional<Severity> fail_on = std::nullopt) {
  std::ostringstream out, err;
  app::ScanOptions options{config, now, format, fail_on};
  int code = app::command_scan(options, out, err);
  return {code, out.str(), err.str()};
}

class AcmeScan : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { s_acme = new fs::path(setup_acme()); }
  static void TearDownTestSuite() {
    fs::remove_all(*s_acme);
    delete s_acme;
  }
  void SetUp() override { fs::remove_all(*s_acme / "state"); }
  fs::path config() const { return *s_acme / "config.yaml"; }

  static fs::path* s_acme;
};
fs::path* AcmeScan::s_acme = nullptr;

TEST_F(AcmeScan, ReportsExactlyTheExpectedFindings) {
  auto run = scan(config(), app::OutputFormat::jsonl, "2026-03-16T12:00:00Z");
  ASSERT_EQ(run.code, 0) << run.err;
  std::istringstream in(run.out);
  EXPECT_EQ(finding_keys(in), expected_findings());
}

TEST_F(AcmeScan, JsonlLinesCarryEveryFindingField) {
  auto run = scan(config(), app::OutputFormat::jsonl, "2026-03-16T12:00:00Z");
  std::istringstream in(run.out);
  std::string line;
  std::size_t count = 0;
  while (std::getline(in, line)) {
    auto o = nlohmann::json::parse(line);
    for (const char* field : {"fingerprint", "kind", "severity", "person", "system", "summary",
                              "evidence", "first_seen", "last_seen", "status"})
      EXPECT_TRUE(o.contains(field)) << field << " missing in " << line;
    EXPECT_EQ(o["status"], "open");
    EXPECT_EQ(o["first_seen"], "2026-03-16T12:00:00Z");
    if (o["kind"] == "access_after_end") {
      EXPECT_EQ(o["person"], "frank");
      EXPECT_TRUE(o["system"].is_null());
      EXPECT_EQ(o["evidence"]["agency"], "Flexforce IT");
      EXPECT_EQ(o["evidence"]["end"], "2026-02-28T23:00:00Z");
      EXPECT_EQ(o["evidence"]["grants"][0]["group_paths"][0],
                nlohmann::json({"cn=payments-contractors,ou=groups,dc=acme,dc=example",
                                "cn=payments-dev,ou=groups,dc=acme,dc=example"}));
    }
    if (o["kind"] == "need_to_know_violation" && o["person"] == "rosa") {
      // Use alone: no grant, and the use itself as evidence.
      EXPECT_TRUE(o["evidence"]["held"].is_null());
      EXPECT_EQ(
          o["evidence"]["events"],
          nlohmann::json::parse(R"([{"time": "2026-03-03T15:20:00Z", "source": "logs/auth.log",
                   "host": "pay-1", "action": "login", "resource": ""}])"));
    }
    if (o["kind"] == "activity_after_end" && o["system"].is_null()) {
      EXPECT_EQ(o["evidence"]["events"][0]["host"], "jump-9");
      EXPECT_EQ(o["evidence"]["events"][0]["time"], "2026-03-04T07:05:00Z");
    }
    ++count;
  }
  EXPECT_GT(count, 0u);
}

TEST_F(AcmeScan, JsonReportsDirectoryFigures) {
  auto run = scan(config(), app::OutputFormat::json, "2026-03-16T12:00:00Z");
  ASSERT_EQ(run.code, 0) << run.err;
  auto report = nlohmann::json::parse(run.out);
  EXPECT_EQ(report["now"], "2026-03-16T12:00:00Z");
  EXPECT_EQ(report["directory"],
            nlohmann::json({{"people", 16}, {"groups", 8}, {"complete", true}}));
  EXPECT_EQ(report["findings"].size(), expected_findings().size());
  // Each log's damaged line is counted and skipped; service accounts stay unresolved, logins
  // on hosts no system covers unattributed.
  EXPECT_EQ(report["sources"], nlohmann::json::parse(R"([
    {"name": "logs/audit.log", "format": "auditd", "lines": 127, "events": 43, "skipped": 1,
     "unresolved": 0, "unattributed": 26},
    {"name": "logs/auth.log", "format": "sshd", "lines": 174, "events": 82, "skipped": 1,
     "unresolved": 0, "unattributed": 1},
    {"name": "logs/platform.jsonl", "format": "jsonl", "lines": 179, "events": 178,
     "skipped": 1, "unresolved": 18, "unattributed": 0}])"));
}

TEST_F(AcmeScan, ASecondScanReadsOnlyWhatIsNew) {
  scan(config(), app::OutputFormat::json, "2026-03-16T12:00:00Z");
  const fs::path log = *s_acme / "logs" / "auth.log";
  const std::string original = read_file(log);
  std::ofstream(log, std::ios::app) << "Mar 16 12:30:00 pay-2 sshd[4242]: Accepted password for "
                                       "frank from 10.1.9.9 port 5 ssh2\n";
  auto second =
      nlohmann::json::parse(scan(config(), app::OutputFormat::json, "2026-03-16T13:00:00Z").out);
  write_file(log, original);
  for (const auto& source : second["sources"]) {
    if (source["name"] == "logs/auth.log") {
      EXPECT_EQ(source["lines"], 1);
      EXPECT_EQ(source["events"], 1);
    } else {
      EXPECT_EQ(source["lines"], 0) << source;
    }
  }
  for (const auto& f : second["findings"]) {
    if (f["kind"] == "activity_after_end" && f["system"] == "payments-api") {
      EXPECT_EQ(f["first_seen"], "2026-03-16T12:00:00Z");
      EXPECT_EQ(f["evidence"]["events"].back()["host"], "pay-2");
      EXPECT_EQ(f["evidence"]["events"].back()["time"], "2026-03-16T11:30:00Z");
    }
  }
}

TEST_F(AcmeScan, ASecondScanOfTheSameDataChangesNothing) {
  auto first = scan(config(), app::OutputFormat::json, "2026-03-16T12:00:00Z");
  auto second = scan(config(), app::OutputFormat::json, "2026-03-16T13:00:00Z");
  auto a = nlohmann::json::parse(first.out)["findings"];
  auto b = nlohmann::json::parse(second.out)["findings"];
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i]["fingerprint"], b[i]["fingerprint"]);
    EXPECT_EQ(b[i]["first_seen"], "2026-03-16T12:00:00Z");
    EXPECT_EQ(b[i]["last_seen"], "2026-03-16T13:00:00Z");
  }
  auto table = scan(config(), app::OutputFormat::table, "2026-03-16T14:00:00Z");
  EXPECT_THAT(table.out, HasSubstr("0 new, 0 resolved in this scan"));
}

TEST_F(AcmeScan, AFixedProblemIsResolved) {
  scan(config(), app::OutputFormat::jsonl, "2026-03-16T12:00:00Z");
  // frank is disabled and removed from every group.
  std::string ldif = read_file(*s_acme / "directory.ldif");
  std::string original = ldif;
  std::string marker = "contractEndDate: 2026-02-28\n";
  ldif.replace(ldif.find(marker), marker.size(),
               marker + "pwdAccountLockedTime: 20260316120000Z\n");
  std::string member = "member: uid=frank,ou=people,dc=acme,dc=example\n";
  for (auto at = ldif.find(member); at != std::string::npos; at = ldif.find(member))
    ldif.erase(at, member.size());
  write_file(*s_acme / "directory.ldif", ldif);

  auto run = scan(config(), app::OutputFormat::table, "2026-03-16T13:00:00Z");
  write_file(*s_acme / "directory.ldif", original);
  EXPECT_THAT(run.out, HasSubstr("Resolved in this scan:\n  access_after_end  frank  -"));
  EXPECT_THAT(run.out, ::testing::Not(HasSubstr("CRITICAL  access_after_end")));
}

TEST_F(AcmeScan, AnExportWithAnEntryTwiceChangesNoFinding) {
  auto first = scan(config(), app::OutputFormat::json, "2026-03-16T12:00:00Z");
  ASSERT_EQ(first.code, 0) << first.err;
  // An employee's copy of frank after his own: keeping either copy could hide the other.
  const std::string original = read_file(*s_acme / "directory.ldif");
  write_file(*s_acme / "directory.ldif",
             original +
                 "\ndn: UID=Frank, OU=People,DC=Acme,DC=Example\nobjectClass: "
                 "inetOrgPerson\nuid: frank\ncn: Frank Meijer\nsn: Meijer\n"
                 "employeeType: employee\n");
  auto second = scan(config(), app::OutputFormat::json, "2026-03-16T13:00:00Z");
  write_file(*s_acme / "directory.ldif", original);
  EXPECT_EQ(second.code, app::k_exit_source);
  auto report = nlohmann::json::parse(second.out);
  EXPECT_EQ(report["directory"]["complete"], false);
  EXPECT_THAT(report["directory"]["error"].get<std::string>(),
              HasSubstr("entry 'UID=Frank, OU=People,DC=Acme,DC=Example' appears again; first "
                        "at line 125"));
  EXPECT_EQ(report["findings"], nlohmann::json::parse(first.out)["findings"]);
}

TEST_F(AcmeScan, ALogLineOverTheLimitIsCountedAsSkipped) {
  scan(config(), app::OutputFormat::json, "2026-03-16T12:00:00Z");
  const fs::path log = *s_acme / "logs" / "auth.log";
  const std::string original = read_file(log);
  // A login line padded past 64 KiB is damaged, not a login; the line after it is read.
  std::ofstream(log, std::ios::app)
      << "Mar 16 12:20:00 pay-2 sshd[4241]: Accepted password for frank from 10.1.9.9 port 5 "
         "ssh2 "
      << std::string(std::size_t{70} << 10, 'x') << "\n"
      << "Mar 16 12:30:00 pay-2 sshd[4242]: Accepted password for frank from 10.1.9.9 port 5 "
         "ssh2\n";
  auto second =
      nlohmann::json::parse(scan(config(), app::OutputFormat::json, "2026-03-16T13:00:00Z").out);
  write_file(log, original);
  bool found = false;
  for (const auto& source : second["sources"]) {
    if (source["name"] != "logs/auth.log") continue;
    found = true;
    EXPECT_EQ(source["lines"], 2);
    EXPECT_EQ(source["events"], 1);
    EXPECT_EQ(source["skipped"], 1);
  }
  EXPECT_TRUE(found);
}

TEST_F(AcmeScan, FailOnSeverity) {
  EXPECT_EQ(
      scan(config(), app::OutputFormat::jsonl, "2026-03-16T12:00:00Z", Severity::critical).code,
      app::k_exit_findings);
  EXPECT_EQ(scan(config(), app::OutputFormat::jsonl, "2026-03-16T12:00:00Z").code, app::k_exit_ok);
}

TEST_F(AcmeScan, AnUnreadableDirectoryChangesNothingAndExitsThree) {
  auto first = scan(config(), app::OutputFormat::json, "2026-03-16T12:00:00Z");
  fs::rename(*s_acme / "directory.ldif", *s_acme / "directory.ldif.away");
  auto broken = scan(config(), app::OutputFormat::json, "2026-03-17T12:00:00Z");
  fs::rename(*s_acme / "directory.ldif.away", *s_acme / "directory.ldif");
  EXPECT_EQ(broken.code, app::k_exit_source);
  EXPECT_THAT(broken.err, HasSubstr("directory.ldif"));
  auto report = nlohmann::json::parse(broken.out);
  EXPECT_EQ(report["directory"]["complete"], false);
  // Every finding is still open, with its last sighting from the good scan.
  EXPECT_EQ(report["findings"].size(), nlohmann::json::parse(first.out)["findings"].size());
  for (const auto& f : report["findings"]) {
    EXPECT_EQ(f["status"], "open");
    EXPECT_EQ(f["last_seen"], "2026-03-16T12:00:00Z");
  }
}

TEST_F(AcmeScan, BadNowIsAUsageError) {
  auto run = scan(config(), app::OutputFormat::jsonl, "16/03/2026");
  EXPECT_EQ(run.code, app::k_exit_usage);
  EXPECT_THAT(run.err, HasSubstr("--now"));
}

std::map<std::string, nlohmann::json> repositories_of(const Run& run) {
  std::map<std::string, nlohmann::json> out;
  const auto report = nlohmann::json::parse(run.out);
  for (const auto& repository : report["repositories"]) out[repository["repository"]] = repository;
  return out;
}

TEST_F(AcmeScan, HistoriesAreReadOnceAndAgainWhenTheirHeadMoves) {
  auto first = repositories_of(scan(config(), app::OutputFormat::json, "2026-03-16T12:00:00Z"));
  ASSERT_EQ(first.size(), 4u);
  for (const auto& [name, repository] : first) {
    EXPECT_EQ(repository["read"], true) << name;
    EXPECT_EQ(repository["head"].get<std::string>().size(), 40u) << name;
    EXPECT_FALSE(repository.contains("error")) << name;
  }
  auto second = repositories_of(scan(config(), app::OutputFormat::json, "2026-03-16T13:00:00Z"));
  for (const auto& [name, repository] : second) {
    EXPECT_EQ(repository["read"], false) << name;
    EXPECT_EQ(repository["head"], first[name]["head"]) << name;
  }
  const std::string git = "git --git-dir='" + (*s_acme / "repos" / "tracking.git").string() + "' ";
  ASSERT_EQ(shell("c=$(echo fix | GIT_AUTHOR_NAME=Bob GIT_AUTHOR_EMAIL=bob@acme.example "
                  "GIT_COMMITTER_NAME=Bob GIT_COMMITTER_EMAIL=bob@acme.example " +
                  git + "commit-tree HEAD^{tree} -p HEAD) && " + git + "update-ref HEAD \"$c\""),
            0);
  auto third = repositories_of(scan(config(), app::OutputFormat::json, "2026-03-16T14:00:00Z"));
  for (const auto& [name, repository] : third)
    EXPECT_EQ(repository["read"], name == "tracking.git") << name;
  EXPECT_NE(third["tracking.git"]["head"], first["tracking.git"]["head"]);
}

TEST_F(AcmeScan, ARecordedHandoverResolvesTheFinding) {
  scan(config(), app::OutputFormat::jsonl, "2026-03-16T12:00:00Z");
  app::HandoverRecordOptions record{
      config(), "petra", "route-planner", "alice", "https://wiki.acme.example/route", "2026-03-16"};
  std::ostringstream out, err;
  ASSERT_EQ(app::command_handover_record(record, out, err), app::k_exit_ok) << err.str();
  EXPECT_THAT(out.str(), HasSubstr("recorded: petra handed route-planner over to alice on "
                                   "2026-03-16, documentation https://wiki.acme.example/route"));
  auto run = scan(config(), app::OutputFormat::table, "2026-03-16T13:00:00Z");
  EXPECT_THAT(run.out, HasSubstr("  handover_missing  petra  route-planner\n"));
  EXPECT_THAT(run.out, ::testing::Not(HasSubstr("HIGH      handover_missing  petra")));
}

TEST_F(AcmeScan, AHandoverToAContractorIsKeptWithAWarningAndDoesNotCount) {
  scan(config(), app::OutputFormat::jsonl, "2026-03-16T12:00:00Z");
  app::HandoverRecordOptions record{config(), "petra", "route-planner", "nina", "", "2026-03-16"};
  std::ostringstream out, err;
  ASSERT_EQ(app::command_handover_record(record, out, err), app::k_exit_ok) << err.str();
  EXPECT_THAT(err.str(), HasSubstr("this handover will not count: the receiver nina is seconded"));
  auto run = scan(config(), app::OutputFormat::jsonl, "2026-03-16T13:00:00Z");
  std::istringstream in(run.out);
  EXPECT_EQ(finding_keys(in), expected_findings());
}

TEST_F(AcmeScan, AHandoverOfAnUnknownSystemIsAUsageError) {
  app::HandoverRecordOptions record{config(), "petra", "route-planer", "alice", "", ""};
  std::ostringstream out, err;
  EXPECT_EQ(app::command_handover_record(record, out, err), app::k_exit_usage);
  EXPECT_THAT(err.str(), HasSubstr("unknown system 'route-planer'"));
}

TEST_F(AcmeScan, ABrokenRepositoryLeavesTheKnowledgeFindingsAndExitsThree) {
  auto first = scan(config(), app::OutputFormat::jsonl, "2026-03-16T12:00:00Z");
  const fs::path repo = *s_acme / "repos" / "terraform.git";
  fs::rename(repo, repo.string() + ".away");
  auto broken = scan(config(), app::OutputFormat::json, "2026-03-17T12:00:00Z");
  fs::rename(repo.string() + ".away", repo);
  EXPECT_EQ(broken.code, app::k_exit_source);
  EXPECT_THAT(broken.err, HasSubstr("terraform.git"));
  auto report = nlohmann::json::parse(broken.out);
  EXPECT_TRUE(repositories_of(broken)["terraform.git"].contains("error"));
  int knowledge_findings = 0;
  for (const auto& f : report["findings"]) {
    if (f["kind"] != "single_point_of_knowledge" && f["kind"] != "handover_missing") continue;
    ++knowledge_findings;
    EXPECT_EQ(f["last_seen"], "2026-03-16T12:00:00Z") << f["kind"] << f["system"];
  }
  EXPECT_EQ(knowledge_findings, 6);
}

TEST_F(AcmeScan, ABrokenHandoversFileIsAConfigurationError) {
  const fs::path file = *s_acme / "handovers.yaml";
  const std::string original = read_file(file);
  write_file(file, "- { person: grace, system: terraform, receiver: bob, date: 12-03-2026 }\n");
  auto run = scan(config(), app::OutputFormat::jsonl, "2026-03-16T12:00:00Z");
  write_file(file, original);
  EXPECT_EQ(run.code, app::k_exit_usage);
  EXPECT_THAT(run.err, HasSubstr("handovers.yaml:1:"));
  EXPECT_THAT(run.err, HasSubstr("'date' must be a date (YYYY-MM-DD)"));
}

TEST(SampleScan, TheBundledSampleShowsItsFindings) {
  fs::path sample = copy_sample();
  auto run = scan(sample / "config.yaml", app::OutputFormat::jsonl, "2026-06-01");
  ASSERT_EQ(run.code, 0) << run.err;
  std::istringstream in(run.out);
  EXPECT_EQ(finding_keys(in), (std::set<FindingKey>{
                                  {"access_after_end", "dirk", "-", "critical"},
                                  {"activity_after_end", "dirk", "-", "critical"},
                                  {"activity_after_end", "dirk", "billing", "critical"},
                                  {"unused_access", "gerrit", "scada", "medium"},
                                  {"engagement_ending", "eva", "-", "info"},
                                  {"missing_end_date", "fatima", "-", "high"},
                                  {"need_to_know_violation", "gerrit", "scada", "critical"},
                                  {"need_to_know_violation", "hanna", "grid-analytics", "high"},
                                  {"single_point_of_knowledge", "-", "billing", "critical"},
                                  {"single_point_of_knowledge", "-", "grid-analytics", "high"},
                                  {"single_point_of_knowledge", "-", "scada", "high"},
                                  {"handover_missing", "dirk", "billing", "high"},
                              }));
  fs::remove_all(sample);
}

}  // namespace
}  // namespace secondsight::testing
