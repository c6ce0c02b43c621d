// A poll over a source whose searches return the same entry twice, or two people with one id:
// either could hide a person, so the poll is incomplete.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "secondsight/config/config.hpp"
#include "secondsight/directory/snapshot.hpp"

namespace secondsight::directory {
namespace {

Entry entry(std::string dn, std::vector<std::pair<std::string, std::string>> values, int line = 0) {
  Entry out;
  out.dn = std::move(dn);
  out.line = line;
  for (auto& [name, value] : values) out.add(name, std::move(value));
  return out;
}

// Hands each search the entries it was given, as a server (or an export) would.
class ListedSource final : public DirectorySource {
 public:
  ListedSource(std::string name, std::vector<Entry> people, std::vector<Entry> groups)
      : m_name(std::move(name)), m_people(std::move(people)), m_groups(std::move(groups)) {}
  std::string name() const override { return m_name; }
  Result<void> open() override { return {}; }
  Result<SearchSummary> search_each(const SearchRequest& request, const EntrySink& sink) override {
    SearchSummary summary;
    for (const Entry& found : request.base == "ou=p,dc=x" ? m_people : m_groups) {
      if (auto taken = sink(Entry(found)); !taken) return taken.error();
      ++summary.count;
    }
    return summary;
  }

 private:
  std::string m_name;
  std::vector<Entry> m_people;
  std::vector<Entry> m_groups;
};

config::DirectoryConfig directory_config() {
  config::DirectoryConfig config;
  config.attributes = config::default_attributes(config::Flavor::openldap);
  config.people.base = "ou=p,dc=x";
  config.people.filter = "(objectClass=*)";
  config.groups.base = "ou=g,dc=x";
  config.groups.filter = "(objectClass=*)";
  return config;
}

Result<DirectorySnapshot> poll(const std::string& name, std::vector<Entry> people,
                               std::vector<Entry> groups = {}) {
  ListedSource source(name, std::move(people), std::move(groups));
  return poll_directory(source, directory_config(), nullptr);
}

TEST(SnapshotPoll, TheSameDnTwiceInThePeopleSearchMakesThePollIncomplete) {
  // The employee's copy first would hide the contractor's.
  auto polled =
      poll("ldaps://ldap.example",
           {entry("uid=ann,ou=p,dc=x", {{"uid", "ann"}, {"employeeType", "employee"}}),
            entry("UID=Ann, OU=P,DC=X", {{"uid", "ann"}, {"employeeType", "contractor"}})});
  ASSERT_FALSE(polled);
  EXPECT_EQ(polled.error().message,
            "ldaps://ldap.example: entry 'UID=Ann, OU=P,DC=X' appears again in the people search; "
            "first at 'uid=ann,ou=p,dc=x'");
}

TEST(SnapshotPoll, TheSameDnTwiceInTheGroupsSearchMakesThePollIncomplete) {
  auto polled = poll("ldaps://ldap.example", {entry("uid=ann,ou=p,dc=x", {{"uid", "ann"}})},
                     {entry("cn=ops,ou=g,dc=x", {{"cn", "ops"}}),
                      entry("CN=Ops,OU=G,DC=X", {{"cn", "ops"}, {"member", "uid=ann,ou=p,dc=x"}})});
  ASSERT_FALSE(polled);
  EXPECT_EQ(polled.error().message,
            "ldaps://ldap.example: entry 'CN=Ops,OU=G,DC=X' appears again in the groups search; "
            "first at 'cn=ops,ou=g,dc=x'");
}

TEST(SnapshotPoll, TwoPeopleWithOneIdMakeThePollIncomplete) {
  // Findings, activity and checklists name a person by id: keeping the first would hide the
  // second, a contractor here.
  auto polled =
      poll("ldif:export.ldif",
           {entry("uid=ann,ou=p,dc=x", {{"uid", "ann"}, {"employeeType", "employee"}}, 3),
            entry("uid=ann.c,ou=p,dc=x", {{"uid", "ANN"}, {"employeeType", "contractor"}}, 9)});
  ASSERT_FALSE(polled);
  EXPECT_EQ(polled.error().message,
            "ldif:export.ldif:9: uid 'ANN' of 'uid=ann.c,ou=p,dc=x' is also the uid of "
            "'uid=ann,ou=p,dc=x' (line 3); each person needs an id of their own");

  auto from_server = poll("ldaps://ldap.example", {entry("uid=ann,ou=p,dc=x", {{"uid", "ann"}}),
                                                   entry("cn=ann,ou=p,dc=x", {{"uid", "ann"}})});
  ASSERT_FALSE(from_server);
  EXPECT_EQ(from_server.error().message,
            "ldaps://ldap.example: uid 'ann' of 'cn=ann,ou=p,dc=x' is also the uid of "
            "'uid=ann,ou=p,dc=x'; each person needs an id of their own");
}

TEST(SnapshotPoll, DistinctDnsAndIdsMakeACompletePoll) {
  auto polled = poll(
      "ldaps://ldap.example",
      {entry("uid=ann,ou=p,dc=x", {{"uid", "ann"}}), entry("uid=bo,ou=p,dc=x", {{"uid", "bo"}})},
      {entry("cn=ops,ou=g,dc=x", {{"cn", "ops"}, {"member", "UID=Bo,OU=P,DC=X"}})});
  ASSERT_TRUE(polled) << polled.error().message;
  EXPECT_EQ(polled->people.size(), 2u);
  EXPECT_EQ(polled->members_of("cn=ops,ou=g,dc=x").size(), 1u);
  EXPECT_TRUE(polled->warnings.empty());
}

}  // namespace
}  // namespace secondsight::directory
