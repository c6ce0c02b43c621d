#include "secondsight/store/directory_replica.hpp"

#include <gtest/gtest.h>

#include "temp_dir.hpp"

namespace secondsight::store {
namespace {

using directory::Entry;
using directory::SyncReplica;
using directory::SyncScope;
using testing::TempDir;

Entry person(const std::string& uid) {
  Entry entry;
  entry.dn = "uid=" + uid + ",ou=People,dc=example,dc=com";
  entry.add("uid", uid);
  entry.add_values("objectClass", {"top", "inetOrgPerson"});
  entry.add("jpegPhoto", std::string("\0\xff:;9:", 6));  // bytes, and the separators
  return entry;
}

TEST(DirectoryReplicaStore, AnEntryReadsBackAsItWasWritten) {
  const auto entry = person("ria");
  auto back = decode_entry(encode_entry(entry));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->dn, entry.dn);
  ASSERT_EQ(back->attributes().size(), 3u);
  EXPECT_EQ(*back->find("jpegPhoto"), *entry.find("jpegPhoto"));
  EXPECT_EQ(*back->find("objectClass"), *entry.find("objectClass"));
  for (const std::string damaged : {"", "9:short", "x:abc", "3:abc4:name", "3:abc4:name2;1:a"})
    EXPECT_FALSE(decode_entry(damaged)) << damaged;
}

TEST(DirectoryReplicaStore, KeepsWhatChangedAndTheCookiesAcrossAReopen) {
  TempDir dir;
  const std::string identity = "ldap://one\nou=People\n";
  {
    auto db = Database::open(dir / "state.db");
    ASSERT_TRUE(db) << db.error().message;
    DirectoryReplicaStore store(*db);
    SyncReplica replica;
    ASSERT_TRUE(store.load(identity, replica));
    EXPECT_EQ(replica.size(SyncScope::people), 0u);
    replica.begin_refresh(SyncScope::people, false);
    replica.put(SyncScope::people, "u1", person("ria"));
    replica.put(SyncScope::people, "u2", person("sam"));
    replica.cookie(SyncScope::people) = "cookie-1";
    ASSERT_TRUE(store.save(identity, replica));
    replica.remove(SyncScope::people, "u2");
    replica.put(SyncScope::groups, "g1", Entry{});
    replica.cookie(SyncScope::people) = "cookie-2";
    ASSERT_TRUE(store.save(identity, replica));
  }
  auto db = Database::open(dir / "state.db");
  ASSERT_TRUE(db);
  DirectoryReplicaStore store(*db);
  SyncReplica replica;
  ASSERT_TRUE(store.load(identity, replica));
  EXPECT_EQ(replica.size(SyncScope::people), 1u);
  ASSERT_NE(replica.find(SyncScope::people, "u1"), nullptr);
  EXPECT_EQ(replica.find(SyncScope::people, "u1")->first("uid"), "ria");
  EXPECT_EQ(replica.size(SyncScope::groups), 1u);
  EXPECT_EQ(replica.cookie(SyncScope::people), "cookie-2");
  EXPECT_FALSE(replica.refreshed());  // loaded, not yet refreshed from the server
  EXPECT_TRUE(replica.take_changes(SyncScope::people).empty());

  // Another directory's replica is not used, and goes at the next save.
  SyncReplica other;
  ASSERT_TRUE(store.load("ldap://two\n", other));
  EXPECT_EQ(other.size(SyncScope::people), 0u);
  EXPECT_TRUE(other.cookie(SyncScope::people).empty());
  ASSERT_TRUE(store.save("ldap://two\n", other));
  SyncReplica first_again;
  ASSERT_TRUE(store.load(identity, first_again));
  EXPECT_EQ(first_again.size(SyncScope::people), 0u);
}

}  // namespace
}  // namespace secondsight::store
