// A scan over a repository whose history is cut (a shallow clone) treats that repository's
// knowledge as incomplete: exit 3, the repository's error in the report, and nothing opens or
// resolves on it until the whole history is there.
#include <gmock/gmock.h>

#include <sstream>

#include "fixtures/git_fixture.hpp"
#include "fixtures/scenario.hpp"
#include "secondsight/app/commands.hpp"

namespace secondsight::testing {
namespace {

using ::testing::HasSubstr;
namespace kt = knowledge::testing;

constexpr const char* k_directory = R"(version: 1

dn: ou=people,dc=cut,dc=example
objectClass: organizationalUnit
ou: people

dn: ou=groups,dc=cut,dc=example
objectClass: organizationalUnit
ou: groups

dn: uid=lena,ou=people,dc=cut,dc=example
objectClass: inetOrgPerson
uid: lena
cn: Lena Brandt
sn: Brandt
mail: lena@cut.example
employeeType: contractor
endDate: 2026-09-30

dn: uid=tom,ou=people,dc=cut,dc=example
objectClass: inetOrgPerson
uid: tom
cn: Tom Kok
sn: Kok
mail: tom@cut.example
employeeType: employee
)";

constexpr const char* k_config = R"yaml(state_dir: state
policies: policies
timezone: Europe/Amsterdam
repositories_root: repos
directory:
  uri: ldif:directory.ldif
  flavor: openldap
  people: { base: "ou=people,dc=cut,dc=example", filter: "(objectClass=inetOrgPerson)" }
  groups: { base: "ou=groups,dc=cut,dc=example", filter: "(objectClass=groupOfNames)" }
  attributes:
    end_date: { attribute: endDate, format: iso_date }
)yaml";

constexpr const char* k_policy = R"(staff:
  seconded_when: { employeeType: contractor }
systems:
  - { id: billing, criticality: critical, repositories: [billing.git] }
)";

const kt::Person k_lena{"Lena Brandt", "lena@cut.example"};
const kt::Person k_tom{"Tom Kok", "tom@cut.example"};

struct ScanRun {
  int code;
  nlohmann::json report;
  std::string err;
};

class CutHistoryScan : public ::testing::Test {
 protected:
  void SetUp() override {
    m_company = write_company("cut-history", {{"directory.ldif", k_directory},
                                              {"config.yaml", k_config},
                                              {"policies/p.yaml", k_policy}});
    // Lena wrote billing; tom's later commit alone would make him its only author.
    kt::Script script;
    script.commit(k_lena, {kt::write("ledger.py", "l\n"), kt::write("invoice.py", "i\n")});
    script.commit(k_lena, {kt::write("tax.py", "t\n")});
    m_origin = kt::make_repository(m_company / "origin.git", script);
  }
  void TearDown() override { fs::remove_all(m_company); }

  ScanRun scan(const char* now) {
    std::ostringstream out, err;
    app::ScanOptions options{m_company / "config.yaml", now, app::OutputFormat::json, std::nullopt};
    const int code = app::command_scan(options, out, err);
    return {code, nlohmann::json::parse(out.str()), err.str()};
  }
  void clone(const std::string& options) {
    fs::remove_all(m_company / "repos");
    ASSERT_EQ(
        shell("git clone -q --bare " + options + " file://" + kt::shell_word(m_origin.string()) +
              " " + kt::shell_word((m_company / "repos/billing.git").string())),
        0);
  }
  void commit_by_tom() {
    ASSERT_EQ(
        shell("cd " + kt::shell_word(m_company.string()) + " && git clone -q " +
              kt::shell_word(m_origin.string()) + " work && echo x >> work/ledger.py && " +
              "git -C work -c user.name='Tom Kok' -c user.email=tom@cut.example commit -qam x " +
              "&& git -C work push -q origin HEAD:main && rm -rf work"),
        0);
  }
  static const nlohmann::json* finding(const nlohmann::json& report, const std::string& kind) {
    for (const auto& f : report["findings"])
      if (f["kind"] == kind) return &f;
    return nullptr;
  }

  fs::path m_company;
  fs::path m_origin;
};

TEST_F(CutHistoryScan, AShallowCloneLeavesTheKnowledgeFindingsAsTheyWereAndExitsThree) {
  clone("");
  const auto whole = scan("2026-03-16T12:00:00Z");
  ASSERT_EQ(whole.code, app::k_exit_ok) << whole.err;
  const auto* held = finding(whole.report, "single_point_of_knowledge");
  ASSERT_NE(held, nullptr);
  EXPECT_EQ((*held)["severity"], "critical");  // lena, seconded, is its only holder

  // The head moves and the clone is now shallow: from its one commit tom would hold it all.
  commit_by_tom();
  clone("--depth 1");
  const auto cut = scan("2026-03-17T12:00:00Z");
  EXPECT_EQ(cut.code, app::k_exit_source);
  EXPECT_THAT(cut.err, HasSubstr("a shallow clone"));
  EXPECT_THAT(cut.err, HasSubstr("fetch --unshallow"));
  ASSERT_EQ(cut.report["repositories"].size(), 1u);
  EXPECT_THAT(cut.report["repositories"][0]["error"].get<std::string>(),
              HasSubstr("a shallow clone"));
  const auto* kept = finding(cut.report, "single_point_of_knowledge");
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ((*kept)["severity"], "critical");
  EXPECT_EQ((*kept)["last_seen"], "2026-03-16T12:00:00Z");  // neither seen again nor resolved

  // With the whole history fetched, the scan reads it again.
  ASSERT_EQ(shell("git -C " + kt::shell_word((m_company / "repos/billing.git").string()) +
                  " fetch -q --unshallow"),
            0);
  const auto again = scan("2026-03-18T12:00:00Z");
  EXPECT_EQ(again.code, app::k_exit_ok) << again.err;
  EXPECT_EQ(again.report["repositories"][0]["read"], true);
}

}  // namespace
}  // namespace secondsight::testing
