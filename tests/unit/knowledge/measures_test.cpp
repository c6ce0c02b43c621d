// DOA, authors, truck factor and identity merging on histories written down directly.
#include <gmock/gmock.h>

#include <cmath>

#include "secondsight/knowledge/history.hpp"

namespace secondsight::knowledge {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// One file of a made-up history: creator and (identity, changes).
FileHistory file(std::string path, int creator, std::vector<FileChanges> changes = {}) {
  return FileHistory{std::move(path), creator, std::move(changes)};
}

// Identities 0..n-1 named "p0 <p0@x>", ...; each its own key.
History history_of(int identities, std::vector<FileHistory> files) {
  History h{"repo", std::string(40, 'a'), {}, std::move(files)};
  for (int i = 0; i < identities; ++i) {
    std::string name = "p" + std::to_string(i);
    h.identities.push_back({name, name + "@x"});
  }
  return h;
}

std::vector<std::string> own_keys(const History& h) {
  std::vector<std::string> keys;
  for (const auto& identity : h.identities) keys.push_back(identity.name);
  return keys;
}

std::vector<std::string> authors(const History& h) {
  auto keys = own_keys(h);
  auto files = authors_of_files(h, keys, FileSet::all);
  EXPECT_EQ(files.size(), 1U);
  return files.empty() ? std::vector<std::string>{} : files.front().authors;
}

TEST(DegreeOfAuthorship, IsFritzEtAlsModel) {
  EXPECT_DOUBLE_EQ(degree_of_authorship(false, 0, 0), 3.293);
  EXPECT_DOUBLE_EQ(degree_of_authorship(true, 0, 0), 3.293 + 1.098);
  EXPECT_DOUBLE_EQ(degree_of_authorship(true, 7, 1),
                   3.293 + 1.098 + 0.164 * 7 - 0.321 * std::log(2));
  EXPECT_DOUBLE_EQ(degree_of_authorship(false, 1, 7), 3.293 + 0.164 - 0.321 * std::log(8));
}

TEST(AuthorsOfFiles, TheCreatorIsAnAuthorEvenBelowTheAbsoluteThreshold) {
  // p0 created the file; 40 others changed it once each. p0's DOA is 3.199 (< 3.293) but the
  // highest of the file; each other's is 2.273 (71% of it).
  std::vector<FileChanges> changes;
  for (int i = 1; i <= 40; ++i) changes.push_back({i, 1});
  auto h = history_of(41, {file("a.py", 0, changes)});
  EXPECT_LT(degree_of_authorship(true, 0, 40), 3.293);
  EXPECT_THAT(authors(h), ElementsAre("p0"));
}

TEST(AuthorsOfFiles, ANonCreatorNeedsThreeQuartersOfTheHighestDoa) {
  // p0 created it and changed it 10 times, p1 9 times, p2 7 times: p1 has 75.0007% of p0's DOA.
  auto just_above = history_of(3, {file("a.py", 0, {{0, 10}, {1, 9}, {2, 7}})});
  EXPECT_GE(degree_of_authorship(false, 9, 17) / degree_of_authorship(true, 10, 16), 0.75);
  EXPECT_THAT(authors(just_above), ElementsAre("p0", "p1"));
  // 24, 20, 20: p1 and p2 have 74.998%.
  auto just_below = history_of(3, {file("a.py", 0, {{0, 24}, {1, 20}, {2, 20}})});
  EXPECT_LT(degree_of_authorship(false, 20, 44) / degree_of_authorship(true, 24, 40), 0.75);
  EXPECT_THAT(authors(just_below), ElementsAre("p0"));
}

TEST(AuthorsOfFiles, ANonCreatorNeedsTheAbsoluteThreshold) {
  // p1's DOA is 3.2897: within 75% of the highest (p2's) but under 3.293.
  auto below = history_of(3, {file("a.py", 0, {{0, 2}, {1, 5}, {2, 10}})});
  EXPECT_LT(degree_of_authorship(false, 5, 12), 3.293);
  EXPECT_THAT(authors(below), ElementsAre("p0", "p2"));
  // With one change less by the creator, p1 has 3.3153.
  auto above = history_of(3, {file("a.py", 0, {{0, 1}, {1, 5}, {2, 10}})});
  EXPECT_GT(degree_of_authorship(false, 5, 11), 3.293);
  EXPECT_THAT(authors(above), ElementsAre("p0", "p1", "p2"));
}

TEST(AuthorsOfFiles, OnlyTouchingAFileMakesNoAuthorOfIt) {
  // dave (p1) moved petra's (p0) file once after her seven changes (the acme route planner).
  auto h = history_of(2, {file("planner/vrp/solver.py", 0, {{0, 7}, {1, 1}})});
  EXPECT_THAT(authors(h), ElementsAre("p0"));
}

TEST(AuthorsOfFiles, IdentitiesWithOneKeyAreMergedBeforeCounting) {
  // p1 and p2 are one person: together 6 changes against p0's creation: 3.293 + 0.984 -
  // 0.321 ln 1 = 4.277 against p0's 4.391 - 0.321 ln 7 = 3.766.
  auto h = history_of(3, {file("a.py", 0, {{1, 3}, {2, 3}})});
  std::vector<std::string> keys = {"p0", "same", "same"};
  auto files = authors_of_files(h, keys, FileSet::all);
  ASSERT_EQ(files.size(), 1U);
  EXPECT_THAT(files[0].authors, ElementsAre("p0", "same"));
  // Counted apart, p1 and p2 each have 3.293 + 0.492 - 0.321 ln 4 = 3.34 against p0's 3.766:
  // authors too (88.7%).
  EXPECT_THAT(authors(h), ElementsAre("p0", "p1", "p2"));
  // The creator merged with p1 keeps FA and gains p1's changes: 4.438; p2 keeps 75.3% of it.
  std::vector<std::string> creator_merged = {"x", "x", "p2"};
  auto merged = authors_of_files(h, creator_merged, FileSet::all);
  ASSERT_EQ(merged.size(), 1U);
  EXPECT_THAT(merged[0].authors, ElementsAre("p2", "x"));
}

TEST(AuthorsOfFiles, OnlyCountedFilesAreListed) {
  auto h = history_of(1, {file("README.md", 0), file("src/a.py", 0), file("vendor/lib.py", 0)});
  auto keys = own_keys(h);
  std::vector<std::string> all;
  for (const auto& f : authors_of_files(h, keys, FileSet::all)) all.push_back(f.path);
  EXPECT_THAT(all, ElementsAre("README.md", "src/a.py"));
  std::vector<std::string> code;
  for (const auto& f : authors_of_files(h, keys, FileSet::code)) code.push_back(f.path);
  EXPECT_THAT(code, ElementsAre("src/a.py"));
}

std::vector<FileAuthors> owned(std::vector<std::vector<std::string>> authors_per_file) {
  std::vector<FileAuthors> out;
  for (std::size_t i = 0; i < authors_per_file.size(); ++i)
    out.push_back({"f" + std::to_string(i), std::move(authors_per_file[i])});
  return out;
}

TEST(TruckFactor, RemovesTheAuthorOfTheMostFilesUntilMoreThanHalfHaveNone) {
  // a: 4 files, b: 3, c: 1 of 6. Without a, 4 of 6 still have an author; without b too, 5 of 6
  // have none.
  auto files = owned({{"a"}, {"a"}, {"a", "b"}, {"a", "b"}, {"b"}, {"c"}});
  auto tf = truck_factor(files);
  EXPECT_EQ(tf.value, 2);
  EXPECT_THAT(tf.removed, ElementsAre("a", "b"));
}

TEST(TruckFactor, FilesWithoutAuthorsCountAsLostFromTheStart) {
  EXPECT_EQ(truck_factor(owned({{}, {}, {"a"}})).value, 0);  // 2 of 3 lost already
  EXPECT_EQ(truck_factor(owned({{}, {"a"}})).value, 1);      // half lost is not more than half
  EXPECT_EQ(truck_factor(owned({})).value, 0);
}

TEST(TruckFactor, TiesGoToTheSmallestKeyOnEveryRun) {
  auto files = owned({{"zed"}, {"zed"}, {"amy"}, {"amy"}, {"bea"}, {"bea"}});
  for (int run = 0; run < 3; ++run) {
    auto tf = truck_factor(files);
    EXPECT_EQ(tf.value, 2);
    EXPECT_THAT(tf.removed, ElementsAre("amy", "bea"));
  }
}

TEST(TruckFactor, DepartedAuthorsAreRemovedFirstAndNotCounted) {
  auto files = owned({{"gone"}, {"gone"}, {"gone", "b"}, {"b"}, {"c"}});
  EXPECT_EQ(truck_factor(files).value, 2);  // gone, then b
  auto tf = truck_factor(files, {"gone"});
  // Without gone, 3 of 5 still have an author; removing b leaves 1 of 5.
  EXPECT_EQ(tf.value, 1);
  EXPECT_THAT(tf.removed, ElementsAre("b"));
  EXPECT_EQ(truck_factor(files, {"gone", "b"}).value, 0);
}

TEST(MergeByEmailOrName, SameEmailOrSameNameIgnoringCaseIsOnePerson) {
  std::vector<GitIdentity> ids = {
      {"Bob Jansen", "bob@acme.example"},          // 0
      {"Robert Jansen", "R.Jansen@Home.example"},  // 1: nothing in common with 0
      {"bob jansen", "bob@laptop.local"},          // 2: 0's name in other case
      {"Rob", "r.jansen@home.EXAMPLE"},            // 3: 1's email in other case
      {"PETRA MÜLLER", "p@one.example"},           // 4
      {"Petra Müller", "p@two.example"},           // 5: 4's name, ü and Ü
      {"", "anon@x"},                              // 6
      {"", "other@x"},                             // 7: an empty name says nothing
      {"Robert Jansen", "bob@acme.example"},       // 8: joins 0 and 1 (transitively 2, 3)
  };
  auto keys = merge_by_email_or_name(ids);
  const std::string bob = "Bob Jansen <bob@acme.example>";
  EXPECT_THAT(keys, ElementsAre(bob, bob, bob, bob, "PETRA MÜLLER <p@one.example>",
                                "PETRA MÜLLER <p@one.example>", " <anon@x>", " <other@x>", bob));
}

TEST(MergeByEmailOrName, KeepsEachIdentityApartOtherwise) {
  std::vector<GitIdentity> ids = {{"Ann", "ann@x"}, {"Anne", "anne@x"}};
  EXPECT_THAT(merge_by_email_or_name(ids), ElementsAre("Ann <ann@x>", "Anne <anne@x>"));
  EXPECT_THAT(merge_by_email_or_name({}), IsEmpty());
}

}  // namespace
}  // namespace secondsight::knowledge
