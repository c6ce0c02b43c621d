// Alerts, acks, history and the evidence log through the real binary, on the bundled sample.
#include <gmock/gmock.h>
#include <pwd.h>
#include <unistd.h>

#include "fixtures/scenario.hpp"

namespace secondsight::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

Process run(const std::string& arguments, const std::string& environment = "") {
  return run_binary(arguments, environment);
}

std::vector<nlohmann::json> json_lines(const fs::path& path) {
  std::vector<nlohmann::json> out;
  std::istringstream in(read_file(path));
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  return out;
}

using Alert = std::tuple<std::string, std::string, std::string, std::string, std::string>;

// (change, kind, person, system, severity) of each alert line.
std::vector<Alert> alerts_in(const std::vector<nlohmann::json>& lines) {
  std::vector<Alert> out;
  for (const auto& o : lines)
    out.emplace_back(o["change"], o["kind"], or_dash(o["person"]), or_dash(o["system"]),
                     o["severity"]);
  std::sort(out.begin(), out.end());
  return out;
}

class SampleAlerts : public ::testing::Test {
 protected:
  void SetUp() override {
    m_sample = copy_sample();
    std::ofstream(m_sample / "config.yaml", std::ios::app)
        << "alerts:\n"
           "  - { type: jsonl, path: alerts.jsonl }\n"
           "  - { type: jsonl, path: critical.jsonl, min_severity: critical }\n";
  }
  void TearDown() override { fs::remove_all(m_sample); }

  std::string config() const { return "--config '" + (m_sample / "config.yaml").string() + "'"; }
  Process scan(const std::string& now) { return run("scan " + config() + " --now " + now); }
  std::string fingerprint_of(const std::string& kind, const std::string& person) {
    auto list = run("findings list --all --format jsonl " + config());
    std::istringstream in(list.out);
    for (std::string line; std::getline(in, line);) {
      auto o = nlohmann::json::parse(line);
      if (o["kind"] == kind && o["person"] == person) return o["fingerprint"];
    }
    ADD_FAILURE() << "no " << kind << " for " << person << " in " << list.out;
    return "";
  }

  fs::path m_sample;
};

TEST_F(SampleAlerts, AScanAlertsOnWhatChangedOnly) {
  ASSERT_EQ(scan("2026-06-01").code, 0);
  auto all = json_lines(m_sample / "alerts.jsonl");
  EXPECT_EQ(alerts_in(all),
            (std::vector<Alert>{
                {"opened", "access_after_end", "dirk", "-", "critical"},
                {"opened", "activity_after_end", "dirk", "-", "critical"},
                {"opened", "activity_after_end", "dirk", "billing", "critical"},
                {"opened", "engagement_ending", "eva", "-", "info"},
                {"opened", "handover_missing", "dirk", "billing", "high"},
                {"opened", "missing_end_date", "fatima", "-", "high"},
                {"opened", "need_to_know_violation", "gerrit", "scada", "critical"},
                {"opened", "need_to_know_violation", "hanna", "grid-analytics", "high"},
                {"opened", "offboarding_checklist", "dirk", "-", "info"},
                {"opened", "offboarding_checklist", "eva", "-", "info"},
                {"opened", "offboarding_checklist", "ilse", "-", "info"},
                {"opened", "single_point_of_knowledge", "-", "billing", "critical"},
                {"opened", "single_point_of_knowledge", "-", "grid-analytics", "high"},
                {"opened", "single_point_of_knowledge", "-", "scada", "high"},
                {"opened", "unused_access", "gerrit", "scada", "medium"},
            }));
  EXPECT_EQ(json_lines(m_sample / "critical.jsonl").size(), 5u);  // min_severity: critical
  for (const auto& alert : all) {
    EXPECT_EQ(alert["at"], "2026-05-31T22:00:00Z");
    EXPECT_THAT(alert["text"].get<std::string>(), HasSubstr("secondsight: "));
    EXPECT_EQ(alert["id"].get<std::string>().size(), 32u);
  }

  // The same data a day later: nothing changed, nothing is sent again.
  ASSERT_EQ(scan("2026-06-02").code, 0);
  EXPECT_EQ(json_lines(m_sample / "alerts.jsonl").size(), 15u);
  EXPECT_EQ(json_lines(m_sample / "critical.jsonl").size(), 5u);

  // A month on, eva's engagement has ended, and dirk left more than 30 days ago (no longer
  // asked for a handover): exactly those changes.
  ASSERT_EQ(scan("2026-07-01").code, 0);
  auto later = json_lines(m_sample / "alerts.jsonl");
  ASSERT_EQ(later.size(), 19u);
  EXPECT_EQ(alerts_in({later.begin() + 15, later.end()}),
            (std::vector<Alert>{{"opened", "access_after_end", "eva", "-", "critical"},
                                {"opened", "unused_access", "eva", "billing", "medium"},
                                {"resolved", "engagement_ending", "eva", "-", "info"},
                                {"resolved", "handover_missing", "dirk", "billing", "high"}}));
  auto critical = json_lines(m_sample / "critical.jsonl");
  ASSERT_EQ(critical.size(), 6u);
  EXPECT_EQ(critical.back()["person"], "eva");

  auto verify = run("evidence verify " + config());
  EXPECT_EQ(verify.code, 0) << verify.out;
  EXPECT_THAT(verify.out, HasSubstr("intact, 16 entries"));
}

TEST_F(SampleAlerts, AckHistoryAndList) {
  ASSERT_EQ(scan("2026-06-01").code, 0);
  const std::string fingerprint = fingerprint_of("engagement_ending", "eva");
  const bool root = ::geteuid() == 0;
  std::string user = "auditor";
  if (!root) user = ::getpwuid(::geteuid())->pw_name;

  auto ack = run("findings ack " + fingerprint.substr(0, 8) +
                     " --until 2099-12-31 --reason "
                     "'extension signed, HR-1234' " +
                     config(),
                 "SUDO_USER=auditor");
  ASSERT_EQ(ack.code, 0) << ack.out;
  EXPECT_THAT(ack.out, HasSubstr("acked " + fingerprint +
                                 " (engagement_ending eva -, open) "
                                 "until 2100-01-01 00:00 CET (2099-12-31T23:00:00Z) by " +
                                 user + ": extension signed, HR-1234"));

  // The list shows times in the configured zone (Europe/Amsterdam), as the scan does, under a
  // header row.
  auto list = run("findings list " + config());
  EXPECT_THAT(list.out, StartsWith("FINGERPRINT "));
  EXPECT_THAT(list.out, HasSubstr("SINCE"));
  EXPECT_THAT(list.out, HasSubstr(fingerprint + "  open "));
  EXPECT_THAT(list.out, HasSubstr("2026-06-01 00:00 CEST"));  // the scan of 2026-06-01 local
  EXPECT_THAT(list.out, Not(HasSubstr("T22:00:00Z")));
  EXPECT_THAT(list.out,
              HasSubstr("until 2100-01-01 00:00 CET by " + user + ": extension signed, HR-1234"));
  auto table = scan("2026-06-02");
  EXPECT_THAT(table.out, HasSubstr("[acked]"));

  ASSERT_EQ(scan("2026-07-01").code, 0);  // it resolves: a resolution is alerted even if acked
  auto history = run("findings history " + fingerprint + " --format json " + config());
  ASSERT_EQ(history.code, 0) << history.out;
  auto entries = nlohmann::json::parse(history.out);
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0]["change"], "opened");
  EXPECT_EQ(entries[0]["at"], "2026-05-31T22:00:00Z");
  EXPECT_EQ(
      entries[0]["alerts"],
      nlohmann::json::parse(R"([{"sink": "jsonl:)" + (m_sample / "alerts.jsonl").string() +
                            R"(", "status": "delivered", "attempts": 1,
                                  "delivered_at": ")" +
                            entries[0]["alerts"][0]["delivered_at"].get<std::string>() + R"("}])"));
  EXPECT_EQ(entries[1]["change"], "acked");
  EXPECT_EQ(entries[1]["ack"]["until"], "2099-12-31T23:00:00Z");
  EXPECT_EQ(entries[1]["ack"]["reason"], "extension signed, HR-1234");
  EXPECT_EQ(entries[1]["ack"]["by"], user);
  EXPECT_EQ(entries[2]["change"], "resolved");
  EXPECT_EQ(entries[2]["alerts"][0]["status"], "delivered");

  auto text = run("findings history " + fingerprint.substr(0, 10) + " " + config());
  EXPECT_EQ(text.code, 0);
  EXPECT_THAT(text.out, HasSubstr("acked"));
  EXPECT_THAT(text.out, HasSubstr("3 changes of " + fingerprint + " (engagement_ending  eva  -)"));
  // Times in the configured zone, as the scan and the list show them.
  EXPECT_THAT(text.out, StartsWith("2026-06-01 00:00 CEST  #"));
  EXPECT_THAT(text.out, HasSubstr("until 2100-01-01 00:00 CET by " + user));
  auto everything = run("findings history --all " + config());
  EXPECT_EQ(everything.code, 0);
  EXPECT_THAT(everything.out, HasSubstr("17 changes"));
}

TEST_F(SampleAlerts, AckAndHistoryRefuseWhatTheyCannotName) {
  ASSERT_EQ(scan("2026-06-01").code, 0);
  auto unknown = run("findings ack 0123456789abcdef --until 2099-01-01 --reason x " + config());
  EXPECT_EQ(unknown.code, 2);
  EXPECT_THAT(unknown.out, HasSubstr("no finding has the fingerprint 0123456789abcdef"));
  auto short_prefix = run("findings ack abc --until 2099-01-01 --reason x " + config());
  EXPECT_EQ(short_prefix.code, 2);
  EXPECT_THAT(short_prefix.out, HasSubstr("too short"));
  const std::string fingerprint = fingerprint_of("missing_end_date", "fatima");
  auto past = run("findings ack " + fingerprint + " --until 2001-01-01 --reason x " + config());
  EXPECT_EQ(past.code, 2);
  EXPECT_THAT(past.out, HasSubstr("is not in the future"));
  auto no_reason = run("findings ack " + fingerprint + " --until 2099-01-01 " + config());
  EXPECT_EQ(no_reason.code, 2);
  EXPECT_EQ(run("findings history " + config()).code, 2);
  EXPECT_EQ(run("findings history deadbeefdead " + config()).code, 2);
  // Nothing was acked.
  EXPECT_THAT(run("findings list " + config()).out, Not(HasSubstr("acked")));
}

TEST_F(SampleAlerts, EvidenceVerifyCatchesTamperingWithTheDatabase) {
  ASSERT_EQ(scan("2026-06-01").code, 0);
  auto verify = run("evidence verify " + config());
  ASSERT_EQ(verify.code, 0) << verify.out;
  EXPECT_THAT(verify.out, HasSubstr("intact, 12 entries; anchor for later checks (--anchor): 12:"));
  const std::string anchor = verify.out.substr(verify.out.rfind(" 12:") + 1, 67);
  EXPECT_EQ(run("evidence verify --anchor " + anchor + " " + config()).code, 0);

  const std::string db = (m_sample / "state" / "secondsight.db").string();
  auto sql = [&](const std::string& statement) {
    ASSERT_EQ(shell("sqlite3 '" + db + "' \"" + statement + "\""), 0) << statement;
  };
  // Someone cuts the last entry: only the anchor tells.
  sql("DELETE FROM evidence_log WHERE seq = 12");
  EXPECT_EQ(run("evidence verify " + config()).code, 0);
  auto cut = run("evidence verify --anchor " + anchor + " " + config());
  EXPECT_EQ(cut.code, 4);
  EXPECT_THAT(cut.out, HasSubstr("TAMPERED at entry 12"));

  // Someone softens what an entry says.
  sql("UPDATE evidence_log SET severity = 'low' WHERE seq = 3");
  auto edited = run("evidence verify " + config());
  EXPECT_EQ(edited.code, 4);
  EXPECT_THAT(edited.out, HasSubstr("TAMPERED at entry 3: entry 3 was edited"));

  EXPECT_EQ(run("evidence verify --anchor 12 " + config()).code, 2);
  auto missing = run("evidence verify --config /nonexistent/secondsight.yaml");
  EXPECT_EQ(missing.code, 2);
}

// The journal sink, read back with journalctl from a journald of the test's own, started in a
// private mount namespace (a tmpfs over /run/systemd), so the machine's journal is not touched.
// Needs root and unshare; skipped where the machine has neither.
TEST_F(SampleAlerts, TheJournalSinkWritesStructuredEntries) {
  if (::geteuid() != 0 || shell("unshare -m true >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "needs root and unshare for a private journald; journal_fields is tested "
                    "as a pure function in unit_alert";
  if (shell("test -x /lib/systemd/systemd-journald") != 0)
    GTEST_SKIP() << "no systemd-journald on this machine";
  std::ofstream(m_sample / "config.yaml", std::ios::app) << "  - { type: journal }\n";
  const fs::path out = m_sample / "journal.json";
  const fs::path script = m_sample / "journal.sh";
  std::ofstream(script) << "set -e\n"
                           "mount -t tmpfs tmpfs /run/systemd\n"
                           "mkdir -p /run/systemd/journal /run/log\n"
                           "mount -t tmpfs tmpfs /run/log\n"
                           "if [ -d /var/log/journal ]; then mount -t tmpfs tmpfs "
                           "/var/log/journal; fi\n"
                           "/lib/systemd/systemd-journald &\n"
                           "journald=$!\n"
                           "trap 'kill $journald' EXIT\n"
                           "for i in $(seq 100); do [ -S /run/systemd/journal/socket ] && "
                           "break; sleep 0.1; done\n"
                           "'" SECONDSIGHT_BINARY "' scan --config '"
                        << (m_sample / "config.yaml").string()
                        << "' --now 2026-06-01 >/dev/null\n"
                           "for i in $(seq 100); do\n"
                           "  journalctl --directory /run/log/journal -o json "
                           "SYSLOG_IDENTIFIER=secondsight > '"
                        << out.string()
                        << "'\n"
                           "  [ $(wc -l < '"
                        << out.string()
                        << "') -ge 15 ] && break; sleep 0.1\n"
                           "done\n";
  ASSERT_EQ(shell("timeout 60 unshare -m --propagation private sh '" + script.string() +
                  "' >/dev/null 2>&1"),
            0);
  auto entries = json_lines(out);
  ASSERT_EQ(entries.size(), 15u) << read_file(out);
  bool seen = false;
  for (const auto& entry : entries) {
    EXPECT_EQ(entry["SECONDSIGHT_CHANGE"], "opened");
    if (entry["SECONDSIGHT_KIND"] != "need_to_know_violation" ||
        entry["SECONDSIGHT_PERSON"] != "gerrit")
      continue;
    seen = true;
    EXPECT_EQ(entry["SECONDSIGHT_SYSTEM"], "scada");
    EXPECT_EQ(entry["SECONDSIGHT_SEVERITY"], "critical");
    EXPECT_EQ(entry["PRIORITY"], "2");
    EXPECT_EQ(entry["SECONDSIGHT_FINGERPRINT"].get<std::string>().size(), 32u);
    EXPECT_THAT(entry["MESSAGE"].get<std::string>(),
                HasSubstr("CRITICAL opened: need_to_know_violation for gerrit on scada"));
  }
  EXPECT_TRUE(seen);
}

}  // namespace
}  // namespace secondsight::testing
