// Content synchronisation without a server: the protocol's values read from bytes written by
// hand (BER as RFC 4533 defines it), malformed ones refused, and the replica's refresh rules.
#include "secondsight/directory/sync.hpp"

#include <gmock/gmock.h>

#include "secondsight/directory/ldap_sync.hpp"

namespace secondsight::directory {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (int value : values) out += static_cast<char>(value);
  return out;
}

const std::string k_uuid = bytes({0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa,
                                  0xbb, 0xcc, 0xdd, 0xee, 0xff});
const std::string k_uuid_hex = "00112233445566778899aabbccddeeff";

TEST(SyncProtocol, ReadsTheSyncStateOfAnEntry) {
  // SEQUENCE { state add, entryUUID, cookie "c" }
  auto state = decode_sync_state(bytes({0x30, 0x18, 0x0a, 0x01, 0x01, 0x04, 0x10}) + k_uuid +
                                 bytes({0x04, 0x01, 'c'}));
  ASSERT_TRUE(state) << state.error().message;
  EXPECT_EQ(state->state, SyncState::add);
  EXPECT_EQ(state->uuid, k_uuid_hex);
  EXPECT_EQ(state->cookie, "c");
  // Without a cookie, and a delete.
  auto deleted = decode_sync_state(bytes({0x30, 0x15, 0x0a, 0x01, 0x03, 0x04, 0x10}) + k_uuid);
  ASSERT_TRUE(deleted) << deleted.error().message;
  EXPECT_EQ(deleted->state, SyncState::remove);
  EXPECT_FALSE(deleted->cookie);
}

TEST(SyncProtocol, RefusesASyncStateThatIsNotOne) {
  // A UUID of 15 bytes, an unknown state, bytes that are no BER, nothing at all.
  auto short_uuid =
      decode_sync_state(bytes({0x30, 0x14, 0x0a, 0x01, 0x01, 0x04, 0x0f}) + k_uuid.substr(1));
  ASSERT_FALSE(short_uuid);
  EXPECT_THAT(short_uuid.error().message, HasSubstr("15 bytes"));
  auto unknown = decode_sync_state(bytes({0x30, 0x15, 0x0a, 0x01, 0x09, 0x04, 0x10}) + k_uuid);
  ASSERT_FALSE(unknown);
  EXPECT_THAT(unknown.error().message, HasSubstr("unknown state 9"));
  EXPECT_FALSE(decode_sync_state("\x30\x7f garbage"));
  EXPECT_FALSE(decode_sync_state(""));
}

TEST(SyncProtocol, ReadsEachKindOfSyncInfo) {
  auto cookie = decode_sync_info(bytes({0x80, 0x03, 'a', 'b', 'c'}));
  ASSERT_TRUE(cookie) << cookie.error().message;
  EXPECT_EQ(cookie->kind, SyncInfo::Kind::new_cookie);
  EXPECT_EQ(cookie->cookie, "abc");

  // refreshPresent { cookie "x", refreshDone FALSE }
  auto present = decode_sync_info(bytes({0xa2, 0x06, 0x04, 0x01, 'x', 0x01, 0x01, 0x00}));
  ASSERT_TRUE(present) << present.error().message;
  EXPECT_EQ(present->kind, SyncInfo::Kind::refresh_present);
  EXPECT_EQ(present->cookie, "x");
  EXPECT_FALSE(present->refresh_done);

  // refreshDelete {}: refreshDone is TRUE by default.
  auto deleted = decode_sync_info(bytes({0xa1, 0x00}));
  ASSERT_TRUE(deleted) << deleted.error().message;
  EXPECT_EQ(deleted->kind, SyncInfo::Kind::refresh_delete);
  EXPECT_TRUE(deleted->refresh_done);
  EXPECT_FALSE(deleted->cookie);

  // syncIdSet { refreshDeletes TRUE, syncUUIDs { uuid } }
  auto ids =
      decode_sync_info(bytes({0xa3, 0x17, 0x01, 0x01, 0xff, 0x31, 0x12, 0x04, 0x10}) + k_uuid);
  ASSERT_TRUE(ids) << ids.error().message;
  EXPECT_EQ(ids->kind, SyncInfo::Kind::id_set);
  EXPECT_TRUE(ids->refresh_deletes);
  EXPECT_THAT(ids->uuids, ElementsAre(k_uuid_hex));

  auto unknown = decode_sync_info(bytes({0xa7, 0x00}));
  ASSERT_FALSE(unknown);
  EXPECT_THAT(unknown.error().message, HasSubstr("unknown choice 0xa7"));
}

TEST(SyncProtocol, ReadsSyncDoneAndWritesTheRequest) {
  auto done = decode_sync_done(bytes({0x30, 0x03, 0x04, 0x01, 'z'}));
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->cookie, "z");
  EXPECT_FALSE(done->refresh_deletes);

  // SEQUENCE { mode refreshAndPersist, cookie "ck" }; reloadHint FALSE is left out (DER).
  EXPECT_EQ(encode_sync_request(SyncMode::refresh_and_persist, "ck"),
            bytes({0x30, 0x07, 0x0a, 0x01, 0x03, 0x04, 0x02, 'c', 'k'}));
  EXPECT_EQ(encode_sync_request(SyncMode::refresh_only, ""), bytes({0x30, 0x03, 0x0a, 0x01, 0x01}));
}

Entry entry(const std::string& dn) {
  Entry out;
  out.dn = dn;
  return out;
}

TEST(SyncReplica, ARefreshFromACookieDropsWhatThePresentPhaseDidNotName) {
  SyncReplica replica;
  replica.begin_refresh(SyncScope::people, false);
  replica.put(SyncScope::people, "a", entry("uid=a"));
  replica.put(SyncScope::people, "b", entry("uid=b"));
  replica.put(SyncScope::people, "c", entry("uid=c"));
  replica.mark_refreshed(SyncScope::people);
  auto first = replica.take_changes(SyncScope::people);
  EXPECT_TRUE(first.cleared);
  EXPECT_EQ(first.put.size(), 3u);

  replica.begin_refresh(SyncScope::people, true);
  EXPECT_FALSE(replica.refreshed(SyncScope::people));
  EXPECT_EQ(replica.size(SyncScope::people), 3u);  // nothing goes before the phase ends
  replica.present(SyncScope::people, "a");
  replica.put(SyncScope::people, "b", entry("uid=b,ou=moved"));
  replica.end_present_phase(SyncScope::people);
  EXPECT_EQ(replica.size(SyncScope::people), 2u);
  EXPECT_EQ(replica.find(SyncScope::people, "c"), nullptr);
  EXPECT_EQ(replica.find(SyncScope::people, "b")->dn, "uid=b,ou=moved");
  auto changes = replica.take_changes(SyncScope::people);
  EXPECT_FALSE(changes.cleared);
  EXPECT_THAT(changes.put, ElementsAre("b"));
  EXPECT_THAT(changes.removed, ElementsAre("c"));
  EXPECT_TRUE(replica.take_changes(SyncScope::groups).empty());
}

TEST(SyncReplica, ADeletePhaseRemovesOnlyWhatItNamesAndARefreshWithoutCookieStartsAfresh) {
  SyncReplica replica;
  replica.put(SyncScope::groups, "g1", entry("cn=g1"));
  replica.put(SyncScope::groups, "g2", entry("cn=g2"));
  replica.take_changes(SyncScope::groups);
  replica.begin_refresh(SyncScope::groups, true);
  replica.remove(SyncScope::groups, "g1");
  replica.remove(SyncScope::groups, "unknown");  // never held: no change
  replica.mark_refreshed(SyncScope::groups);
  EXPECT_EQ(replica.size(SyncScope::groups), 1u);
  EXPECT_THAT(replica.take_changes(SyncScope::groups).removed, ElementsAre("g1"));

  const auto version = replica.version();
  replica.begin_refresh(SyncScope::groups, false);
  EXPECT_EQ(replica.size(SyncScope::groups), 0u);
  EXPECT_GT(replica.version(), version);
  EXPECT_TRUE(replica.take_changes(SyncScope::groups).cleared);
}

TEST(SyncReplica, TheIdentityChangesWithTheServerAndTheSearches) {
  config::DirectoryConfig a;
  a.uri = "ldap://one";
  a.people.base = "ou=people";
  auto b = a;
  EXPECT_EQ(sync_identity(a), sync_identity(b));
  b.people.filter = "(objectClass=person)";
  EXPECT_NE(sync_identity(a), sync_identity(b));
  auto c = a;
  c.uri = "ldap://two";
  EXPECT_NE(sync_identity(a), sync_identity(c));
}

}  // namespace
}  // namespace secondsight::directory
