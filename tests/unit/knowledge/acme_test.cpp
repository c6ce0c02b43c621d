// The acme scenario's repositories (../shared/scenarios/acme): who wrote what.
#include <gmock/gmock.h>

#include <map>

#include "fixtures/git_fixture.hpp"
#include "secondsight/knowledge/history.hpp"

namespace secondsight::knowledge::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

class Acme : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    s_dir = new TempDir;
    std::string setup = std::string(SECONDSIGHT_SHARED_DIR) + "/scenarios/acme/setup.sh";
    ASSERT_EQ(shell(shell_word(setup) + " " + shell_word(s_dir->path().string()) + " >/dev/null"),
              0);
  }
  static void TearDownTestSuite() {
    delete s_dir;
    s_dir = nullptr;
  }

  static History history(const std::string& name) {
    auto h = read_history(s_dir->path() / "repos" / (name + ".git"));
    EXPECT_TRUE(h.ok()) << h.error().message;
    return h.ok() ? *h : History{};
  }

  // Each author's files, every identity on its own (merged by email or name).
  static std::map<std::string, std::vector<std::string>> files_by_author(const History& h,
                                                                         FileSet set) {
    auto keys = merge_by_email_or_name(h.identities);
    std::map<std::string, std::vector<std::string>> out;
    for (const auto& file : authors_of_files(h, keys, set)) {
      for (const auto& author : file.authors) out[author].push_back(file.path);
    }
    return out;
  }

  static inline TempDir* s_dir = nullptr;
};

const std::string k_petra = "Petra Müller <petra@acme.example>";
const std::string k_dave = "Dave Visser <dave@acme.example>";

TEST_F(Acme, PetraAloneWroteTheRoutePlanner) {
  auto h = history("route-planner");
  auto all = files_by_author(h, FileSet::all);
  EXPECT_THAT(all,
              ElementsAre(Pair(k_petra, ElementsAre("README.md", "docs/design.md", "planner/api.py",
                                                    "planner/matrix.py", "planner/vrp/solver.py",
                                                    "planner/windows.py"))));
  auto code = files_by_author(h, FileSet::code);
  EXPECT_THAT(
      code, ElementsAre(Pair(k_petra, ElementsAre("planner/api.py", "planner/matrix.py",
                                                  "planner/vrp/solver.py", "planner/windows.py"))));
  auto keys = merge_by_email_or_name(h.identities);
  auto tf = truck_factor(authors_of_files(h, keys, FileSet::all));
  EXPECT_EQ(tf.value, 1);
  EXPECT_THAT(tf.removed, ElementsAre(k_petra));
  // Without petra nobody knows it, whatever dave did to it.
  EXPECT_EQ(truck_factor(authors_of_files(h, keys, FileSet::all), {k_petra}).value, 0);
}

TEST_F(Acme, DavesWorkOnTheRoutePlannerIsCountedButMakesNoAuthor) {
  auto h = history("route-planner");
  std::map<std::string, std::map<std::string, int>> changes;  // path -> email -> changes
  std::map<std::string, std::string> creator;
  for (const auto& file : h.files) {
    creator[file.path] = h.identities.at(static_cast<std::size_t>(file.creator)).email;
    for (const auto& c : file.changes)
      changes[file.path][h.identities.at(static_cast<std::size_t>(c.identity)).email] = c.changes;
  }
  // The deleted legacy solver is gone; the vendored library is in the history but not counted.
  EXPECT_THAT(creator,
              UnorderedElementsAre(Pair("README.md", "petra@acme.example"),
                                   Pair("docs/design.md", "petra@acme.example"),
                                   Pair("planner/api.py", "petra@acme.example"),
                                   Pair("planner/matrix.py", "petra@acme.example"),
                                   Pair("planner/vrp/solver.py", "petra@acme.example"),
                                   Pair("planner/windows.py", "petra@acme.example"),
                                   Pair("vendor/ortools/LICENSE", "dave@acme.example"),
                                   Pair("vendor/ortools/__init__.py", "dave@acme.example"),
                                   Pair("vendor/ortools/routing.py", "dave@acme.example")));
  // The move into planner/vrp is one change by dave; the merge of petra's branch is none.
  EXPECT_THAT(changes["planner/vrp/solver.py"],
              ElementsAre(Pair("dave@acme.example", 1), Pair("petra@acme.example", 7)));
  EXPECT_THAT(changes["planner/api.py"],
              ElementsAre(Pair("dave@acme.example", 2), Pair("petra@acme.example", 2)));
  EXPECT_THAT(changes["planner/windows.py"], ElementsAre(Pair("petra@acme.example", 1)));
  EXPECT_THAT(changes["planner/matrix.py"],
              ElementsAre(Pair("dave@acme.example", 1), Pair("rosa@acme.example", 1)));
  auto all = files_by_author(h, FileSet::all);
  EXPECT_EQ(all.count(k_dave), 0U);
}

TEST_F(Acme, GraceAloneKnowsTheTerraformCode) {
  auto h = history("terraform");
  EXPECT_THAT(files_by_author(h, FileSet::all),
              ElementsAre(Pair(
                  "Grace Mulder <grace@acme.example>",
                  ElementsAre("docs/README.md", "main.tf", "modules/k8s.tf", "modules/vpc.tf"))));
  EXPECT_THAT(files_by_author(h, FileSet::code),
              ElementsAre(Pair("Grace Mulder <grace@acme.example>",
                               ElementsAre("main.tf", "modules/k8s.tf", "modules/vpc.tf"))));
}

TEST_F(Acme, RosaWroteTrackingAndBobsTwoAddressesAreTwoIdentities) {
  auto h = history("tracking");
  EXPECT_THAT(files_by_author(h, FileSet::all),
              ElementsAre(Pair("Rosa Kaya <rosa@acme.example>",
                               ElementsAre("README.md", "cmd/trackd/main.go", "internal/eta/eta.go",
                                           "internal/scan/scan.go"))));
  auto keys = merge_by_email_or_name(h.identities);
  EXPECT_EQ(std::set<std::string>(keys.begin(), keys.end()).size(), 3U);  // rosa, bob, robert
}

TEST_F(Acme, PaymentsApiHasSeveralAuthors) {
  auto h = history("payments-api");
  auto keys = merge_by_email_or_name(h.identities);
  auto files = authors_of_files(h, keys, FileSet::all);
  EXPECT_EQ(files.size(), 9U);
  EXPECT_EQ(truck_factor(files).value, 2);
}

}  // namespace
}  // namespace secondsight::knowledge::testing
