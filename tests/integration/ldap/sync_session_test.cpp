// Content synchronisation against a real slapd with the syncprov overlay: the first refresh
// gives what a whole poll gives, changes made with ldapmodify arrive while the session persists,
// a session started again from its cookies catches up with what changed meanwhile, a server
// without syncprov says so, and a server that goes away ends the session with an error.
#include <gmock/gmock.h>

#include <chrono>
#include <functional>

#include "fixtures/plant_company.hpp"
#include "fixtures/slapd_fixture.hpp"
#include "secondsight/directory/ldap_sync.hpp"
#include "secondsight/directory/snapshot.hpp"

namespace secondsight::testing {
namespace {

using directory::SyncProgress;
using directory::SyncReplica;
using directory::SyncScope;
using ::testing::HasSubstr;

const std::string k_admin = "admin password";

class SyncSession : public ::testing::Test {
 protected:
  void SetUp() override { start_slapd(true); }

  void start_slapd(bool syncprov) {
    m_data = make_temp_dir("secondsight-sync-data");
    write(m_data / "company.ldif", plant_company_ldif(false));
    SlapdOptions options;
    options.data = {m_data / "company.ldif"};
    options.syncprov = syncprov;
    options.admin_password = k_admin;
    m_slapd = Slapd::start(options);
    ASSERT_NE(m_slapd, nullptr);
    m_config.uri = m_slapd->ldap_uri();
    m_config.people.base = "ou=People,dc=example,dc=com";
    m_config.people.filter = "(objectClass=inetOrgPerson)";
    m_config.groups.base = "ou=Groups,dc=example,dc=com";
    m_config.groups.filter = "(objectClass=groupOfNames)";
    m_config.timeout = std::chrono::seconds(30);
    m_config.attributes.id = "uid";
    m_config.attributes.kind = "employeeType";
    m_config.attributes.member = "member";
  }

  void TearDown() override {
    m_slapd.reset();
    if (!m_data.empty()) fs::remove_all(m_data);
  }

  static void write(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

  // Receives until `done` holds (30 s at most: the server answers in milliseconds).
  ::testing::AssertionResult receive_until(directory::SyncSession& session, SyncReplica& replica,
                                           const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline)
        return ::testing::AssertionFailure() << "not within 30 s";
      auto progress = session.receive(replica, std::chrono::milliseconds(200));
      if (!progress) return ::testing::AssertionFailure() << progress.error().message;
      if (progress->state != SyncProgress::State::following)
        return ::testing::AssertionFailure() << "the session stopped following";
    }
    return ::testing::AssertionSuccess();
  }

  // The ids of the people and the group names with their members, of a snapshot.
  static std::string describe(const directory::DirectorySnapshot& snapshot) {
    std::set<std::string> lines;
    for (const auto& person : snapshot.people) lines.insert("person " + person.id);
    for (const auto& group : snapshot.groups) {
      std::string line = "group " + group.name + ":";
      std::set<std::string> members;
      for (const auto& [person, paths] : snapshot.members_of(group.dn)) members.insert(person->id);
      for (const auto& member : members) line += " " + member;
      lines.insert(line);
    }
    std::string out;
    for (const auto& line : lines) out += line + "\n";
    return out;
  }

  static Zone utc() { return *find_zone("UTC"); }

  std::string polled() {
    auto snapshot = directory::poll_configured_directory(m_config, utc());
    if (!snapshot) return "poll failed: " + snapshot.error().message;
    return describe(*snapshot);
  }

  std::string synced(const SyncReplica& replica) {
    auto snapshot = directory::build_snapshot(replica, m_config, utc(), m_config.uri);
    if (!snapshot) return "build failed: " + snapshot.error().message;
    return describe(*snapshot);
  }

  fs::path m_data;
  std::unique_ptr<Slapd> m_slapd;
  config::DirectoryConfig m_config;
};

TEST_F(SyncSession, RefreshesThenFollowsChangesAsTheyAreMade) {
  auto session = directory::make_ldap_sync_session(m_config);
  SyncReplica replica;
  auto started = session->start(replica);
  ASSERT_TRUE(started) << started.error().message;
  ASSERT_TRUE(receive_until(*session, replica, [&] { return replica.refreshed(); }));
  EXPECT_EQ(replica.size(SyncScope::people), 2u);
  EXPECT_EQ(replica.size(SyncScope::groups), 1u);
  EXPECT_FALSE(replica.cookie(SyncScope::people).empty());
  EXPECT_EQ(synced(replica), polled());
  EXPECT_EQ(synced(replica), "group plant-operators: sam\nperson ria\nperson sam\n");

  // A contractor joins the group; a new person arrives; Sam leaves.
  const auto before = replica.version();
  ASSERT_EQ(m_slapd->modify(R"(dn: cn=plant-operators,ou=Groups,dc=example,dc=com
changetype: modify
add: member
member: uid=ria,ou=People,dc=example,dc=com

dn: uid=noor,ou=People,dc=example,dc=com
changetype: add
objectClass: inetOrgPerson
uid: noor
cn: Noor New
sn: New
employeeType: external

dn: uid=sam,ou=People,dc=example,dc=com
changetype: delete
)"),
            "");
  ASSERT_TRUE(receive_until(*session, replica, [&] {
    return replica.size(SyncScope::people) == 2 && synced(replica) == polled();
  })) << synced(replica);
  EXPECT_GT(replica.version(), before);
  EXPECT_THAT(synced(replica), HasSubstr("group plant-operators: ria\n"));
  EXPECT_THAT(synced(replica), HasSubstr("person noor\n"));
  EXPECT_THAT(synced(replica), ::testing::Not(HasSubstr("person sam\n")));

  // Moved out of the people base: gone from the people, as a poll would have it.
  ASSERT_EQ(m_slapd->modify(R"(dn: uid=noor,ou=People,dc=example,dc=com
changetype: modrdn
newrdn: uid=noor
deleteoldrdn: 1
newsuperior: ou=Elsewhere,dc=example,dc=com
)"),
            "");
  ASSERT_TRUE(
      receive_until(*session, replica, [&] { return replica.size(SyncScope::people) == 1; }));
  EXPECT_EQ(synced(replica), polled());
}

TEST_F(SyncSession, AStartFromTheCookiesCatchesUpWithWhatChangedMeanwhile) {
  SyncReplica replica;
  {
    auto session = directory::make_ldap_sync_session(m_config);
    ASSERT_TRUE(session->start(replica));
    ASSERT_TRUE(receive_until(*session, replica, [&] { return replica.refreshed(); }));
  }
  for (auto scope : directory::k_sync_scopes) replica.take_changes(scope);
  // While nobody follows: one person changes, one goes, one comes.
  ASSERT_EQ(m_slapd->modify(R"(dn: uid=ria,ou=People,dc=example,dc=com
changetype: modify
replace: employeeType
employeeType: employee

dn: uid=sam,ou=People,dc=example,dc=com
changetype: delete

dn: uid=lex,ou=People,dc=example,dc=com
changetype: add
objectClass: inetOrgPerson
uid: lex
cn: Lex Later
sn: Later
)"),
            "");
  auto session = directory::make_ldap_sync_session(m_config);
  ASSERT_TRUE(session->start(replica));
  ASSERT_TRUE(receive_until(*session, replica, [&] { return replica.refreshed(); }));
  EXPECT_EQ(synced(replica), polled());
  // Only what changed travelled: the store rewrites two people and forgets one.
  auto changes = replica.take_changes(SyncScope::people);
  EXPECT_FALSE(changes.cleared);
  EXPECT_EQ(changes.put.size(), 2u);
  EXPECT_EQ(changes.removed.size(), 1u);
  EXPECT_TRUE(replica.take_changes(SyncScope::groups).empty());
}

TEST_F(SyncSession, ACookieTheServerDoesNotKnowStartsAWholeRefreshOrIsRefused) {
  SyncReplica replica;
  replica.cookie(SyncScope::people) = "rid=000,csn=29991231235959.999999Z#000000#000#000000";
  replica.cookie(SyncScope::groups) = "not a cookie at all";
  auto session = directory::make_ldap_sync_session(m_config);
  auto started = session->start(replica);
  ASSERT_TRUE(started) << started.error().message;
  // Either the server refreshes the whole content, or it asks for a start without the cookie:
  // never a replica that silently lacks entries.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  bool required = false;
  while (!replica.refreshed() && std::chrono::steady_clock::now() < deadline) {
    auto progress = session->receive(replica, std::chrono::milliseconds(200));
    if (!progress) {
      required = true;  // a protocol error on the unreadable cookie
      break;
    }
    if (progress->state == SyncProgress::State::refresh_required) {
      required = true;
      break;
    }
  }
  if (!required) {
    EXPECT_EQ(synced(replica), polled());
  } else {
    replica.clear();
    auto again = session->start(replica);
    ASSERT_TRUE(again) << again.error().message;
    ASSERT_TRUE(receive_until(*session, replica, [&] { return replica.refreshed(); }));
    EXPECT_EQ(synced(replica), polled());
  }
}

TEST_F(SyncSession, AServerWithoutSyncprovSaysItCannotFollow) {
  m_slapd.reset();
  fs::remove_all(m_data);
  start_slapd(false);
  auto session = directory::make_ldap_sync_session(m_config);
  SyncReplica replica;
  auto started = session->start(replica);
  ASSERT_TRUE(started) << started.error().message;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  SyncProgress::State state = SyncProgress::State::following;
  std::vector<std::string> warnings;
  while (state == SyncProgress::State::following && std::chrono::steady_clock::now() < deadline) {
    auto progress = session->receive(replica, std::chrono::milliseconds(200));
    ASSERT_TRUE(progress) << progress.error().message;
    state = progress->state;
    warnings = progress->warnings;
  }
  EXPECT_EQ(state, SyncProgress::State::unsupported);
  ASSERT_FALSE(warnings.empty());
  EXPECT_THAT(warnings.front(), HasSubstr(m_config.uri));
  EXPECT_FALSE(replica.refreshed());
}

TEST_F(SyncSession, AServerThatGoesAwayEndsTheSessionWithAnError) {
  auto session = directory::make_ldap_sync_session(m_config);
  SyncReplica replica;
  ASSERT_TRUE(session->start(replica));
  ASSERT_TRUE(receive_until(*session, replica, [&] { return replica.refreshed(); }));
  m_slapd->kill();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  Result<SyncProgress> progress = SyncProgress{};
  while (progress && std::chrono::steady_clock::now() < deadline)
    progress = session->receive(replica, std::chrono::milliseconds(200));
  ASSERT_FALSE(progress);
  EXPECT_THAT(progress.error().message, HasSubstr(m_config.uri));
  // What was received stays: the replica is the directory as last seen.
  EXPECT_EQ(replica.size(SyncScope::people), 2u);
}

}  // namespace
}  // namespace secondsight::testing
