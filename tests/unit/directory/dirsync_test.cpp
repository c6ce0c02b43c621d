#include "secondsight/directory/dirsync.hpp"

#include <gmock/gmock.h>

#include "secondsight/directory/ldap_sync.hpp"

namespace secondsight::directory {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

const std::string k_people = "OU=People,DC=plant,DC=test";
const std::string k_groups = "OU=Groups,DC=plant,DC=test";

// 16 bytes, as objectGUID holds them; their hex is what extended DNs write.
std::string guid(char n) {
  return std::string(15, '\0') + std::string(1, n);
}
std::string guid_hex(char n) {
  return uuid_hex(guid(n));
}
std::string reference(char n, const std::string& dn) {
  return "<GUID=" + guid_hex(n) + ">;<SID=S-1-5-21-1-2-3-" + std::to_string(1000 + n) + ">;" + dn;
}

// An object as the server sends it: its own DN in extended form too.
Entry object(char n, const std::string& dn, const std::string& object_class) {
  Entry entry;
  entry.dn = reference(n, dn);
  entry.add("objectGUID", guid(n));
  entry.add_values("objectClass", {"top", object_class});
  return entry;
}

const std::string k_alice = "CN=Alice,OU=People,DC=plant,DC=test";
const std::string k_frank = "CN=Frank,OU=People,DC=plant,DC=test";
const std::string k_staff = "CN=Staff,OU=Groups,DC=plant,DC=test";

class DirSync : public ::testing::Test {
 protected:
  void SetUp() override {
    config::DirectoryConfig config;
    config.people = {k_people, "(&(objectClass=user)(!(objectClass=computer)))", {}};
    config.groups = {k_groups, "(objectClass=group)", {}};
    auto made = DirSyncObjects::make(config);
    ASSERT_TRUE(made) << made.error().message;
    m_objects.emplace(std::move(*made));

    // The first answer: everything.
    auto alice = object(1, k_alice, "user");
    alice.add("sAMAccountName", "alice");
    alice.add("userAccountControl", "512");
    auto frank = object(2, k_frank, "user");
    frank.add("sAMAccountName", "frank");
    frank.add("manager", reference(1, k_alice));
    auto staff = object(3, k_staff, "group");
    staff.add_values("member", {reference(1, k_alice), reference(2, k_frank),
                                reference(9, "CN=Contact,OU=Elsewhere,DC=plant,DC=test")});
    auto server = object(4, "CN=SRV,OU=People,DC=plant,DC=test", "user");
    server.add("objectClass", "computer");
    for (const auto* entry : {&alice, &frank, &staff, &server}) apply(*entry);
    m_objects->publish(m_replica);
  }

  void apply(const Entry& change) {
    auto applied = m_objects->apply(change);
    ASSERT_TRUE(applied) << applied.error().message;
  }
  const std::vector<std::string>& values(SyncScope scope, char n, const std::string& name) {
    static const std::vector<std::string> k_none;
    const Entry* entry = m_replica.find(scope, guid_hex(n));
    const auto* found = entry ? entry->find(name) : nullptr;
    return found ? *found : k_none;
  }

  std::optional<DirSyncObjects> m_objects;
  SyncReplica m_replica;
};

TEST_F(DirSync, TheFirstAnswerGivesWhatTheSearchesSelectWithReferencesAsDns) {
  EXPECT_EQ(m_replica.size(SyncScope::people), 2u);  // not the computer
  EXPECT_EQ(m_replica.size(SyncScope::groups), 1u);
  EXPECT_THAT(values(SyncScope::groups, 3, "member"),
              ElementsAre(k_alice, k_frank, "CN=Contact,OU=Elsewhere,DC=plant,DC=test"));
  EXPECT_THAT(values(SyncScope::people, 2, "manager"), ElementsAre(k_alice));
  ASSERT_NE(m_replica.find(SyncScope::people, guid_hex(1)), nullptr);
  EXPECT_EQ(m_replica.find(SyncScope::people, guid_hex(1))->dn, k_alice);
}

TEST_F(DirSync, IncrementalValuesAddAndRemoveAndOtherAttributesAreReplaced) {
  Entry change = object(3, k_staff, "group");
  change.add("member;range=0-0", reference(2, "CN=Frank,OU=People,DC=plant,DC=test"));
  apply(change);
  Entry disabled;
  disabled.dn = k_alice;
  disabled.add("objectGUID", guid(1));
  disabled.add("userAccountControl", "514");
  apply(disabled);
  m_objects->publish(m_replica);
  EXPECT_THAT(values(SyncScope::groups, 3, "member"),
              ElementsAre(k_alice, "CN=Contact,OU=Elsewhere,DC=plant,DC=test"));
  EXPECT_THAT(values(SyncScope::people, 1, "userAccountControl"), ElementsAre("514"));
  EXPECT_THAT(values(SyncScope::people, 1, "sAMAccountName"), ElementsAre("alice"));  // kept

  Entry back = object(3, k_staff, "group");
  back.add("member;range=1-1", reference(2, k_frank));
  apply(back);
  m_objects->publish(m_replica);
  EXPECT_THAT(values(SyncScope::groups, 3, "member"),
              UnorderedElementsAre(k_alice, k_frank, "CN=Contact,OU=Elsewhere,DC=plant,DC=test"));
}

TEST_F(DirSync, AMoveRenamesItInTheGroupsThatNameItAndOutOfTheBaseItIsGone) {
  const std::string moved = "CN=Alice,OU=Contractors,OU=People,DC=plant,DC=test";
  Entry change;
  change.dn = moved;
  change.add("objectGUID", guid(1));
  apply(change);
  m_objects->publish(m_replica);
  // DirSync said nothing of Staff or Frank: they name Alice where she is now.
  EXPECT_THAT(values(SyncScope::groups, 3, "member"),
              ElementsAre(moved, k_frank, "CN=Contact,OU=Elsewhere,DC=plant,DC=test"));
  EXPECT_THAT(values(SyncScope::people, 2, "manager"), ElementsAre(moved));

  change.dn = "CN=Alice,OU=Leavers,DC=plant,DC=test";
  apply(change);
  m_objects->publish(m_replica);
  EXPECT_EQ(m_replica.find(SyncScope::people, guid_hex(1)), nullptr);
  EXPECT_EQ(m_replica.size(SyncScope::people), 1u);
}

TEST_F(DirSync, ADeletedObjectGoesAndSoDoTheValuesThatNamedIt) {
  Entry tombstone;
  tombstone.dn = "CN=Frank\\0ADEL:" + guid_hex(2) + ",CN=Deleted Objects,DC=plant,DC=test";
  tombstone.add("objectGUID", guid(2));
  tombstone.add("isDeleted", "TRUE");
  apply(tombstone);
  m_objects->publish(m_replica);
  EXPECT_EQ(m_replica.find(SyncScope::people, guid_hex(2)), nullptr);
  EXPECT_THAT(values(SyncScope::groups, 3, "member"),
              ElementsAre(k_alice, "CN=Contact,OU=Elsewhere,DC=plant,DC=test"));
}

TEST_F(DirSync, AWholeAnswerAgainRemovesWhatItNoLongerHolds) {
  m_objects->clear();
  auto alice = object(1, k_alice, "user");
  alice.add("sAMAccountName", "alice");
  apply(alice);
  m_objects->publish(m_replica);
  EXPECT_EQ(m_replica.size(SyncScope::people), 1u);
  EXPECT_EQ(m_replica.size(SyncScope::groups), 0u);
}

TEST_F(DirSync, AnObjectWithoutItsGuidOrWithOnlyARangeOfValuesIsRefused) {
  Entry nameless;
  nameless.dn = k_alice;
  nameless.add("userAccountControl", "2");
  EXPECT_FALSE(m_objects->apply(nameless));
  Entry partial = object(3, k_staff, "group");
  partial.add("member;range=0-1499", reference(1, k_alice));
  auto refused = m_objects->apply(partial);
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message, ::testing::HasSubstr("range of member"));
}

TEST(ExtendedDn, GivesTheGuidAndTheDn) {
  auto parsed = parse_extended_dn("<GUID=AB01>;<SID=S-1-5-21-1>;CN=x,DC=y");
  EXPECT_EQ(parsed.guid, "ab01");
  EXPECT_EQ(parsed.dn, "CN=x,DC=y");
  EXPECT_EQ(parse_extended_dn("<GUID=ab01>;CN=x").dn, "CN=x");
  parsed = parse_extended_dn("CN=<x>,DC=y");
  EXPECT_EQ(parsed.guid, "");
  EXPECT_EQ(parsed.dn, "CN=<x>,DC=y");
}

}  // namespace
}  // namespace secondsight::directory
