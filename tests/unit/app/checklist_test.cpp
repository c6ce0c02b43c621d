// `secondsight checklist` on the test company: the checklist of each seconded person item by
// item, items that tick themselves, manual ticks, and hostile directory values made inert.
#include <gmock/gmock.h>

#include <map>

#include "fixtures/scenario.hpp"
#include "secondsight/app/commands.hpp"

namespace secondsight::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct Printed {
  int code;
  std::string out;
  std::string err;
};

class CompanyChecklist : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { s_company = new fs::path(setup_company()); }
  static void TearDownTestSuite() {
    fs::remove_all(*s_company);
    delete s_company;
  }
  void SetUp() override {
    fs::remove_all(*s_company / "state");
    m_ldif = read_file(*s_company / "directory.ldif");
  }
  void TearDown() override { write_file(*s_company / "directory.ldif", m_ldif); }

  Printed checklist(const std::string& person, app::ChecklistFormat format,
                    const std::string& now = k_company_now, std::vector<std::string> done = {}) {
    app::ChecklistCommandOptions options{*s_company / "config.yaml", person, now, format,
                                         std::move(done)};
    std::ostringstream out, err;
    if (options.done.empty()) {
      // Showing changes nothing: the checklist is as the scan at `now` keeps it.
      app::ScanOptions scan;
      scan.config = options.config;
      scan.now = now;
      scan.format = app::OutputFormat::json;
      std::ostringstream scanned;
      app::command_scan(scan, scanned, err);
    }
    int code = app::command_checklist(options, out, err);
    return {code, out.str(), err.str()};
  }
  nlohmann::json json(const std::string& person, const std::string& now = k_company_now,
                      std::vector<std::string> done = {}) {
    auto printed = checklist(person, app::ChecklistFormat::json, now, std::move(done));
    EXPECT_EQ(printed.code, 0) << printed.err;
    return nlohmann::json::parse(printed.out);
  }
  static std::vector<std::string> ids(const nlohmann::json& list) {
    std::vector<std::string> out;
    for (const auto& item : list["items"]) out.push_back(item["id"]);
    return out;
  }
  static const nlohmann::json& item(const nlohmann::json& list, const std::string& id) {
    for (const auto& entry : list["items"])
      if (entry["id"] == id) return entry;
    static const nlohmann::json none;
    ADD_FAILURE() << "no item " << id;
    return none;
  }

  std::string m_ldif;
  static fs::path* s_company;
};
fs::path* CompanyChecklist::s_company = nullptr;

const std::vector<std::string> k_policy_items{"policy:1", "policy:2", "policy:3"};

std::vector<std::string> with_policy(std::vector<std::string> items) {
  items.insert(items.end(), k_policy_items.begin(), k_policy_items.end());
  return items;
}

// Every seconded person of the company: each group to leave, the account, each system to hand
// over (done where a handover counts), then the policy's three items.
TEST_F(CompanyChecklist, EverySecondedPersonItemByItem) {
  const std::string g = "group:cn=", o = ",ou=groups,dc=harbour,dc=example";
  const std::map<std::string, std::vector<std::pair<std::string, bool>>> expected{
      {"bram",
       {{g + "billing-contractors" + o, false},
        {g + "everyone" + o, false},
        {"account", false},
        {"handover:billing-engine", false}}},
      {"daan", {{g + "everyone" + o, false}, {"account", false}}},
      {"eliska",
       {{g + "everyone" + o, false},
        {g + "gis-ops" + o, false},
        {g + "leak-detection-analysts,ou=project-groups" + o, false},
        {"account", false},
        {"handover:leak-detection", false}}},
      {"femke",
       {{g + "everyone" + o, false},
        {g + "netops" + o, false},
        {g + "telemetry-admins" + o, false},
        {"account", false},
        {"handover:telemetry", true},
        {"handover:netconfig", false}}},
      {"hamza",
       {{g + "everyone" + o, false},
        {g + "gis-ops" + o, false},
        {"account", false},
        {"handover:gis", false}}},
      {"ilse",
       {{g + "billing-contractors" + o, false},
        {g + "everyone" + o, false},
        {"account", false},
        {"handover:billing-engine", true}}},
      {"milan",
       {{g + "everyone" + o, false},
        {g + "telemetry-admins" + o, false},
        {"account", false},
        {"handover:telemetry", false}}},
      {"noor",
       {{g + "billing-contractors" + o, false},
        {g + "crm-readers" + o, false},
        {g + "everyone" + o, false},
        {"account", false},
        {"handover:billing-engine", false}}},
      {"ravi", {{"account", true}}},
      {"tim",
       {{g + "billing-contractors" + o, false},
        {g + "everyone" + o, false},
        {"account", false},
        {"handover:billing-engine", false}}},
      {"yara",
       {{g + "everyone" + o, false}, {g + "telemetry-admins" + o, false}, {"account", false}}},
  };
  for (const auto& [person, items] : expected) {
    auto list = json(person);
    std::vector<std::pair<std::string, bool>> actual;
    for (const auto& entry : list["items"])
      actual.emplace_back(entry["id"].get<std::string>(), entry["done"].get<bool>());
    auto wanted = items;
    for (const auto& policy : k_policy_items) wanted.emplace_back(policy, false);
    EXPECT_EQ(actual, wanted) << person;
    EXPECT_EQ(list["activity_after_end"].empty(), person != "bram") << person;
  }
}

TEST_F(CompanyChecklist, BramHasEverythingToRevokeAndActivityAfterTheEnd) {
  auto list = json("bram");
  EXPECT_EQ(list["schema"], "secondsight.checklist/1");
  EXPECT_EQ(list["agency"], "Tideway Consulting");
  EXPECT_EQ(list["manager"], "lotte (Lotte Willems)");
  EXPECT_EQ(list["end_stated"], "2026-04-30");
  EXPECT_EQ(list["account"], "enabled");
  EXPECT_EQ(ids(list), with_policy({"group:cn=billing-contractors,ou=groups,dc=harbour,dc=example",
                                    "group:cn=everyone,ou=groups,dc=harbour,dc=example", "account",
                                    "handover:billing-engine"}));
  const auto& group = item(list, "group:cn=billing-contractors,ou=groups,dc=harbour,dc=example");
  EXPECT_EQ(group["text"],
            "Remove bram from cn=billing-contractors,ou=groups,dc=harbour,dc=example: it grants "
            "billing-engine (critical)");
  EXPECT_EQ(group["due"], "2026-04-30T22:00:00Z");
  EXPECT_EQ(group["done"], false);
  EXPECT_EQ(item(list, "account")["text"],
            "Disable the account uid=bram,ou=people,dc=harbour,dc=example");
  EXPECT_EQ(item(list, "handover:billing-engine")["due"], "2026-04-23T22:00:00Z");
  ASSERT_FALSE(list["activity_after_end"].empty());
  EXPECT_FALSE(list["events_after_end"].empty());
  auto markdown = checklist("bram", app::ChecklistFormat::markdown).out;
  EXPECT_THAT(markdown, HasSubstr("> **Activity after the end**"));
  EXPECT_THAT(markdown,
              HasSubstr("- [ ] Disable the account uid=bram,ou=people,dc=harbour,dc=example"));
}

TEST_F(CompanyChecklist, EliskaLeavesLeakDetectionWithoutAHandover) {
  auto list = json("eliska");
  const auto& handover = item(list, "handover:leak-detection");
  EXPECT_EQ(handover["done"], false);
  const auto& details = handover["details"];
  EXPECT_EQ(details["truck_factor"], 1);
  EXPECT_EQ(details["truck_factor_without"], 0);
  EXPECT_EQ(details["author"], true);
  ASSERT_FALSE(details["suggested_receivers"].empty());
  EXPECT_EQ(details["suggested_receivers"][0]["person"], "wouter");
  EXPECT_FALSE(details["docs_touched"].empty());
  for (const auto& path : details["docs_touched"]) {
    const std::string p = path;
    EXPECT_TRUE(p.rfind("docs/", 0) == 0 || (p.size() > 3 && p.substr(p.size() - 3) == ".md")) << p;
  }
}

TEST_F(CompanyChecklist, TimsHandoverToAContractorDoesNotCount) {
  auto list = json("tim");
  const auto& handover = item(list, "handover:billing-engine");
  EXPECT_EQ(handover["done"], false);
  ASSERT_EQ(handover["details"]["handovers"].size(), 1u);
  EXPECT_EQ(handover["details"]["handovers"][0]["receiver"], "bram");
  EXPECT_EQ(handover["details"]["handovers"][0]["counts"], false);
  EXPECT_THAT(handover["details"]["handovers"][0]["problem"].get<std::string>(),
              HasSubstr("seconded too"));
}

TEST_F(CompanyChecklist, FemkesRecordedHandoverIsDoneAndTheOtherIsNot) {
  auto list = json("femke");
  EXPECT_EQ(item(list, "handover:telemetry")["done"], true);
  EXPECT_THAT(item(list, "handover:telemetry")["done_how"].get<std::string>(),
              HasSubstr("handed over to joost on 2026-05-11"));
  EXPECT_EQ(item(list, "handover:netconfig")["done"], false);
}

TEST_F(CompanyChecklist, ItemsTickThemselvesWhenTheDirectoryChanges) {
  json("bram");
  std::string ldif = m_ldif;
  const std::string marker = "contractEndDate: 2026-04-30\n";
  ldif.replace(ldif.find(marker), marker.size(),
               marker + "pwdAccountLockedTime: 20260519070000Z\n");
  const std::string member = "member: uid=bram,ou=people,dc=harbour,dc=example\n";
  for (auto at = ldif.find(member); at != std::string::npos; at = ldif.find(member))
    ldif.erase(at, member.size());
  write_file(*s_company / "directory.ldif", ldif);

  auto list = json("bram", "2026-05-19T08:00:00Z");
  for (const auto* id : {"group:cn=billing-contractors,ou=groups,dc=harbour,dc=example",
                         "group:cn=everyone,ou=groups,dc=harbour,dc=example"}) {
    EXPECT_EQ(item(list, id)["done"], true) << id;
    EXPECT_EQ(item(list, id)["done_at"], "2026-05-19T08:00:00Z") << id;
    EXPECT_EQ(item(list, id)["done_how"], "no longer a member of the group") << id;
  }
  EXPECT_EQ(item(list, "account")["done"], true);
  EXPECT_EQ(item(list, "account")["done_how"], "the account is disabled");
  EXPECT_EQ(item(list, "handover:billing-engine")["done"], false);
  // A later scan keeps when they were first seen done.
  auto later = json("bram", "2026-05-20T08:00:00Z");
  EXPECT_EQ(item(later, "account")["done_at"], "2026-05-19T08:00:00Z");
  auto markdown = checklist("bram", app::ChecklistFormat::markdown, "2026-05-20T09:00:00Z").out;
  EXPECT_THAT(markdown, HasSubstr("- [x] Disable the account"));
}

TEST_F(CompanyChecklist, ManualItemsAreTickedByHand) {
  auto list = json("eliska", "2026-05-18T09:00:00Z", {"policy:2"});
  EXPECT_EQ(item(list, "policy:2")["done"], true);
  EXPECT_THAT(item(list, "policy:2")["done_how"].get<std::string>(), HasSubstr("ticked by "));
  EXPECT_EQ(item(list, "policy:1")["done"], false);
  auto again = json("eliska", "2026-05-18T10:00:00Z");
  EXPECT_EQ(item(again, "policy:2")["done"], true);
  EXPECT_EQ(item(again, "policy:2")["done_at"], "2026-05-18T09:00:00Z");

  auto refused =
      checklist("eliska", app::ChecklistFormat::json, "2026-05-18T10:00:00Z", {"account"});
  EXPECT_EQ(refused.code, app::k_exit_usage);
  EXPECT_THAT(refused.err, HasSubstr("ticks itself"));
  auto unknown =
      checklist("eliska", app::ChecklistFormat::json, "2026-05-18T10:00:00Z", {"policy:9"});
  EXPECT_EQ(unknown.code, app::k_exit_usage);
  EXPECT_THAT(unknown.err, HasSubstr("no item 'policy:9'"));
}

TEST_F(CompanyChecklist, ScansWriteTheChecklistsOfPeopleNearTheirEnd) {
  app::ScanOptions options{*s_company / "config.yaml", "2026-05-18T09:00:00Z",
                           app::OutputFormat::jsonl, std::nullopt};
  std::ostringstream out, err;
  ASSERT_EQ(app::command_scan(options, out, err), 0) << err.str();
  const fs::path folder = *s_company / "state" / "checklists";
  // Within 30 days of the end, or past it: bram, ravi, ilse, tim, eliska, femke.
  for (const char* person : {"bram", "eliska", "femke", "ilse", "ravi", "tim"})
    for (const char* extension : {".md", ".html", ".json"})
      EXPECT_TRUE(fs::exists(folder / (std::string(person) + extension))) << person << extension;
  EXPECT_FALSE(fs::exists(folder / "noor.json"));
  EXPECT_FALSE(fs::exists(folder / "lotte.json"));
  // Each new checklist is announced once, severity info, through the alert sinks.
  auto announced = [&] {
    std::multiset<std::string> people;
    std::ifstream alerts(*s_company / "state" / "alerts.jsonl");
    for (std::string line; std::getline(alerts, line);) {
      auto alert = nlohmann::json::parse(line);
      if (alert["kind"] != "offboarding_checklist") continue;
      EXPECT_EQ(alert["severity"], "info");
      EXPECT_EQ(alert["change"], "opened");
      people.insert(alert["person"].get<std::string>());
    }
    return people;
  };
  const std::multiset<std::string> six{"bram", "eliska", "femke", "ilse", "ravi", "tim"};
  EXPECT_EQ(announced(), six);
  const auto held = [&](const char* name) { return read_file(folder / name); };
  const std::string bram = held("bram.json"), ravi = held("ravi.md");
  EXPECT_THAT(bram, HasSubstr("\"now\": \"2026-05-18T09:00:00Z\""));
  std::ostringstream again_out, again_err;
  options.now = "2026-05-18T10:00:00Z";
  ASSERT_EQ(app::command_scan(options, again_out, again_err), 0) << again_err.str();
  EXPECT_EQ(announced(), six);
  // Nothing changed for them: the files stay as they were, as of the scan that wrote them.
  EXPECT_EQ(held("bram.json"), bram);
  EXPECT_EQ(held("ravi.md"), ravi);

  // Bram's account is disabled: his checklist changes, and its files say as of when.
  std::string ldif = m_ldif;
  const std::string marker = "contractEndDate: 2026-04-30\n";
  ldif.replace(ldif.find(marker), marker.size(),
               marker + "pwdAccountLockedTime: 20260518103000Z\n");
  write_file(*s_company / "directory.ldif", ldif);
  std::ostringstream third_out, third_err;
  options.now = "2026-05-18T11:00:00Z";
  ASSERT_EQ(app::command_scan(options, third_out, third_err), 0) << third_err.str();
  EXPECT_THAT(held("bram.json"), HasSubstr("\"now\": \"2026-05-18T11:00:00Z\""));
  EXPECT_THAT(held("bram.md"), HasSubstr("- [x] Disable the account"));
  EXPECT_EQ(held("ravi.md"), ravi);
}

TEST_F(CompanyChecklist, AnUnknownPersonIsAUsageError) {
  auto printed = checklist("nobody", app::ChecklistFormat::markdown);
  EXPECT_EQ(printed.code, app::k_exit_usage);
  EXPECT_THAT(printed.err, HasSubstr("'nobody'"));
}

// The HTML printed to PDF by headless Chromium (Debian package chromium), read back with
// pdftotext (poppler-utils): the checklist prints, and what the directory says is text.
TEST_F(CompanyChecklist, TheHtmlPrintsToPdfInChromium) {
  std::string ldif = m_ldif;
  const std::string cn = "cn:: RWxpxaFrYSBOb3bDoWtvdsOh\n";
  ldif.replace(ldif.find(cn), cn.size(), "cn: <b>Eliska</b> <script>document.title='x'</script>\n");
  write_file(*s_company / "directory.ldif", ldif);
  auto html = checklist("eliska", app::ChecklistFormat::html);
  ASSERT_EQ(html.code, 0) << html.err;
  const fs::path work = make_temp_dir("pdf");
  write_file(work / "eliska.html", html.out);
  const std::string chromium =
      "chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer "
      "--user-data-dir='" +
      (work / "profile").string() + "' --print-to-pdf='" + (work / "eliska.pdf").string() +
      "' 'file://" + (work / "eliska.html").string() + "' >/dev/null 2>&1";
  ASSERT_EQ(shell(chromium), 0) << "needs chromium (scripts/install-deps installs it)";
  ASSERT_EQ(shell("pdftotext -layout '" + (work / "eliska.pdf").string() + "' '" +
                  (work / "eliska.txt").string() + "'"),
            0)
      << "needs pdftotext (poppler-utils)";
  const std::string text = read_file(work / "eliska.txt");
  EXPECT_THAT(text, HasSubstr("Offboarding checklist: eliska"));
  EXPECT_THAT(text, HasSubstr("<b>Eliska</b>"));
  EXPECT_THAT(text, HasSubstr("<script>document.title='x'</script>"));
  EXPECT_THAT(text, HasSubstr("Remove eliska from"));
  EXPECT_THAT(text,
              HasSubstr("Hand leak-detection (Leak detection models) over to a current employee"));
  EXPECT_THAT(text, HasSubstr("truck factor 1 now, 0 without them"));
  fs::remove_all(work);
}

TEST_F(CompanyChecklist, HostileDirectoryValuesComeOutInert) {
  std::string ldif = m_ldif;
  const std::string cn = "cn:: RWxpxaFrYSBOb3bDoWtvdsOh\n";
  ASSERT_NE(ldif.find(cn), std::string::npos);
  ldif.replace(
      ldif.find(cn), cn.size(),
      "cn: <script>alert(1)</script> *Eliska* [x](http://evil.example) `rm` _y_ # | ~~z~~\n");
  write_file(*s_company / "directory.ldif", ldif);
  const std::string hostile =
      "<script>alert(1)</script> *Eliska* [x](http://evil.example) `rm` _y_ # | ~~z~~";

  auto list = json("eliska");
  EXPECT_EQ(list["name"], hostile);
  auto html = checklist("eliska", app::ChecklistFormat::html).out;
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
  auto markdown = checklist("eliska", app::ChecklistFormat::markdown).out;
  EXPECT_THAT(markdown, Not(HasSubstr("<script>")));
  EXPECT_THAT(markdown,
              HasSubstr("\\<script\\>alert(1)\\</script\\> \\*Eliska\\* "
                        "\\[x\\](http://evil.example) \\`rm\\` \\_y\\_ \\# \\| \\~\\~z\\~\\~"));
}

}  // namespace
}  // namespace secondsight::testing
