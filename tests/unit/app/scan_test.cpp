// `secondsight scan` end to end on the acme scenario and the bundled sample, in process.
#include <gmock/gmock.h>

#include "scenario.hpp"
#include "secondsight/app/commands.hpp"

namespace secondsight::testing {
namespace {

using ::testing::HasSubstr;

// The kinds this build evaluates, and the expected findings that need activity data
// (rosa's need-to-know violation comes from her use of payments-api alone).
const std::set<std::string> k_directory_kinds{"access_after_end", "missing_end_date",
                                              "engagement_ending", "need_to_know_violation"};
const std::set<FindingKey> k_from_activity{
    {"need_to_know_violation", "rosa", "payments-api", "high"}};

std::set<FindingKey> expected_directory_findings() {
  std::ifstream in(std::string(SECONDSIGHT_SHARED_DIR) + "/scenarios/acme/expected-findings.jsonl");
  std::set<FindingKey> out;
  for (const auto& key : finding_keys(in))
    if (k_directory_kinds.count(std::get<0>(key)) && !k_from_activity.count(key)) out.insert(key);
  return out;
}

struct Run {
  int code;
  std::string out;
  std::string err;
};

Run scan(const fs::path& config, app::OutputFormat format, const std::string& now,
         std::optional<checks::Severity> fail_on = std::nullopt) {
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

TEST_F(AcmeScan, ReportsExactlyTheExpectedDirectoryFindings) {
  auto run = scan(config(), app::OutputFormat::jsonl, "2026-03-16T12:00:00Z");
  ASSERT_EQ(run.code, 0) << run.err;
  std::istringstream in(run.out);
  std::set<FindingKey> actual;
  for (const auto& key : finding_keys(in))
    if (k_directory_kinds.count(std::get<0>(key))) actual.insert(key);
  EXPECT_EQ(actual, expected_directory_findings());
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
  EXPECT_TRUE(report["sources"].is_array());
  EXPECT_EQ(report["findings"].size(), expected_directory_findings().size());
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

TEST_F(AcmeScan, FailOnSeverity) {
  EXPECT_EQ(
      scan(config(), app::OutputFormat::jsonl, "2026-03-16T12:00:00Z", checks::Severity::critical)
          .code,
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

TEST(SampleScan, TheBundledSampleShowsEachDirectoryFinding) {
  fs::path sample = copy_sample();
  auto run = scan(sample / "config.yaml", app::OutputFormat::jsonl, "2026-06-01");
  ASSERT_EQ(run.code, 0) << run.err;
  std::istringstream in(run.out);
  EXPECT_EQ(finding_keys(in), (std::set<FindingKey>{
                                  {"access_after_end", "dirk", "-", "critical"},
                                  {"engagement_ending", "eva", "-", "info"},
                                  {"missing_end_date", "fatima", "-", "high"},
                                  {"need_to_know_violation", "gerrit", "scada", "critical"},
                                  {"need_to_know_violation", "hanna", "grid-analytics", "high"},
                              }));
  fs::remove_all(sample);
}

}  // namespace
}  // namespace secondsight::testing
