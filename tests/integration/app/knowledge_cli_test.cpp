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
  static void SetUpTestSuite() { s_acme = new fs::path(setup_acme()); }
  static void TearDownTestSuite() {
    fs::remove_all(*s_acme);
    delete s_acme;
    s_acme = nullptr;
  }
  static std::string repo(const std::string& name) {
    return (*s_acme / "repos" / (name + ".git")).string();
  }
  static inline fs::path* s_acme = nullptr;
};

TEST_F(KnowledgeCli, JsonIsDesignsObjectInItsOrder) {
  auto p = run("knowledge --repo '" + repo("route-planner") + "' --format json");
  ASSERT_EQ(p.code, 0) << p.err;
  std::string head = kt::rev_parse(repo("route-planner"), "HEAD");
  EXPECT_EQ(p.out, "{\"repository\":\"" + repo("route-planner") + "\",\"head\":\"" + head +
                       "\",\"files\":6,\"truck_factor\":1,\"authors\":[{\"identity\":\"Petra "
                       "Müller <petra@acme.example>\",\"files\":6,\"share\":1.0}]}\n");
  EXPECT_EQ(p.err, "");
}

TEST_F(KnowledgeCli, AuthorsAreSortedByFilesThenIdentity) {
  auto p = run("knowledge --repo '" + repo("payments-api") + "' --format json");
  ASSERT_EQ(p.code, 0) << p.err;
  auto json = nlohmann::json::parse(p.out);
  EXPECT_EQ(json["files"], 9);
  EXPECT_EQ(json["truck_factor"], 2);
  ASSERT_GE(json["authors"].size(), 2U);
  for (std::size_t i = 1; i < json["authors"].size(); ++i) {
    const auto& a = json["authors"][i - 1];
    const auto& b = json["authors"][i];
    EXPECT_TRUE(a["files"] > b["files"] ||
                (a["files"] == b["files"] && a["identity"] < b["identity"]))
        << a << " before " << b;
    EXPECT_DOUBLE_EQ(b["share"].get<double>(),
                     std::round(b["files"].get<double>() / 9 * 10000) / 10000);
  }
}

TEST_F(KnowledgeCli, CodeLeavesOutDocumentation) {
  auto p = run("knowledge --repo '" + repo("terraform") + "' --files code --format json");
  ASSERT_EQ(p.code, 0) << p.err;
  auto json = nlohmann::json::parse(p.out);
  EXPECT_EQ(json["files"], 3);
  EXPECT_EQ(json["authors"][0]["identity"], "Grace Mulder <grace@acme.example>");
}

TEST_F(KnowledgeCli, TableIsASummaryAndAnAuthorTable) {
  auto p = run("knowledge --repo '" + repo("route-planner") + "'");
  ASSERT_EQ(p.code, 0) << p.err;
  EXPECT_THAT(p.out, HasSubstr("repository    " + repo("route-planner") + "\n"));
  EXPECT_THAT(p.out, HasSubstr("files         6 "));
  EXPECT_THAT(p.out, HasSubstr("truck factor  1 (Petra Müller <petra@acme.example>)\n"));
  EXPECT_THAT(p.out, HasSubstr("Petra Müller <petra@acme.example>      6  100.0%\n"));
}

TEST_F(KnowledgeCli, RevAndBeforeChooseTheCommit) {
  auto rev = run("knowledge --repo '" + repo("route-planner") + "' --rev HEAD~3 --format json");
  ASSERT_EQ(rev.code, 0) << rev.err;
  EXPECT_EQ(nlohmann::json::parse(rev.out)["head"], kt::rev_parse(repo("route-planner"), "HEAD~3"));
  // Dave's legacy solver (deleted on 2026-01-20) is still there on 2026-01-01.
  auto before =
      run("knowledge --repo '" + repo("route-planner") + "' --before 2026-01-01 --format json");
  ASSERT_EQ(before.code, 0) << before.err;
  auto json = nlohmann::json::parse(before.out);
  EXPECT_EQ(json["files"], 6);  // README, design, api, matrix, vrp/solver, legacy_solver
  EXPECT_THAT(json.dump(), HasSubstr("Dave Visser"));
  auto rfc = run("knowledge --repo '" + repo("route-planner") +
                 "' --before 2026-01-01T00:00:00Z --format json");
  EXPECT_EQ(rfc.out, before.out);
}

TEST_F(KnowledgeCli, BadUsageExitsTwo) {
  auto both = run("knowledge --repo '" + repo("terraform") + "' --rev HEAD --before 2026-01-01");
  EXPECT_EQ(both.code, 2);
  EXPECT_THAT(both.err, HasSubstr("--before"));
  auto date = run("knowledge --repo '" + repo("terraform") + "' --before 2026-13-01");
  EXPECT_EQ(date.code, 2);
  EXPECT_THAT(date.err, HasSubstr("--before"));
  EXPECT_EQ(run("knowledge --repo '" + repo("terraform") + "' --format jsonl").code, 2);
  EXPECT_EQ(run("knowledge --repo '" + repo("terraform") + "' --files docs").code, 2);
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
  auto rev = run("knowledge --repo '" + repo("terraform") + "' --rev no-such-commit");
  EXPECT_EQ(rev.code, 3);
  EXPECT_THAT(rev.err, HasSubstr("'no-such-commit'"));
  auto early = run("knowledge --repo '" + repo("terraform") + "' --before 2001-01-01");
  EXPECT_EQ(early.code, 3);
  EXPECT_THAT(early.err, HasSubstr("no commit"));
  EXPECT_THAT(early.err, Not(HasSubstr("terminate")));
}

}  // namespace
}  // namespace secondsight::testing
