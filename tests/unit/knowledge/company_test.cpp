// The test company's repositories (tests/scenarios/harbour): who wrote what.
#include <gmock/gmock.h>

#include <map>
#include <set>

#include "fixtures/git_fixture.hpp"
#include "secondsight/knowledge/history.hpp"

namespace secondsight::knowledge::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

class Company : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    s_dir = new TempDir;
    const std::string setup =
        std::string(SECONDSIGHT_SOURCE_DIR) + "/tests/scenarios/harbour/setup.sh";
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

const std::string k_eliska = "Eliška Nováková <eliska@harbour.example>";
const std::string k_wouter = "Wouter Prins <wouter@harbour.example>";

TEST_F(Company, EliskaAloneWroteLeakDetection) {
  auto h = history("leak-detection");
  auto all = files_by_author(h, FileSet::all);
  EXPECT_THAT(
      all, ElementsAre(Pair(
               k_eliska, ElementsAre("README.md", "detector/models/anomaly.py",
                                     "detector/night_flow.py", "detector/pressure.py",
                                     "detector/service.py", "docs/model.md", "pyproject.toml"))));
  auto code = files_by_author(h, FileSet::code);
  EXPECT_THAT(
      code,
      ElementsAre(Pair(k_eliska, ElementsAre("detector/models/anomaly.py", "detector/night_flow.py",
                                             "detector/pressure.py", "detector/service.py"))));
  auto keys = merge_by_email_or_name(h.identities);
  auto tf = truck_factor(authors_of_files(h, keys, FileSet::all));
  EXPECT_EQ(tf.value, 1);
  EXPECT_THAT(tf.removed, ElementsAre(k_eliska));
  // Without eliska nobody knows it, whatever wouter and hamza did to it.
  EXPECT_EQ(truck_factor(authors_of_files(h, keys, FileSet::all), {k_eliska}).value, 0);
}

TEST_F(Company, WoutersWorkOnLeakDetectionIsCountedButMakesNoAuthor) {
  auto h = history("leak-detection");
  std::map<std::string, std::map<std::string, int>> changes;  // path -> email -> changes
  std::map<std::string, std::string> creator;
  for (const auto& file : h.files) {
    creator[file.path] = h.identities.at(static_cast<std::size_t>(file.creator)).email;
    for (const auto& c : file.changes)
      changes[file.path][h.identities.at(static_cast<std::size_t>(c.identity)).email] = c.changes;
  }
  // The deleted threshold detector is gone; the vendored library is in the history but not
  // counted.
  EXPECT_THAT(creator,
              UnorderedElementsAre(Pair("README.md", "eliska@harbour.example"),
                                   Pair("docs/model.md", "eliska@harbour.example"),
                                   Pair("pyproject.toml", "eliska@harbour.example"),
                                   Pair("detector/models/anomaly.py", "eliska@harbour.example"),
                                   Pair("detector/night_flow.py", "eliska@harbour.example"),
                                   Pair("detector/pressure.py", "eliska@harbour.example"),
                                   Pair("detector/service.py", "eliska@harbour.example"),
                                   Pair("vendor/pyflow/LICENSE", "wouter@harbour.example"),
                                   Pair("vendor/pyflow/__init__.py", "wouter@harbour.example"),
                                   Pair("vendor/pyflow/hydraulics.py", "wouter@harbour.example")));
  // The move into detector/models is one change by wouter; the change eliska made on her branch
  // to the old path counts for the moved file; the merge of her branch is none.
  EXPECT_THAT(changes["detector/models/anomaly.py"],
              ElementsAre(Pair("eliska@harbour.example", 5), Pair("wouter@harbour.example", 1)));
  EXPECT_THAT(changes["detector/service.py"],
              ElementsAre(Pair("eliska@harbour.example", 2), Pair("wouter@harbour.example", 2)));
  EXPECT_THAT(changes["detector/night_flow.py"], ElementsAre(Pair("eliska@harbour.example", 1)));
  EXPECT_THAT(changes["detector/pressure.py"],
              ElementsAre(Pair("hamza@harbour.example", 1), Pair("wouter@harbour.example", 1)));
  auto all = files_by_author(h, FileSet::all);
  EXPECT_EQ(all.count(k_wouter), 0U);
  EXPECT_EQ(all.count("Hamza Yilmaz <hamza@harbour.example>"), 0U);
}

TEST_F(Company, FemkeAloneKnowsTheNetworkConfiguration) {
  auto h = history("netconfig");
  const std::string femke = "Femke de Graaf <femke@harbour.example>";
  EXPECT_THAT(files_by_author(h, FileSet::all),
              ElementsAre(Pair(femke, ElementsAre("docs/README.md", "inventory/production.ini",
                                                  "library/vlan_plan.py", "scripts/push_config.sh",
                                                  "site.yml"))));
  EXPECT_THAT(
      files_by_author(h, FileSet::code),
      ElementsAre(Pair(femke, ElementsAre("library/vlan_plan.py", "scripts/push_config.sh"))));
}

TEST_F(Company, HamzaWroteTheGisSyncAndJoostsTwoAddressesAreTwoIdentities) {
  auto h = history("gis-sync");
  EXPECT_THAT(
      files_by_author(h, FileSet::all),
      ElementsAre(Pair("Hamza Yilmaz <hamza@harbour.example>",
                       ElementsAre("README.md", "cmd/gissync/main.go", "internal/layers/layers.go",
                                   "internal/topology/graph.go"))));
  auto keys = merge_by_email_or_name(h.identities);
  EXPECT_EQ(std::set<std::string>(keys.begin(), keys.end()).size(), 3U);  // hamza, joost, j.
}

TEST_F(Company, BillingEngineHasSeveralAuthorsAndPietersTwoIdentitiesAreOne) {
  auto h = history("billing-engine");
  auto keys = merge_by_email_or_name(h.identities);
  // Pieter's old and new identity share a name (in another case): one author.
  EXPECT_EQ(h.identities.size(), 7U);
  EXPECT_EQ(std::set<std::string>(keys.begin(), keys.end()).size(), 6U);
  auto files = authors_of_files(h, keys, FileSet::all);
  EXPECT_EQ(files.size(), 11U);
  EXPECT_EQ(truck_factor(files).value, 3);
}

}  // namespace
}  // namespace secondsight::knowledge::testing
