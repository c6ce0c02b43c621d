// The granting path on the access items of a checklist: a company of its own (Kestrel
// Logistics) where an external reaches a system through nested groups and by a second way,
// and a group whose DN holds markup and a bidirectional override.
#include <gmock/gmock.h>

#include <set>

#include "fixtures/encodings.hpp"
#include "fixtures/scenario.hpp"
#include "secondsight/app/commands.hpp"

namespace secondsight::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// An escaped '<' and '>' as RFC 4514 writes them, and U+202E (RIGHT-TO-LEFT OVERRIDE).
const std::string k_hostile_dn =
    "cn=evil\\<script\\>alert(1)\\</script\\>\xE2\x80\xAEtxt.exe,ou=Groups,o=kestrel";

// vera (external, ended 2026-03-01) is in route-contractors, which is in route-dev (route-db's
// group), which is in route-api-users (route-api's group); she is also in oncall, which is in
// route-api-users: two paths to route-api. She is in the hostile group too, which is in
// billing-users (billing's group); and in lunch, which grants nothing.
std::string kestrel_ldif() {
  return R"(version: 1

dn: o=kestrel
objectClass: organization
o: kestrel

dn: ou=People,o=kestrel
objectClass: organizationalUnit
ou: People

dn: ou=Groups,o=kestrel
objectClass: organizationalUnit
ou: Groups

dn: uid=vera,ou=People,o=kestrel
objectClass: inetOrgPerson
uid: vera
cn: Vera Lind
sn: Lind
employeeType: external
o: Haulage Temps
endDate: 2026-03-01

dn: uid=otto,ou=People,o=kestrel
objectClass: inetOrgPerson
uid: otto
cn: Otto Berg
sn: Berg
employeeType: employee

dn: cn=route-contractors,ou=Groups,o=kestrel
objectClass: groupOfNames
cn: route-contractors
member: uid=vera,ou=People,o=kestrel

dn: cn=oncall,ou=Groups,o=kestrel
objectClass: groupOfNames
cn: oncall
member: uid=vera,ou=People,o=kestrel
member: uid=otto,ou=People,o=kestrel

dn: cn=lunch,ou=Groups,o=kestrel
objectClass: groupOfNames
cn: lunch
member: uid=vera,ou=People,o=kestrel

dn: cn=route-dev,ou=Groups,o=kestrel
objectClass: groupOfNames
cn: route-dev
member: cn=route-contractors,ou=Groups,o=kestrel

dn: cn=route-api-users,ou=Groups,o=kestrel
objectClass: groupOfNames
cn: route-api-users
member: cn=route-dev,ou=Groups,o=kestrel
member: cn=oncall,ou=Groups,o=kestrel

dn:: )" + base64(k_hostile_dn) +
         R"(
objectClass: groupOfNames
cn: evil
member: uid=vera,ou=People,o=kestrel

dn: cn=billing-users,ou=Groups,o=kestrel
objectClass: groupOfNames
cn: billing-users
member:: )" +
         base64(k_hostile_dn) + "\n";
}

const char* const k_config = R"yaml(state_dir: state
policies: policies
timezone: Europe/Amsterdam
directory:
  uri: ldif:directory.ldif
  flavor: openldap
  people: { base: "ou=People,o=kestrel", filter: "(objectClass=inetOrgPerson)" }
  groups: { base: "ou=Groups,o=kestrel", filter: "(objectClass=groupOfNames)" }
  attributes:
    end_date: { attribute: endDate, format: iso_date }
)yaml";

const char* const k_policy = R"yaml(defaults:
  grace_days_after_end: 0
  notice_days: 21
staff:
  seconded_when: { employeeType: [external] }
systems:
  - id: route-api
    name: Route API
    criticality: critical
    groups: ["cn=route-api-users,ou=Groups,o=kestrel"]
  - id: route-db
    name: Route database
    criticality: high
    groups: ["cn=route-dev,ou=Groups,o=kestrel"]
  - id: billing
    name: Billing
    criticality: high
    groups: ["cn=billing-users,ou=Groups,o=kestrel"]
)yaml";

const std::string k_now = "2026-03-16T12:00:00Z";
const std::string k_contractors = "cn=route-contractors,ou=Groups,o=kestrel";
const std::string k_oncall = "cn=oncall,ou=Groups,o=kestrel";
const std::string k_dev = "cn=route-dev,ou=Groups,o=kestrel";
const std::string k_api_users = "cn=route-api-users,ou=Groups,o=kestrel";
const std::string k_billing_users = "cn=billing-users,ou=Groups,o=kestrel";

using Paths = std::set<std::vector<std::string>>;

class KestrelChecklist : public ::testing::Test {
 protected:
  void SetUp() override {
    m_folder = write_company("kestrel", {{"config.yaml", k_config},
                                         {"policies/kestrel.yaml", k_policy},
                                         {"directory.ldif", kestrel_ldif()}});
    // The checklist shows what the scan kept.
    app::ScanOptions scan;
    scan.config = m_folder / "config.yaml";
    scan.now = k_now;
    scan.format = app::OutputFormat::json;
    std::ostringstream out, err;
    ASSERT_EQ(app::command_scan(scan, out, err), 0) << err.str();
  }
  void TearDown() override { fs::remove_all(m_folder); }

  std::string checklist(app::ChecklistFormat format) {
    app::ChecklistCommandOptions options{m_folder / "config.yaml", "vera", k_now, format, {}};
    std::ostringstream out, err;
    EXPECT_EQ(app::command_checklist(options, out, err), 0) << err.str();
    return out.str();
  }
  // The item of the group with this DN, as the directory writes it.
  nlohmann::json group(const std::string& dn) {
    auto list = nlohmann::json::parse(checklist(app::ChecklistFormat::json));
    for (const auto& entry : list["items"])
      if (entry["details"].value("group", "") == dn) return entry;
    ADD_FAILURE() << "no item for " << dn;
    return nlohmann::json::object();
  }
  // The findings of one scan, as the jsonl output gives them.
  std::vector<nlohmann::json> findings() {
    app::ScanOptions options{m_folder / "config.yaml", k_now, app::OutputFormat::jsonl,
                             std::nullopt};
    std::ostringstream out, err;
    EXPECT_EQ(app::command_scan(options, out, err), 0) << err.str();
    std::vector<nlohmann::json> all;
    std::istringstream lines(out.str());
    for (std::string line; std::getline(lines, line);)
      if (!line.empty()) all.push_back(nlohmann::json::parse(line));
    return all;
  }
  // Every path of a checklist item's grants to one system.
  static Paths item_paths(const nlohmann::json& item, const std::string& system) {
    Paths out;
    for (const auto& grant : item["details"]["grants"])
      if (grant["system"] == system)
        for (const auto& path : grant["group_paths"])
          out.insert(path.get<std::vector<std::string>>());
    return out;
  }

  fs::path m_folder;
};

TEST_F(KestrelChecklist, JsonCarriesEachGrantWithItsGroupPaths) {
  const auto contractors = group(k_contractors);
  EXPECT_EQ(contractors["details"]["grants"],
            nlohmann::json::parse(R"([
              {"system": "route-api", "group_paths": [[")" +
                                  k_contractors + R"(", ")" + k_dev + R"(", ")" + k_api_users +
                                  R"("]]},
              {"system": "route-db", "group_paths": [[")" +
                                  k_contractors + R"(", ")" + k_dev + R"("]]}])"));
  const auto oncall = group(k_oncall);
  EXPECT_EQ(oncall["details"]["grants"],
            nlohmann::json::parse(R"([{"system": "route-api", "group_paths": [[")" + k_oncall +
                                  R"(", ")" + k_api_users + R"("]]}])"));
  // A group that leads to no system is no item; the account item names no grants.
  auto list = nlohmann::json::parse(checklist(app::ChecklistFormat::json));
  for (const auto& entry : list["items"])
    EXPECT_THAT(entry["id"].get<std::string>(), Not(HasSubstr("lunch")));
}

TEST_F(KestrelChecklist, JsonPathsAreTheFindingsEvidence) {
  const auto contractors = group(k_contractors);
  const auto oncall = group(k_oncall);
  const auto hostile = group(k_hostile_dn);
  const auto all = findings();
  bool ended = false;
  std::set<std::string> violations;
  for (const auto& finding : all) {
    if (finding["person"] != "vera") continue;
    if (finding["kind"] == "access_after_end") {
      ended = true;
      // Together the group items give every path of the evidence, and no other.
      for (const auto& grant : finding["evidence"]["grants"]) {
        const std::string system = grant["system"];
        Paths evidence;
        for (const auto& path : grant["group_paths"])
          evidence.insert(path.get<std::vector<std::string>>());
        Paths items;
        for (const auto* entry : {&contractors, &oncall, &hostile})
          for (auto& path : item_paths(*entry, system)) items.insert(path);
        EXPECT_EQ(items, evidence) << system;
      }
      EXPECT_EQ(finding["evidence"]["grants"].size(), 3u);
    }
    if (finding["kind"] == "need_to_know_violation" && finding["system"] == "route-api") {
      violations.insert("route-api");
      Paths held;
      for (const auto& path : finding["evidence"]["held"]["group_paths"])
        held.insert(path.get<std::vector<std::string>>());
      Paths items = item_paths(contractors, "route-api");
      for (auto& path : item_paths(oncall, "route-api")) items.insert(path);
      EXPECT_EQ(items, held);
      EXPECT_EQ(held.size(), 2u);
    }
  }
  EXPECT_TRUE(ended);
  EXPECT_EQ(violations, std::set<std::string>{"route-api"});
}

TEST_F(KestrelChecklist, MarkdownAndHtmlShowEveryPathUnderItsGroup) {
  const std::string nested =
      "Path: " + k_contractors + " → " + k_dev + " → " + k_api_users + " → route-api";
  const std::string short_path = "Path: " + k_contractors + " → " + k_dev + " → route-db";
  const std::string second = "Path: " + k_oncall + " → " + k_api_users + " → route-api";

  const auto markdown = checklist(app::ChecklistFormat::markdown);
  const std::string remove = "- [ ] Remove vera from " + k_contractors + ": it grants ";
  const auto at = markdown.find(remove);
  ASSERT_NE(at, std::string::npos) << markdown;
  // The paths follow their item, each on a line of its own.
  const auto next = markdown.find("\n- ", at + 1);
  const std::string contractors = markdown.substr(at, next + 1 - at);
  EXPECT_THAT(contractors, HasSubstr("\n  - " + nested + "\n"));
  EXPECT_THAT(contractors, HasSubstr("\n  - " + short_path + "\n"));
  EXPECT_THAT(contractors, Not(HasSubstr(k_oncall)));
  EXPECT_THAT(markdown, HasSubstr("\n  - " + second + "\n"));

  const auto html = checklist(app::ChecklistFormat::html);
  EXPECT_THAT(html, HasSubstr("<li>" + nested + "</li>"));
  EXPECT_THAT(html, HasSubstr("<li>" + short_path + "</li>"));
  EXPECT_THAT(html, HasSubstr("<li>" + second + "</li>"));
}

TEST_F(KestrelChecklist, AHostileGroupDnComesOutEscaped) {
  const auto hostile = group(k_hostile_dn);
  const auto path = nlohmann::json::array({k_hostile_dn, k_billing_users});
  EXPECT_EQ(hostile["details"]["grants"],
            nlohmann::json::array(
                {{{"system", "billing"}, {"group_paths", nlohmann::json::array({path})}}}));

  const auto markdown = checklist(app::ChecklistFormat::markdown);
  EXPECT_THAT(markdown, Not(HasSubstr("<script>")));
  EXPECT_THAT(markdown, Not(HasSubstr("\xE2\x80\xAE")));
  EXPECT_THAT(markdown, HasSubstr("  - Path: cn=evil\\\\\\<script\\\\\\>alert(1)\\\\\\</"
                                  "script\\\\\\>\\\\u{202e}txt.exe,ou=Groups,o=kestrel → " +
                                  k_billing_users + " → billing\n"));

  const auto html = checklist(app::ChecklistFormat::html);
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("\xE2\x80\xAE")));
  EXPECT_THAT(html, HasSubstr("<li>Path: cn=evil\\&lt;script\\&gt;alert(1)\\&lt;/"
                              "script\\&gt;\\u{202e}txt.exe,ou=Groups,o=kestrel → " +
                              k_billing_users + " → billing</li>"));
}

}  // namespace
}  // namespace secondsight::testing
