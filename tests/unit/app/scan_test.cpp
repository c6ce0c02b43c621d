// `secondsight scan` end to end on the test company and the bundled sample, in process.
#include <gmock/gmock.h>

#include <map>

#include "fixtures/scenario.hpp"
#include "secondsight/app/commands.hpp"

namespace secondsight::testing {
namespace {

using ::testing::HasSubstr;

std::set<FindingKey> expected_findings() {
  return company_expected_findings();
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

class CompanyScan : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { s_company = new fs::path(setup_company()); }
  static void TearDownTestSuite() {
    fs::remove_all(*s_company);
    delete s_company;
  }
  void SetUp() override { fs::remove_all(*s_company / "state"); }
  fs::path config() const { return *s_company / "config.yaml"; }

  static fs::path* s_company;
};
fs::path* CompanyScan::s_company = nullptr;

TEST_F(CompanyScan, ReportsExactlyTheExpectedFindings) {
  auto run = scan(config(), app::OutputFormat::jsonl, "2026-05-18T09:00:00Z");
  ASSERT_EQ(run.code, 0) << run.err;
  std::istringstream in(run.out);
  EXPECT_EQ(finding_keys(in), expected_findings());
}

TEST_F(CompanyScan, JsonlLinesCarryEveryFindingField) {
  auto run = scan(config(), app::OutputFormat::jsonl, "2026-05-18T09:00:00Z");
  std::istringstream in(run.out);
  std::string line;
  std::size_t count = 0;
  while (std::getline(in, line)) {
    auto o = nlohmann::json::parse(line);
    for (const char* field : {"fingerprint", "kind", "severity", "person", "system", "summary",
                              "evidence", "first_seen", "last_seen", "status"})
      EXPECT_TRUE(o.contains(field)) << field << " missing in " << line;
    EXPECT_EQ(o["status"], "open");
    EXPECT_EQ(o["first_seen"], "2026-05-18T09:00:00Z");
    if (o["kind"] == "access_after_end") {
      EXPECT_EQ(o["person"], "bram");
      EXPECT_TRUE(o["system"].is_null());
      EXPECT_EQ(o["evidence"]["agency"], "Tideway Consulting");
      EXPECT_EQ(o["evidence"]["end"], "2026-04-30T22:00:00Z");
      EXPECT_EQ(o["evidence"]["grants"][0]["group_paths"][0],
                nlohmann::json({"cn=billing-contractors,ou=groups,dc=harbour,dc=example",
                                "cn=billing-dev,ou=groups,dc=harbour,dc=example"}));
    }
    if (o["kind"] == "need_to_know_violation" && o["person"] == "hamza") {
      // Use alone: no grant, and the use itself as evidence.
      EXPECT_TRUE(o["evidence"]["held"].is_null());
      EXPECT_EQ(
          o["evidence"]["events"],
          nlohmann::json::parse(R"([{"time": "2026-04-21T13:15:00Z", "source": "logs/auth.log",
                   "host": "bill-1", "action": "login", "resource": ""}])"));
    }
    if (o["kind"] == "activity_after_end" && o["system"].is_null()) {
      EXPECT_EQ(o["evidence"]["events"][0]["host"], "jump-2");
      EXPECT_EQ(o["evidence"]["events"][0]["time"], "2026-05-11T06:40:00Z");
    }
    ++count;
  }
  EXPECT_GT(count, 0u);
}

TEST_F(CompanyScan, JsonReportsDirectoryFigures) {
  auto run = scan(config(), app::OutputFormat::json, "2026-05-18T09:00:00Z");
  ASSERT_EQ(run.code, 0) << run.err;
  auto report = nlohmann::json::parse(run.out);
  EXPECT_EQ(report["now"], "2026-05-18T09:00:00Z");
  EXPECT_EQ(report["directory"],
            nlohmann::json({{"people", 17}, {"groups", 9}, {"complete", true}}));
  EXPECT_EQ(report["findings"].size(), expected_findings().size());
  // Each log's damaged line is counted and skipped; service accounts stay unresolved, logins
  // on hosts no system covers unattributed.
  EXPECT_EQ(report["sources"], nlohmann::json::parse(R"([
    {"name": "logs/audit.log", "format": "auditd", "lines": 219, "events": 80, "skipped": 1,
     "unresolved": 0, "unattributed": 49},
    {"name": "logs/auth.log", "format": "sshd", "lines": 276, "events": 130, "skipped": 1,
     "unresolved": 0, "unattributed": 3},
    {"name": "logs/platform.jsonl", "format": "jsonl", "lines": 363, "events": 362,
     "skipped": 1, "unresolved": 47, "unattributed": 0}])"));
}

TEST_F(CompanyScan, ASecondScanReadsOnlyWhatIsNew) {
  scan(config(), app::OutputFormat::json, "2026-05-18T09:00:00Z");
  const fs::path log = *s_company / "logs" / "auth.log";
  const std::string original = read_file(log);
  std::ofstream(log, std::ios::app) << "May 18 11:30:00 bill-2 sshd[4242]: Accepted password for "
                                       "bram from 10.20.9.9 port 5 ssh2\n";
  auto second =
      nlohmann::json::parse(scan(config(), app::OutputFormat::json, "2026-05-18T10:00:00Z").out);
  write_file(log, original);
  for (const auto& source : second["sources"]) {
    if (source["name"] == "logs/auth.log") {
      EXPECT_EQ(source["lines"], 1);
      EXPECT_EQ(source["events"], 1);
    } else {
      EXPECT_EQ(source["lines"], 0) << source;
    }
  }
  int seen = 0;
  for (const auto& f : second["findings"]) {
    if (f["kind"] == "activity_after_end" && f["system"] == "billing-engine") {
      ++seen;
      EXPECT_EQ(f["first_seen"], "2026-05-18T09:00:00Z");
      EXPECT_EQ(f["evidence"]["events"].back()["host"], "bill-2");
      EXPECT_EQ(f["evidence"]["events"].back()["time"], "2026-05-18T09:30:00Z");
    }
  }
  EXPECT_EQ(seen, 1);
}

TEST_F(CompanyScan, ASecondScanOfTheSameDataChangesNothing) {
  auto first = scan(config(), app::OutputFormat::json, "2026-05-18T09:00:00Z");
  auto second = scan(config(), app::OutputFormat::json, "2026-05-18T10:00:00Z");
  auto a = nlohmann::json::parse(first.out)["findings"];
  auto b = nlohmann::json::parse(second.out)["findings"];
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i]["fingerprint"], b[i]["fingerprint"]);
    EXPECT_EQ(b[i]["first_seen"], "2026-05-18T09:00:00Z");
    EXPECT_EQ(b[i]["last_seen"], "2026-05-18T10:00:00Z");
  }
  auto table = scan(config(), app::OutputFormat::table, "2026-05-18T11:00:00Z");
  EXPECT_THAT(table.out, HasSubstr("0 new, 0 resolved in this scan"));
}

TEST_F(CompanyScan, AFixedProblemIsResolved) {
  scan(config(), app::OutputFormat::jsonl, "2026-05-18T09:00:00Z");
  // bram is disabled and removed from every group.
  std::string ldif = read_file(*s_company / "directory.ldif");
  std::string original = ldif;
  std::string marker = "contractEndDate: 2026-04-30\n";
  ldif.replace(ldif.find(marker), marker.size(),
               marker + "pwdAccountLockedTime: 20260518090000Z\n");
  std::string member = "member: uid=bram,ou=people,dc=harbour,dc=example\n";
  for (auto at = ldif.find(member); at != std::string::npos; at = ldif.find(member))
    ldif.erase(at, member.size());
  write_file(*s_company / "directory.ldif", ldif);

  auto run = scan(config(), app::OutputFormat::table, "2026-05-18T10:00:00Z");
  write_file(*s_company / "directory.ldif", original);
  EXPECT_THAT(run.out, HasSubstr("Resolved in this scan:\n  access_after_end  bram  -"));
  EXPECT_THAT(run.out, ::testing::Not(HasSubstr("CRITICAL  access_after_end")));
}

TEST_F(CompanyScan, AnExportWithAnEntryTwiceChangesNoFinding) {
  auto first = scan(config(), app::OutputFormat::json, "2026-05-18T09:00:00Z");
  ASSERT_EQ(first.code, 0) << first.err;
  // An employee's copy of bram after his own: keeping either copy could hide the other.
  const std::string original = read_file(*s_company / "directory.ldif");
  write_file(*s_company / "directory.ldif",
             original +
                 "\ndn: UID=Bram, OU=People,DC=Harbour,DC=Example\nobjectClass: "
                 "inetOrgPerson\nuid: bram\ncn: Bram Verhoef\nsn: Verhoef\n"
                 "employeeType: employee\n");
  auto second = scan(config(), app::OutputFormat::json, "2026-05-18T10:00:00Z");
  write_file(*s_company / "directory.ldif", original);
  EXPECT_EQ(second.code, app::k_exit_source);
  auto report = nlohmann::json::parse(second.out);
  EXPECT_EQ(report["directory"]["complete"], false);
  EXPECT_THAT(report["directory"]["error"].get<std::string>(),
              HasSubstr("entry 'UID=Bram, OU=People,DC=Harbour,DC=Example' appears again; first "
                        "at line 143"));
  EXPECT_EQ(report["findings"], nlohmann::json::parse(first.out)["findings"]);
}

TEST_F(CompanyScan, ALogLineOverTheLimitIsCountedAsSkipped) {
  scan(config(), app::OutputFormat::json, "2026-05-18T09:00:00Z");
  const fs::path log = *s_company / "logs" / "auth.log";
  const std::string original = read_file(log);
  // A login line padded past 64 KiB is damaged, not a login; the line after it is read.
  std::ofstream(log, std::ios::app)
      << "May 18 11:20:00 bill-2 sshd[4241]: Accepted password for bram from 10.20.9.9 port 5 "
         "ssh2 "
      << std::string(std::size_t{70} << 10, 'x') << "\n"
      << "May 18 11:30:00 bill-2 sshd[4242]: Accepted password for bram from 10.20.9.9 port 5 "
         "ssh2\n";
  auto second =
      nlohmann::json::parse(scan(config(), app::OutputFormat::json, "2026-05-18T10:00:00Z").out);
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

TEST_F(CompanyScan, FailOnSeverity) {
  EXPECT_EQ(
      scan(config(), app::OutputFormat::jsonl, "2026-05-18T09:00:00Z", Severity::critical).code,
      app::k_exit_findings);
  EXPECT_EQ(scan(config(), app::OutputFormat::jsonl, "2026-05-18T09:00:00Z").code, app::k_exit_ok);
}

TEST_F(CompanyScan, AnUnreadableDirectoryChangesNothingAndExitsThree) {
  auto first = scan(config(), app::OutputFormat::json, "2026-05-18T09:00:00Z");
  fs::rename(*s_company / "directory.ldif", *s_company / "directory.ldif.away");
  auto broken = scan(config(), app::OutputFormat::json, "2026-05-19T09:00:00Z");
  fs::rename(*s_company / "directory.ldif.away", *s_company / "directory.ldif");
  EXPECT_EQ(broken.code, app::k_exit_source);
  EXPECT_THAT(broken.err, HasSubstr("directory.ldif"));
  auto report = nlohmann::json::parse(broken.out);
  EXPECT_EQ(report["directory"]["complete"], false);
  // Every finding is still open, with its last sighting from the good scan.
  EXPECT_EQ(report["findings"].size(), nlohmann::json::parse(first.out)["findings"].size());
  for (const auto& f : report["findings"]) {
    EXPECT_EQ(f["status"], "open");
    EXPECT_EQ(f["last_seen"], "2026-05-18T09:00:00Z");
  }
}

TEST_F(CompanyScan, BadNowIsAUsageError) {
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

TEST_F(CompanyScan, HistoriesAreReadOnceAndAgainWhenTheirHeadMoves) {
  auto first = repositories_of(scan(config(), app::OutputFormat::json, "2026-05-18T09:00:00Z"));
  ASSERT_EQ(first.size(), 4u);
  for (const auto& [name, repository] : first) {
    EXPECT_EQ(repository["read"], true) << name;
    EXPECT_EQ(repository["head"].get<std::string>().size(), 40u) << name;
    EXPECT_FALSE(repository.contains("error")) << name;
  }
  auto second = repositories_of(scan(config(), app::OutputFormat::json, "2026-05-18T10:00:00Z"));
  for (const auto& [name, repository] : second) {
    EXPECT_EQ(repository["read"], false) << name;
    EXPECT_EQ(repository["head"], first[name]["head"]) << name;
  }
  const std::string git =
      "git --git-dir='" + (*s_company / "repos" / "gis-sync.git").string() + "' ";
  ASSERT_EQ(shell("c=$(echo fix | GIT_AUTHOR_NAME=Joost GIT_AUTHOR_EMAIL=joost@harbour.example "
                  "GIT_COMMITTER_NAME=Joost GIT_COMMITTER_EMAIL=joost@harbour.example " +
                  git + "commit-tree HEAD^{tree} -p HEAD) && " + git + "update-ref HEAD \"$c\""),
            0);
  auto third = repositories_of(scan(config(), app::OutputFormat::json, "2026-05-18T11:00:00Z"));
  for (const auto& [name, repository] : third)
    EXPECT_EQ(repository["read"], name == "gis-sync.git") << name;
  EXPECT_NE(third["gis-sync.git"]["head"], first["gis-sync.git"]["head"]);
}

TEST_F(CompanyScan, ARecordedHandoverResolvesTheFinding) {
  scan(config(), app::OutputFormat::jsonl, "2026-05-18T09:00:00Z");
  app::HandoverRecordOptions record{
      config(),    "eliska", "leak-detection", "wouter", "https://wiki.harbour.example/leaks",
      "2026-05-18"};
  std::ostringstream out, err;
  ASSERT_EQ(app::command_handover_record(record, out, err), app::k_exit_ok) << err.str();
  EXPECT_THAT(out.str(), ::testing::MatchesRegex(
                             "recorded handover [0-9]+: eliska handed leak-detection over to "
                             "wouter on 2026-05-18, documentation "
                             "https://wiki.harbour.example/leaks \\(recorded by .+\\)\n"));
  auto run = scan(config(), app::OutputFormat::table, "2026-05-18T10:00:00Z");
  EXPECT_THAT(run.out, HasSubstr("  handover_missing  eliska  leak-detection\n"));
  EXPECT_THAT(run.out, ::testing::Not(HasSubstr("HIGH      handover_missing  eliska")));
}

TEST_F(CompanyScan, AHandoverToAContractorIsKeptWithAWarningAndDoesNotCount) {
  scan(config(), app::OutputFormat::jsonl, "2026-05-18T09:00:00Z");
  app::HandoverRecordOptions record{config(), "eliska", "leak-detection", "tim", "", "2026-05-18"};
  std::ostringstream out, err;
  ASSERT_EQ(app::command_handover_record(record, out, err), app::k_exit_ok) << err.str();
  EXPECT_THAT(err.str(), HasSubstr("this handover will not count: the receiver tim is seconded"));
  auto run = scan(config(), app::OutputFormat::jsonl, "2026-05-18T10:00:00Z");
  std::istringstream in(run.out);
  EXPECT_EQ(finding_keys(in), expected_findings());
}

TEST_F(CompanyScan, AHandoverOfAnUnknownSystemIsAUsageError) {
  app::HandoverRecordOptions record{config(), "eliska", "leak-detecton", "wouter", "", ""};
  std::ostringstream out, err;
  EXPECT_EQ(app::command_handover_record(record, out, err), app::k_exit_usage);
  EXPECT_THAT(err.str(), HasSubstr("unknown system 'leak-detecton'"));
}

TEST_F(CompanyScan, ABrokenRepositoryLeavesTheKnowledgeFindingsAndExitsThree) {
  auto first = scan(config(), app::OutputFormat::jsonl, "2026-05-18T09:00:00Z");
  const fs::path repo = *s_company / "repos" / "netconfig.git";
  fs::rename(repo, repo.string() + ".away");
  auto broken = scan(config(), app::OutputFormat::json, "2026-05-19T09:00:00Z");
  fs::rename(repo.string() + ".away", repo);
  EXPECT_EQ(broken.code, app::k_exit_source);
  EXPECT_THAT(broken.err, HasSubstr("netconfig.git"));
  auto report = nlohmann::json::parse(broken.out);
  EXPECT_TRUE(repositories_of(broken)["netconfig.git"].contains("error"));
  int knowledge_findings = 0;
  for (const auto& f : report["findings"]) {
    if (f["kind"] != "single_point_of_knowledge" && f["kind"] != "handover_missing") continue;
    ++knowledge_findings;
    EXPECT_EQ(f["last_seen"], "2026-05-18T09:00:00Z") << f["kind"] << f["system"];
  }
  EXPECT_EQ(knowledge_findings, 7);
}

TEST_F(CompanyScan, ABrokenHandoversFileIsAConfigurationError) {
  const fs::path file = *s_company / "handovers.yaml";
  const std::string original = read_file(file);
  write_file(file, "- { person: femke, system: netconfig, receiver: wouter, date: 11-05-2026 }\n");
  auto run = scan(config(), app::OutputFormat::jsonl, "2026-05-18T09:00:00Z");
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
