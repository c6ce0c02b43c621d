// Handovers through the real binary on the test company: recorded, listed beside those of the
// handovers file, counted by a scan, revoked with a reason, and no longer counted; every step in
// the evidence log; mistyped names answered with the closest known one.
#include <gmock/gmock.h>
#include <pwd.h>
#include <unistd.h>

#include <regex>

#include "fixtures/scenario.hpp"
#include "secondsight/store/checklist_rows.hpp"
#include "secondsight/store/database.hpp"

namespace secondsight::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::vector<nlohmann::json> json_lines(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  return out;
}

const FindingKey k_eliska_handover{"handover_missing", "eliska", "leak-detection", "high"};

class Handovers : public ::testing::Test {
 protected:
  // The company's git repositories are built once; each test scans a copy of its own.
  static void SetUpTestSuite() { s_company = new fs::path(setup_company()); }
  static void TearDownTestSuite() {
    fs::remove_all(*s_company);
    delete s_company;
  }
  void SetUp() override {
    m_company = make_temp_dir("handover");
    fs::copy(*s_company, m_company, fs::copy_options::recursive);
    // Under sudo (or as root) the records name SUDO_USER; else the user running the tests.
    if (::geteuid() == 0) {
      m_environment = "SUDO_USER=auditor";
      m_user = "auditor";
    } else {
      m_user = ::getpwuid(::geteuid())->pw_name;
    }
  }
  void TearDown() override { fs::remove_all(m_company); }

  Process run(const std::string& arguments) {
    return run_binary(arguments + " --config '" + (m_company / "config.yaml").string() + "'",
                      m_environment);
  }
  std::set<FindingKey> scan(const std::string& now) {
    auto scanned = run("scan --format jsonl --now " + now);
    EXPECT_EQ(scanned.code, 0) << scanned.out;
    std::istringstream lines(scanned.out);
    return finding_keys(lines);
  }
  // Records eliska's handover of leak-detection to wouter and returns its id.
  std::string record_eliska() {
    auto recorded =
        run("handover record --person eliska --system leak-detection --receiver wouter "
            "--date 2026-05-18 --doc https://wiki.harbour.example/leaks");
    EXPECT_EQ(recorded.code, 0) << recorded.out;
    std::smatch match;
    const std::regex line(
        "recorded handover ([0-9]+): eliska handed leak-detection over to wouter on 2026-05-18, "
        "documentation https://wiki.harbour.example/leaks \\(recorded by " +
        m_user + "\\)\n");
    EXPECT_TRUE(std::regex_search(recorded.out, match, line)) << recorded.out;
    return match.empty() ? "0" : match[1].str();
  }
  nlohmann::json listed(const std::string& filters = "") {
    auto list = run("handover list --format json " + filters);
    EXPECT_EQ(list.code, 0) << list.out;
    return nlohmann::json::parse(list.out);
  }

  static fs::path* s_company;
  fs::path m_company;
  std::string m_environment;
  std::string m_user;
};

fs::path* Handovers::s_company = nullptr;

TEST_F(Handovers, RecordedCountedRevokedAndCountedNoMore) {
  ASSERT_EQ(scan("2026-05-18T09:00:00Z").count(k_eliska_handover), 1u);
  const std::string id = record_eliska();

  // Listed beside the three of the handovers file, which say where they come from.
  auto table = run("handover list");
  ASSERT_EQ(table.code, 0) << table.out;
  EXPECT_THAT(table.out, HasSubstr("ID  SOURCE"));
  EXPECT_THAT(table.out, HasSubstr("handovers.yaml:2"));
  EXPECT_THAT(table.out, HasSubstr("handovers.yaml:4"));
  EXPECT_THAT(table.out, HasSubstr("by " + m_user));
  EXPECT_THAT(table.out, HasSubstr("\n4 handovers\n"));
  auto all = listed();
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0]["source"], "file");
  EXPECT_EQ(all[0]["id"], nullptr);
  EXPECT_EQ(all[0]["person"], "ilse");
  const auto recorded = all[3];
  EXPECT_EQ(recorded["source"], "store");
  EXPECT_EQ(recorded["id"], std::stoi(id));
  EXPECT_EQ(recorded["person"], "eliska");
  EXPECT_EQ(recorded["system"], "leak-detection");
  EXPECT_EQ(recorded["receiver"], "wouter");
  EXPECT_EQ(recorded["date"], "2026-05-18");
  EXPECT_EQ(recorded["doc"], "https://wiki.harbour.example/leaks");
  EXPECT_EQ(recorded["recorded_by"], m_user);
  EXPECT_EQ(recorded["revoked"], false);
  EXPECT_EQ(recorded["revoked_reason"], nullptr);

  // The handover counts: the finding resolves and the checklist item is done.
  ASSERT_EQ(scan("2026-05-18T10:00:00Z").count(k_eliska_handover), 0u);
  // As the scans keep eliska's checklist.
  const auto item_done = [&] {
    const auto checklist =
        nlohmann::json::parse(read_file(m_company / "state" / "checklists" / "eliska.json"));
    for (const auto& item : checklist["items"])
      if (item["id"] == "handover:leak-detection") return item["done"].get<bool>();
    ADD_FAILURE() << "no handover:leak-detection on " << checklist;
    return false;
  };
  EXPECT_TRUE(item_done());

  // Every other item of eliska's checklist done too: a finished checklist is kept as it was,
  // so revoking must open the handover item again for the next scan to look at.
  {
    auto db = store::Database::open(m_company / "state" / "secondsight.db");
    ASSERT_TRUE(db) << db.error().message;
    ASSERT_TRUE(
        db->exec("UPDATE checklist_items SET done_at = '2026-05-18T10:00:00Z' "
                 "WHERE person = 'eliska' AND done_at IS NULL"));
    auto kept = store::ChecklistRows(*db).kept();
    ASSERT_TRUE(kept);
    ASSERT_EQ(kept->at("eliska"), false);
  }

  auto revoke =
      run("handover revoke " + id + " --reason 'wouter was on leave; nothing was handed over'");
  ASSERT_EQ(revoke.code, 0) << revoke.out;
  EXPECT_THAT(revoke.out, HasSubstr("revoked handover " + id +
                                    ": eliska handed leak-detection over to wouter on 2026-05-18"));
  EXPECT_THAT(revoke.out,
              HasSubstr("revoked by " + m_user + ": wouter was on leave; nothing was handed over"));
  EXPECT_THAT(revoke.out, HasSubstr("the checklist item handover:leak-detection of eliska is "
                                    "open again"));

  // Listed as revoked, with who and why.
  auto after = listed("--person eliska");
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0]["revoked"], true);
  EXPECT_EQ(after[0]["revoked_by"], m_user);
  EXPECT_EQ(after[0]["revoked_reason"], "wouter was on leave; nothing was handed over");
  EXPECT_TRUE(after[0]["revoked_at"].is_string());
  table = run("handover list");
  EXPECT_THAT(table.out, HasSubstr("by " + m_user +
                                   ": wouter was on leave; nothing was "
                                   "handed over\n"));
  EXPECT_THAT(table.out, HasSubstr("\n4 handovers, 1 revoked\n"));

  // The next scan no longer counts it: the finding is back, the checklist item open.
  EXPECT_EQ(scan("2026-05-18T11:00:00Z").count(k_eliska_handover), 1u);
  EXPECT_FALSE(item_done());

  // Both on the evidence log, which is intact.
  auto history = run("findings history --all --format jsonl");
  ASSERT_EQ(history.code, 0) << history.out;
  std::vector<nlohmann::json> handover_entries;
  for (auto& entry : json_lines(history.out))
    if (entry["fingerprint"] == "handover:" + id) handover_entries.push_back(entry);
  ASSERT_EQ(handover_entries.size(), 2u) << history.out;
  EXPECT_EQ(handover_entries[0]["change"], "handover_recorded");
  EXPECT_EQ(handover_entries[0]["handover"]["by"], m_user);
  EXPECT_EQ(handover_entries[0]["person"], "eliska");
  EXPECT_EQ(handover_entries[1]["change"], "handover_revoked");
  EXPECT_EQ(handover_entries[1]["handover"]["by"], m_user);
  EXPECT_EQ(handover_entries[1]["handover"]["reason"],
            "wouter was on leave; nothing was handed over");
  auto verify = run("evidence verify");
  EXPECT_EQ(verify.code, 0) << verify.out;
  EXPECT_THAT(verify.out, HasSubstr("intact"));
}

TEST_F(Handovers, RevokeRefusesBadIdsEmptyReasonsAndASecondRevocation) {
  ASSERT_EQ(scan("2026-05-18T09:00:00Z").count(k_eliska_handover), 1u);
  const std::string id = record_eliska();

  auto not_a_number = run("handover revoke 1x --reason typo");
  EXPECT_EQ(not_a_number.code, 2);
  EXPECT_THAT(not_a_number.out, HasSubstr("'1x' is no handover id"));
  auto unknown = run("handover revoke 999 --reason typo");
  EXPECT_EQ(unknown.code, 2);
  EXPECT_THAT(unknown.out, HasSubstr("no recorded handover has the id 999"));
  auto blank = run("handover revoke " + id + " --reason '  '");
  EXPECT_EQ(blank.code, 2);
  EXPECT_THAT(blank.out, HasSubstr("--reason: say why the handover is revoked"));
  EXPECT_EQ(run("handover revoke " + id).code, 2);  // --reason is required
  EXPECT_EQ(listed()[3]["revoked"], false);

  ASSERT_EQ(run("handover revoke " + id + " --reason 'wrong receiver'").code, 0);
  auto again = run("handover revoke " + id + " --reason 'wrong receiver'");
  EXPECT_EQ(again.code, 2);
  EXPECT_THAT(again.out, HasSubstr("handover " + id + " was revoked already"));
  EXPECT_THAT(again.out, HasSubstr("by " + m_user + ": wrong receiver"));

  // One revocation on the evidence log, and the log intact.
  auto history = run("findings history --all --format jsonl");
  int revocations = 0;
  for (const auto& entry : json_lines(history.out))
    revocations += entry["change"] == "handover_revoked" ? 1 : 0;
  EXPECT_EQ(revocations, 1);
  EXPECT_EQ(run("evidence verify").code, 0);
}

TEST_F(Handovers, MistypedNamesComeWithTheClosestKnownOne) {
  ASSERT_EQ(scan("2026-05-18T09:00:00Z").count(k_eliska_handover), 1u);
  auto system = run("handover record --person eliska --system leak-detecton --receiver wouter");
  EXPECT_EQ(system.code, 2);
  EXPECT_THAT(system.out,
              HasSubstr("unknown system 'leak-detecton'; did you mean 'leak-detection'?"));

  // A person is checked against the directory, and the record kept all the same.
  auto person = run("handover record --person elisk --system leak-detection --receiver woutr");
  EXPECT_EQ(person.code, 0) << person.out;
  EXPECT_THAT(person.out, HasSubstr("warning: the person 'elisk' is no one in the directory; "
                                    "did you mean 'eliska'?"));
  EXPECT_THAT(person.out, HasSubstr("the receiver 'woutr' is no one in the directory; did you "
                                    "mean 'wouter'?"));

  auto list_system = run("handover list --system leak-detecton");
  EXPECT_EQ(list_system.code, 2);
  EXPECT_THAT(list_system.out,
              HasSubstr("unknown system 'leak-detecton'; did you mean 'leak-detection'?"));
  auto list_person = run("handover list --person elska");
  EXPECT_EQ(list_person.code, 2);
  EXPECT_THAT(list_person.out, HasSubstr("'elska' is no one in the directory and no handover "
                                         "names them; did you mean 'eliska'?"));
  // A name only a record holds is no typo: its records are listed.
  auto recorded = listed("--person elisk");
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0]["receiver"], "woutr");
}

TEST_F(Handovers, ListFiltersByPersonIdOrAliasAndBySystem) {
  ASSERT_EQ(scan("2026-05-18T09:00:00Z").size(), company_expected_findings().size());
  record_eliska();
  auto by_alias = listed("--person ELISKA@harbour.example");
  ASSERT_EQ(by_alias.size(), 1u);
  EXPECT_EQ(by_alias[0]["person"], "eliska");
  auto billing = listed("--system billing-engine");
  ASSERT_EQ(billing.size(), 2u);
  EXPECT_EQ(billing[0]["person"], "ilse");
  EXPECT_EQ(billing[1]["person"], "tim");
  EXPECT_EQ(listed("--person tim --system billing-engine").size(), 1u);
  EXPECT_EQ(listed("--person wouter").size(), 0u);  // known, but handed nothing over
  auto jsonl = run("handover list --format jsonl --system telemetry");
  ASSERT_EQ(jsonl.code, 0) << jsonl.out;
  auto lines = json_lines(jsonl.out);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["person"], "femke");
  EXPECT_THAT(lines[0]["file"].get<std::string>(), HasSubstr("handovers.yaml:3"));
}

TEST_F(Handovers, ListRefusesAStateThatDoesNotExistAndCreatesNone) {
  ASSERT_FALSE(fs::exists(m_company / "state"));
  auto list = run("handover list");
  EXPECT_EQ(list.code, 2);
  EXPECT_THAT(list.out, HasSubstr((m_company / "state").string()));
  EXPECT_FALSE(fs::exists(m_company / "state"));
  auto revoke = run("handover revoke 1 --reason typo");
  EXPECT_EQ(revoke.code, 2);
  EXPECT_FALSE(fs::exists(m_company / "state"));
}

}  // namespace
}  // namespace secondsight::testing
