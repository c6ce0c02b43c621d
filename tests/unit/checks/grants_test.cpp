// Effective grants through nested groups, from member and memberOf, safe with cycles.
#include <gmock/gmock.h>

#include "check_fixture.hpp"

namespace secondsight::checks::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

const char* k_nested = R"(
dn: uid=ann,ou=people,dc=x
uid: ann
employeeType: contractor

dn: uid=bo,ou=people,dc=x
uid: bo
employeeType: employee
memberOf: CN=Readers, OU=Groups, DC=X

dn: cn=top,ou=groups,dc=x
cn: top
member: cn=middle,ou=groups,dc=x

dn: cn=middle,ou=groups,dc=x
cn: middle
member: cn=team,ou=groups,dc=x
member: cn=top,ou=groups,dc=x

dn: cn=team,ou=groups,dc=x
cn: team
member: uid=ann,ou=people,dc=x
member: cn=middle,ou=groups,dc=x

dn: cn=readers,ou=groups,dc=x
cn: readers
memberOf: cn=top,ou=groups,dc=x

dn: cn=direct,ou=groups,dc=x
cn: direct
member: UID=Ann , OU=People,DC=x
)";

using Dns = std::vector<std::string>;

std::vector<Dns> dns(const std::vector<directory::GroupPath>& paths) {
  std::vector<Dns> out;
  for (const auto& path : paths) out.push_back(directory::path_dns(path));
  return out;
}

class Grants : public ::testing::Test {
 protected:
  Zone m_zone = *find_zone("UTC");
  directory::DirectorySnapshot m_snapshot =
      snapshot_from_ldif(k_nested, openldap_directory(), m_zone);
};

TEST_F(Grants, NestedGroupsWithACycleEndAndGiveEachPath) {
  auto members = m_snapshot.members_of("cn=top,ou=groups,dc=x");
  const auto* ann = m_snapshot.find_person("ann");
  const auto* bo = m_snapshot.find_person("bo");
  ASSERT_TRUE(ann && bo);
  ASSERT_EQ(members.size(), 2u);
  ASSERT_EQ(members[ann].size(), 1u);
  EXPECT_THAT(
      directory::path_dns(members[ann][0]),
      ElementsAre("cn=team,ou=groups,dc=x", "cn=middle,ou=groups,dc=x", "cn=top,ou=groups,dc=x"));
  // bo is in readers through his own memberOf, and readers is in top through its memberOf.
  ASSERT_EQ(members[bo].size(), 1u);
  EXPECT_THAT(directory::path_dns(members[bo][0]),
              ElementsAre("cn=readers,ou=groups,dc=x", "cn=top,ou=groups,dc=x"));
}

TEST_F(Grants, OnePathPerDirectGroupThatLeadsToTheSystem) {
  config::Policy policy = contractor_policy();
  auto s = system("app", "cn=middle,ou=groups,dc=x");
  s.groups.push_back("cn=direct,ou=groups,dc=x");
  policy.systems = {s};
  Evaluation evaluation(ScanInputs{m_snapshot, policy, at("2026-01-01T00:00:00Z"), m_zone});
  const auto* ann = evaluation.find("ann");
  ASSERT_TRUE(ann);
  ASSERT_EQ(ann->grants.size(), 1u);
  EXPECT_THAT(dns(ann->grants[0].paths),
              UnorderedElementsAre(Dns{"cn=team,ou=groups,dc=x", "cn=middle,ou=groups,dc=x"},
                                   Dns{"cn=direct,ou=groups,dc=x"}));
  // bo reaches middle too: readers is in top, and top is in middle (the cycle).
  const auto* bo = evaluation.find("bo");
  ASSERT_EQ(bo->grants.size(), 1u);
  EXPECT_THAT(dns(bo->grants[0].paths),
              ElementsAre(Dns{"cn=readers,ou=groups,dc=x", "cn=top,ou=groups,dc=x",
                              "cn=middle,ou=groups,dc=x"}));
}

TEST_F(Grants, AGroupOutsideTheSnapshotGrantsNothing) {
  EXPECT_TRUE(m_snapshot.members_of("cn=absent,ou=groups,dc=x").empty());
}

TEST(Snapshot, ActiveDirectoryFlavor) {
  config::DirectoryConfig directory;
  directory.flavor = config::Flavor::active_directory;
  directory.attributes = config::default_attributes(config::Flavor::active_directory);
  auto snapshot = snapshot_from_ldif(R"(
dn: CN=Karel Jansen,OU=Externals,DC=corp,DC=example
changetype: add
sAMAccountName: kjansen
displayName: Karel Jansen
userAccountControl: 514
accountExpires: 134167968000000000
proxyAddresses: SMTP:Karel.Jansen@corp.example
mail: karel.jansen@corp.example
userPrincipalName: kjansen@corp.example
memberOf: CN=Ops,OU=Groups,DC=corp,DC=example

dn: CN=Lies Bakker,OU=Externals,DC=corp,DC=example
changetype: add
sAMAccountName: lbakker
userAccountControl: 512
accountExpires: 9223372036854775807
mail: SMTP:lies@corp.example

dn: CN=Ops,OU=Groups,DC=corp,DC=example
changetype: add
cn: Ops
)",
                                     directory, *find_zone("Europe/Amsterdam"));
  const auto* karel = snapshot.find_person("kjansen");
  const auto* lies = snapshot.find_person("LBAKKER");
  ASSERT_TRUE(karel && lies);
  EXPECT_TRUE(karel->disabled);  // 514 = 512 | 0x2
  EXPECT_FALSE(lies->disabled);
  ASSERT_TRUE(karel->end);
  EXPECT_EQ(karel->end->rights_end, at("2026-03-01T00:00:00Z"));
  EXPECT_FALSE(lies->end);  // never expires
  EXPECT_EQ(karel->display_name, "Karel Jansen");
  EXPECT_EQ(snapshot.resolve_identity("KJansen@corp.example"), karel);
  EXPECT_EQ(snapshot.resolve_identity("lies@corp.example"), lies);  // "SMTP:" ignored
  EXPECT_EQ(snapshot.resolve_identity("smtp:lies@corp.example"), lies);
  EXPECT_EQ(snapshot.members_of("cn=ops,ou=groups,dc=corp,dc=example").size(), 1u);
}

TEST(Snapshot, EveryWayOfWritingMembershipLeadsToTheSamePeople) {
  auto snapshot = snapshot_from_ldif(R"(
dn: uid=ann,ou=p,dc=x
uid: ann
memberOf: cn=both,ou=g,dc=x

dn: uid=bo,ou=p,dc=x
uid: bo

dn: uid=cy,ou=p,dc=x
uid: cy

dn: uid=di,ou=p,dc=x
uid: di

dn: cn=top,ou=g,dc=x
cn: top
member: cn=later,ou=g,dc=x
member: uid=nobody,ou=p,dc=x
member: cn=nothing,ou=g,dc=x

dn: cn=both,ou=g,dc=x
cn: both
member: uid=ann,ou=p,dc=x
memberOf: cn=top,ou=g,dc=x

dn: cn=later,ou=g,dc=x
cn: later
uniqueMember: uid=bo,ou=p,dc=x#'0101'B
memberUid: CY
memberUid: ann
memberUid: ghost
member: UID=DI, OU=P, DC=X
)",
                                     openldap_directory(), *find_zone("UTC"));
  ASSERT_EQ(snapshot.people.size(), 4u);
  ASSERT_EQ(snapshot.groups.size(), 3u);
  auto members = snapshot.members_of("cn=top,ou=g,dc=x");
  std::map<std::string, std::vector<Dns>> by_id;
  for (const auto& [person, paths] : members) by_id[person->id] = dns(paths);
  EXPECT_THAT(by_id["ann"],  // both sides of one edge give one path, then memberUid another
              UnorderedElementsAre(Dns{"cn=both,ou=g,dc=x", "cn=top,ou=g,dc=x"},
                                   Dns{"cn=later,ou=g,dc=x", "cn=top,ou=g,dc=x"}));
  EXPECT_THAT(by_id["bo"], ElementsAre(Dns{"cn=later,ou=g,dc=x", "cn=top,ou=g,dc=x"}));
  EXPECT_THAT(by_id["cy"], ElementsAre(Dns{"cn=later,ou=g,dc=x", "cn=top,ou=g,dc=x"}));
  EXPECT_THAT(by_id["di"], ElementsAre(Dns{"cn=later,ou=g,dc=x", "cn=top,ou=g,dc=x"}));
  EXPECT_EQ(members.size(), 4u);
  EXPECT_EQ(snapshot.find_group("cn=later,ou=g,dc=x")->name, "later");
}

TEST(Snapshot, SharedAliasResolvesToNoOneAndMissingIdIsReported) {
  auto snapshot = snapshot_from_ldif(R"(
dn: uid=a,ou=p,dc=x
uid: a
mail: team@x.example

dn: uid=b,ou=p,dc=x
uid: b
mail: TEAM@x.example
)",
                                     openldap_directory(), *find_zone("UTC"));
  EXPECT_EQ(snapshot.resolve_identity("team@x.example"), nullptr);
  EXPECT_EQ(snapshot.resolve_identity("a"), snapshot.find_person("a"));

  auto no_id = directory::build_snapshot({directory::Entry{}}, {}, openldap_directory(),
                                         *find_zone("UTC"), "ldif:x.ldif");
  ASSERT_TRUE(no_id) << no_id.error().message;
  EXPECT_TRUE(no_id->people.empty());
  ASSERT_EQ(no_id->warnings.size(), 1u);
  EXPECT_THAT(no_id->warnings[0], ::testing::HasSubstr("has no uid and is ignored"));
}

TEST(Snapshot, EndDateFormats) {
  auto amsterdam = *find_zone("Europe/Amsterdam");
  using config::EndDateFormat;
  // The last day of the engagement ends at local midnight.
  EXPECT_EQ((*directory::parse_engagement_end("2026-03-29", EndDateFormat::iso_date, amsterdam))
                ->rights_end,
            at("2026-03-29T22:00:00Z"));
  EXPECT_EQ((*directory::parse_engagement_end("20260301120000Z", EndDateFormat::generalized_time,
                                              amsterdam))
                ->rights_end,
            at("2026-03-01T12:00:00Z"));
  EXPECT_EQ((*directory::parse_engagement_end("20513", EndDateFormat::days_since_epoch, amsterdam))
                ->rights_end,
            at("2026-03-01T00:00:00Z"));
  EXPECT_FALSE(
      directory::parse_engagement_end("0", EndDateFormat::ad_filetime, amsterdam)->has_value());
  EXPECT_FALSE(
      directory::parse_engagement_end("31-03-2026", EndDateFormat::iso_date, amsterdam).ok());
}

}  // namespace
}  // namespace secondsight::checks::testing
