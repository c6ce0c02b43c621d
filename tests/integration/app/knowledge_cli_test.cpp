// `secondsight knowledge` as users run it: the real binary, its output and exit codes.
#include <gmock/gmock.h>

#include "fixtures/git_fixture.hpp"
#include "fixtures/scenario.hpp"

namespace secondsight::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
namespace kt = knowledge::testing;

struct Process {
  int code;
  std::string out;
  std::string err;
};

Process run(const std::string& arguments) {
  kt::TempDir dir;
  fs::path out = dir / "out";
  fs::path err = dir / "err";
  int code = shell(std::string("'") + SECONDSIGHT_BINARY + "' " + arguments + " >'" + out.string() +
                   "' 2>'" + err.string() + "'");
  return {code, read_file(out), read_file(err)};
}

class KnowledgeCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { s_company = new fs::path(setup_company()); }
  static void TearDownTestSuite() {
    fs::remove_all(*s_company);
    delete s_company;
    s_company = nullptr;
  }
  static std::string repo(const std::string& name) {
    return (*s_company / "repos" / (name + ".git")).string();
  }
  static inline fs::path* s_company = nullptr;
};

TEST_F(KnowledgeCli, JsonIsDesignsObjectInItsOrder) {
  auto p = run("knowledge --repo '" + repo("leak-detection") + "' --format json");
  ASSERT_EQ(p.code, 0) << p.err;
  std::string head = kt::rev_parse(repo("leak-detection"), "HEAD");
  EXPECT_EQ(p.out, "{\"repository\":\"" + repo("leak-detection") + "\",\"head\":\"" + head +
                       "\",\"files\":7,\"truck_factor\":1,\"authors\":[{\"identity\":\"Eliška "
                       "Nováková <eliska@harbour.example>\",\"files\":7,\"share\":1.0}]}\n");
  EXPECT_EQ(p.err, "");
}

TEST_F(KnowledgeCli, AuthorsAreSortedByFilesThenIdentity) {
  auto p = run("knowledge --repo '" + repo("billing-engine") + "' --format json");
  ASSERT_EQ(p.code, 0) << p.err;
  auto json = nlohmann::json::parse(p.out);
  EXPECT_EQ(json["files"], 11);
  EXPECT_EQ(json["truck_factor"], 3);
  ASSERT_GE(json["authors"].size(), 2U);
  for (std::size_t i = 1; i < json["authors"].size(); ++i) {
    const auto& a = json["authors"][i - 1];
    const auto& b = json["authors"][i];
    EXPECT_TRUE(a["files"] > b["files"] ||
                (a["files"] == b["files"] && a["identity"] < b["identity"]))
        << a << " before " << b;
    EXPECT_DOUBLE_EQ(b["share"].get<double>(),
                     std::round(b["files"].get<double>() / 11 * 10000) / 10000);
  }
}

TEST_F(KnowledgeCli, CodeLeavesOutDocumentation) {
  auto p = run("knowledge --repo '" + repo("netconfig") + "' --files code --format json");
  ASSERT_EQ(p.code, 0) << p.err;
  auto json = nlohmann::json::parse(p.out);
  EXPECT_EQ(json["files"], 2);  // the playbook, the inventory and the runbook are no code
  EXPECT_EQ(json["authors"][0]["identity"], "Femke de Graaf <femke@harbour.example>");
}

TEST_F(KnowledgeCli, TableIsASummaryAndAnAuthorTable) {
  auto p = run("knowledge --repo '" + repo("leak-detection") + "'");
  ASSERT_EQ(p.code, 0) << p.err;
  EXPECT_THAT(p.out, HasSubstr("repository    " + repo("leak-detection") + "\n"));
  EXPECT_THAT(p.out, HasSubstr("files         7 "));
  EXPECT_THAT(p.out, HasSubstr("truck factor  1 (Eliška Nováková <eliska@harbour.example>)\n"));
  EXPECT_THAT(p.out, HasSubstr("Eliška Nováková <eliska@harbour.example>      7  100.0%\n"));
}

TEST_F(KnowledgeCli, RevAndBeforeChooseTheCommit) {
  auto rev = run("knowledge --repo '" + repo("leak-detection") + "' --rev HEAD~3 --format json");
  ASSERT_EQ(rev.code, 0) << rev.err;
  EXPECT_EQ(nlohmann::json::parse(rev.out)["head"],
            kt::rev_parse(repo("leak-detection"), "HEAD~3"));
  // Wouter's threshold detector (deleted on 2026-01-20) is still there on 2026-01-01.
  auto before =
      run("knowledge --repo '" + repo("leak-detection") + "' --before 2026-01-01 --format json");
  ASSERT_EQ(before.code, 0) << before.err;
  auto json = nlohmann::json::parse(before.out);
  EXPECT_EQ(json["files"], 8);  // README, model notes, pyproject, four models, legacy_threshold
  EXPECT_THAT(json.dump(), HasSubstr("Wouter Prins"));
  auto rfc = run("knowledge --repo '" + repo("leak-detection") +
                 "' --before 2026-01-01T00:00:00Z --format json");
  EXPECT_EQ(rfc.out, before.out);
}

TEST_F(KnowledgeCli, BadUsageExitsTwo) {
  auto both = run("knowledge --repo '" + repo("netconfig") + "' --rev HEAD --before 2026-01-01");
  EXPECT_EQ(both.code, 2);
  EXPECT_THAT(both.err, HasSubstr("--before"));
  auto date = run("knowledge --repo '" + repo("netconfig") + "' --before 2026-13-01");
  EXPECT_EQ(date.code, 2);
  EXPECT_THAT(date.err, HasSubstr("--before"));
  EXPECT_EQ(run("knowledge --repo '" + repo("netconfig") + "' --format jsonl").code, 2);
  EXPECT_EQ(run("knowledge --repo '" + repo("netconfig") + "' --files docs").code, 2);
  EXPECT_EQ(run("knowledge").code, 2);
  for (const char* help : {"knowledge --help", "knowledge --version"})
    EXPECT_EQ(run(help).code, 0) << help;
}

TEST_F(KnowledgeCli, GitFailuresExitThreeWithGitsMessage) {
  kt::TempDir dir;
  auto none = run("knowledge --repo '" + dir.path().string() + "'");
  EXPECT_EQ(none.code, 3);
  EXPECT_THAT(none.err, HasSubstr("not a git repository"));
  EXPECT_EQ(none.out, "");
  auto rev = run("knowledge --repo '" + repo("netconfig") + "' --rev no-such-commit");
  EXPECT_EQ(rev.code, 3);
  EXPECT_THAT(rev.err, HasSubstr("'no-such-commit'"));
  auto early = run("knowledge --repo '" + repo("netconfig") + "' --before 2001-01-01");
  EXPECT_EQ(early.code, 3);
  EXPECT_THAT(early.err, HasSubstr("no commit"));
  EXPECT_THAT(early.err, Not(HasSubstr("terminate")));
}

}  // namespace
}  // namespace secondsight::testing
