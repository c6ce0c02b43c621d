// The synchronised snapshot is the directory: hundreds of random changes made with ldapmodify
// (people added, moved out of the people base and back, disabled and enabled, deleted; groups
// added, nested and un-nested; members added and removed; end dates set, changed and removed)
// while the real daemon follows a real slapd, and the same through DirSync while it follows a
// real Samba AD DC (accounts disabled through userAccountControl, end dates in accountExpires,
// and AD's own ways: a moved or deleted member changes or leaves the groups that list it); then
// its open findings are those of a whole poll of the same directory by `secondsight scan`.
#include <gmock/gmock.h>
#include <sys/stat.h>

#include <chrono>
#include <functional>
#include <map>
#include <random>
#include <set>

#include "fixtures/daemon_process.hpp"
#include "fixtures/plant_company.hpp"
#include "fixtures/samba_fixture.hpp"
#include "fixtures/scenario.hpp"
#include "fixtures/slapd_fixture.hpp"

namespace secondsight::testing {
namespace {

constexpr const char* k_token = "random-token-1234";
const std::string k_admin = "the admin's password";
const std::string k_suffix = "dc=example,dc=com";

constexpr const char* k_base = R"(dn: dc=example,dc=com
objectClass: dcObject
objectClass: organization
o: Example
dc: example

dn: ou=People,dc=example,dc=com
objectClass: organizationalUnit
ou: People

dn: ou=Elsewhere,dc=example,dc=com
objectClass: organizationalUnit
ou: Elsewhere

dn: ou=Groups,dc=example,dc=com
objectClass: organizationalUnit
ou: Groups

dn: uid=founder,ou=People,dc=example,dc=com
objectClass: inetOrgPerson
uid: founder
cn: Founder
sn: Founder
employeeType: employee

dn: uid=ria,ou=People,dc=example,dc=com
objectClass: inetOrgPerson
uid: ria
cn: Ria Steady
sn: Steady
employeeType: external
o: Agency 0
)";

// Three systems on the first groups: one externals may not use, two they may.
constexpr const char* k_policy = R"(staff:
  seconded_when: { employeeType: [external] }
systems:
  - id: plant
    name: Plant control
    criticality: critical
    externals: deny
    groups: ["cn=g0,ou=Groups,dc=example,dc=com"]
  - id: billing
    name: Billing
    criticality: high
    groups: ["cn=g1,ou=Groups,dc=example,dc=com", "cn=g2,ou=Groups,dc=example,dc=com"]
  - id: wiki
    name: Wiki
    criticality: low
    groups: ["cn=g3,ou=Groups,dc=example,dc=com"]
)";

// What the test knows of the directory, to make only changes the server accepts. Ria, an
// external without an end date, is left alone: there is always a finding to compare.
class Company {
 public:
  explicit Company(unsigned seed) : m_random(seed) {
    m_people["founder"] = {true, false};
    for (int i = 0; i < 5; ++i) add_group();
  }

  // The LDIF of `count` random changes, the first ones making the groups.
  std::string changes(int count) {
    std::string ldif;
    ldif.swap(m_pending);
    for (int i = 0; i < count; ++i) ldif += change();
    return ldif;
  }

 private:
  struct Person {
    bool in_people = true;
    bool external = false;
  };

  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(m_random); }
  template <class Map>
  auto any(Map& map) {
    auto it = map.begin();
    std::advance(it, pick(static_cast<int>(map.size())));
    return it;
  }
  std::string person_dn(const std::string& uid) const {
    return "uid=" + uid + ",ou=" + (m_people.at(uid).in_people ? "People" : "Elsewhere") + "," +
           k_suffix;
  }
  static std::string group_dn(const std::string& cn) {
    return "cn=" + cn + ",ou=Groups," + k_suffix;
  }
  std::string date() {
    return "2026-0" + std::to_string(5 + pick(4)) + "-" + std::to_string(10 + pick(18));
  }

  void add_group() {
    const std::string cn = "g" + std::to_string(m_next_group++);
    // groupOfNames needs a member: the founder is in every group and never leaves.
    m_groups[cn] = {group_dn_founder()};
    m_pending += "dn: " + group_dn(cn) + "\nchangetype: add\nobjectClass: groupOfNames\ncn: " + cn +
                 "\nmember: " + group_dn_founder() + "\n\n";
  }
  static std::string group_dn_founder() { return "uid=founder,ou=People," + k_suffix; }

  std::string change() {
    switch (pick(10)) {
      case 0: {  // a person arrives
        const std::string uid = "p" + std::to_string(m_next_person++);
        const bool external = pick(2) == 0;
        m_people[uid] = {true, external};
        std::string out = "dn: " + person_dn(uid) +
                          "\nchangetype: add\nobjectClass: inetOrgPerson\n"
                          "objectClass: harbourEngagement\nuid: " +
                          uid + "\ncn: Person " + uid + "\nsn: " + uid +
                          "\nemployeeType: " + (external ? "external" : "employee") +
                          "\no: Agency " + std::to_string(pick(3)) + "\n";
        if (pick(2) == 0) out += "contractEndDate: " + date() + "\n";
        return out + "\n";
      }
      case 1: {  // moved out of the people base, or back
        if (m_people.size() < 2) return "";
        auto it = any(m_people);
        if (it->first == "founder") return "";
        const std::string from = person_dn(it->first);
        it->second.in_people = !it->second.in_people;
        return "dn: " + from + "\nchangetype: modrdn\nnewrdn: uid=" + it->first +
               "\ndeleteoldrdn: 1\nnewsuperior: ou=" +
               (it->second.in_people ? "People" : "Elsewhere") + "," + k_suffix + "\n\n";
      }
      case 2: {  // disabled, or enabled again
        auto it = any(m_people);
        if (it->first == "founder") return "";
        const bool lock = m_locked.insert(it->first).second;
        if (!lock) m_locked.erase(it->first);
        return "dn: " + person_dn(it->first) + "\nchangetype: modify\n" +
               (lock ? "replace: pwdAccountLockedTime\npwdAccountLockedTime: 000001010000Z\n"
                     : "delete: pwdAccountLockedTime\n") +
               "\n";
      }
      case 3: {  // the end date set, changed or removed
        auto it = any(m_people);
        if (it->first == "founder") return "";
        if (pick(3) == 0)
          return "dn: " + person_dn(it->first) +
                 "\nchangetype: modify\nreplace: contractEndDate\n\n";
        return "dn: " + person_dn(it->first) +
               "\nchangetype: modify\nreplace: contractEndDate\ncontractEndDate: " + date() +
               "\n\n";
      }
      case 4:
      case 5: {  // a person joins a group
        auto person = any(m_people);
        auto group = any(m_groups);
        const std::string dn = person_dn(person->first);
        if (!group->second.insert(dn).second) return "";
        return "dn: " + group_dn(group->first) +
               "\nchangetype: modify\nadd: member\nmember: " + dn + "\n\n";
      }
      case 6: {  // a member leaves (never the founder: a group keeps one member)
        auto group = any(m_groups);
        std::vector<std::string> members;
        for (const auto& member : group->second)
          if (member != group_dn_founder()) members.push_back(member);
        if (members.empty()) return "";
        const std::string dn =
            members[static_cast<std::size_t>(pick(static_cast<int>(members.size())))];
        group->second.erase(dn);
        return "dn: " + group_dn(group->first) +
               "\nchangetype: modify\ndelete: member\nmember: " + dn + "\n\n";
      }
      case 7: {  // a group nested in another, or taken out again
        auto outer = any(m_groups);
        auto inner = any(m_groups);
        if (outer->first == inner->first) return "";
        const std::string dn = group_dn(inner->first);
        const bool add = outer->second.insert(dn).second;
        if (!add) outer->second.erase(dn);
        return "dn: " + group_dn(outer->first) + "\nchangetype: modify\n" +
               (add ? "add" : "delete") + ": member\nmember: " + dn + "\n\n";
      }
      case 8: {  // a person leaves the directory (memberships that name them stay, as in life)
        if (m_people.size() < 12) return "";  // the company does not dwindle away
        auto it = any(m_people);
        if (it->first == "founder") return "";
        const std::string dn = person_dn(it->first);
        m_locked.erase(it->first);
        m_people.erase(it);
        return "dn: " + dn + "\nchangetype: delete\n\n";
      }
      default:
        if (m_groups.size() < 12) {
          add_group();
          std::string out;
          out.swap(m_pending);
          return out;
        }
        return "";
    }
  }

  std::mt19937 m_random;
  std::map<std::string, Person> m_people;
  std::map<std::string, std::set<std::string>> m_groups;
  std::set<std::string> m_locked;
  int m_next_person = 0;
  int m_next_group = 0;
  std::string m_pending;
};

// The same kinds of change in an Active Directory domain. Members are known by who they are,
// not by DN: AD renames a member that moves in every group that lists it, and takes one that
// is deleted out of them.
constexpr const char* k_ad_people = "OU=People,OU=Plant,DC=plant,DC=test";
constexpr const char* k_ad_elsewhere = "OU=Elsewhere,OU=Plant,DC=plant,DC=test";
constexpr const char* k_ad_groups = "OU=Groups,OU=Plant,DC=plant,DC=test";

constexpr const char* k_ad_base = R"(dn: OU=Plant,DC=plant,DC=test
changetype: add
objectClass: organizationalUnit

dn: OU=People,OU=Plant,DC=plant,DC=test
changetype: add
objectClass: organizationalUnit

dn: OU=Elsewhere,OU=Plant,DC=plant,DC=test
changetype: add
objectClass: organizationalUnit

dn: OU=Groups,OU=Plant,DC=plant,DC=test
changetype: add
objectClass: organizationalUnit

dn: CN=Ria Steady,OU=People,OU=Plant,DC=plant,DC=test
changetype: add
objectClass: user
sAMAccountName: ria
userAccountControl: 512
accountExpires: 9223372036854775807
employeeType: contractor
company: Agency 0
)";

constexpr const char* k_ad_policy = R"(staff:
  seconded_when: { employeeType: [contractor] }
systems:
  - id: plant
    name: Plant control
    criticality: critical
    externals: deny
    groups: ["CN=g0,OU=Groups,OU=Plant,DC=plant,DC=test"]
  - id: billing
    name: Billing
    criticality: high
    groups: ["CN=g1,OU=Groups,OU=Plant,DC=plant,DC=test", "CN=g2,OU=Groups,OU=Plant,DC=plant,DC=test"]
  - id: wiki
    name: Wiki
    criticality: low
    groups: ["CN=g3,OU=Groups,OU=Plant,DC=plant,DC=test"]
)";

class AdCompany {
 public:
  explicit AdCompany(unsigned seed) : m_random(seed) {
    for (int i = 0; i < 5; ++i) m_pending += add_group();
  }

  std::string changes(int count) {
    std::string ldif;
    ldif.swap(m_pending);
    for (int i = 0; i < count; ++i) ldif += change();
    return ldif;
  }

 private:
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(m_random); }
  template <class Map>
  auto any(Map& map) {
    auto it = map.begin();
    std::advance(it, pick(static_cast<int>(map.size())));
    return it;
  }
  // A member is "p3" (a person) or "g2" (a group).
  std::string dn(const std::string& member) const {
    if (member[0] == 'g') return "CN=" + member + "," + k_ad_groups;
    return "CN=" + member + "," + (m_in_people.at(member) ? k_ad_people : k_ad_elsewhere);
  }
  // accountExpires of a day in the summer: 100 ns intervals since 1601.
  std::string expiry() {
    using namespace std::chrono;
    const sys_days day = year(2026) / month(static_cast<unsigned>(5 + pick(4))) /
                         std::chrono::day(static_cast<unsigned>(10 + pick(18)));
    const auto since_1601 = day.time_since_epoch() + seconds(11644473600);
    return std::to_string(duration_cast<seconds>(since_1601).count() * 10000000);
  }
  std::string add_group() {
    const std::string cn = "g" + std::to_string(m_next_group++);
    m_groups[cn];
    return "dn: " + dn(cn) + "\nchangetype: add\nobjectClass: group\nsAMAccountName: " + cn +
           "\n\n";
  }
  void forget(const std::string& member) {
    for (auto& [cn, members] : m_groups) members.erase(member);
  }

  std::string change() {
    switch (pick(10)) {
      case 0: {  // a person arrives
        const std::string cn = "p" + std::to_string(m_next_person++);
        m_in_people[cn] = true;
        std::string out = "dn: " + dn(cn) +
                          "\nchangetype: add\nobjectClass: user\nsAMAccountName: " + cn +
                          "\nuserAccountControl: 512\nemployeeType: " +
                          (pick(2) == 0 ? "contractor" : "employee") + "\ncompany: Agency " +
                          std::to_string(pick(3)) + "\n";
        if (pick(2) == 0) out += "accountExpires: " + expiry() + "\n";
        return out + "\n";
      }
      case 1: {  // moved out of the people's OU, or back
        if (m_in_people.empty()) return "";
        auto it = any(m_in_people);
        const std::string from = dn(it->first);
        it->second = !it->second;
        return "dn: " + from + "\nchangetype: modrdn\nnewrdn: CN=" + it->first +
               "\ndeleteoldrdn: 1\nnewsuperior: " + (it->second ? k_ad_people : k_ad_elsewhere) +
               "\n\n";
      }
      case 2: {  // disabled, or enabled again
        if (m_in_people.empty()) return "";
        auto it = any(m_in_people);
        const bool disable = m_disabled.insert(it->first).second;
        if (!disable) m_disabled.erase(it->first);
        return "dn: " + dn(it->first) +
               "\nchangetype: modify\nreplace: userAccountControl\nuserAccountControl: " +
               (disable ? "514" : "512") + "\n\n";
      }
      case 3: {  // the end date set, changed, or set to never
        if (m_in_people.empty()) return "";
        auto it = any(m_in_people);
        return "dn: " + dn(it->first) +
               "\nchangetype: modify\nreplace: accountExpires\naccountExpires: " +
               (pick(3) == 0 ? std::string("9223372036854775807") : expiry()) + "\n\n";
      }
      case 4:
      case 5: {  // a person joins a group
        if (m_in_people.empty()) return "";
        auto person = any(m_in_people);
        auto group = any(m_groups);
        if (!group->second.insert(person->first).second) return "";
        return "dn: " + dn(group->first) +
               "\nchangetype: modify\nadd: member\nmember: " + dn(person->first) + "\n\n";
      }
      case 6: {  // a member leaves
        auto group = any(m_groups);
        if (group->second.empty()) return "";
        auto member = any(group->second);
        const std::string value = dn(*member);
        group->second.erase(member);
        return "dn: " + dn(group->first) +
               "\nchangetype: modify\ndelete: member\nmember: " + value + "\n\n";
      }
      case 7: {  // a group nested in another, or taken out again
        auto outer = any(m_groups);
        auto inner = any(m_groups);
        if (outer->first == inner->first) return "";
        const bool add = outer->second.insert(inner->first).second;
        if (!add) outer->second.erase(inner->first);
        return "dn: " + dn(outer->first) + "\nchangetype: modify\n" + (add ? "add" : "delete") +
               ": member\nmember: " + dn(inner->first) + "\n\n";
      }
      case 8: {  // a person is deleted: AD takes them out of their groups
        if (m_in_people.size() < 12) return "";
        auto it = any(m_in_people);
        const std::string out = "dn: " + dn(it->first) + "\nchangetype: delete\n\n";
        forget(it->first);
        m_disabled.erase(it->first);
        m_in_people.erase(it);
        return out;
      }
      default: return m_groups.size() < 12 ? add_group() : "";
    }
  }

  std::mt19937 m_random;
  std::map<std::string, bool> m_in_people;  // person -> in the people's OU
  std::map<std::string, std::set<std::string>> m_groups;
  std::set<std::string> m_disabled;
  int m_next_person = 0;
  int m_next_group = 0;
  std::string m_pending;
};

std::set<std::string> keys_of_jsonl(const std::string& text) {
  std::set<std::string> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    auto json = nlohmann::json::parse(line, nullptr, false);
    if (!json.is_discarded() && json.contains("fingerprint"))
      out.insert(json.value("kind", "") + " " + json.value("fingerprint", ""));
  }
  return out;
}

std::string joined(const std::set<std::string>& keys) {
  std::string out;
  for (const auto& key : keys) out += key + "\n";
  return out;
}

// A new seed each run; SECONDSIGHT_SYNC_SEED repeats one (the failure message names it).
unsigned random_seed() {
  const char* fixed = std::getenv("SECONDSIGHT_SYNC_SEED");
  return fixed ? static_cast<unsigned>(std::stoul(fixed)) : std::random_device{}();
}

// Starts the daemon on `folder` (its policies in place), the directory as `directory` says; once
// it follows, makes `batches` of changes through `modify`, then compares the daemon's open
// findings with those of a whole poll by `secondsight scan` with a state of its own.
void expect_followed_findings_are_a_whole_polls(
    const fs::path& folder, const std::string& directory, const std::function<std::string()>& batch,
    const std::function<std::string(const std::string&)>& modify) {
  write_file(folder / "token", std::string(k_token) + "\n");
  ::chmod((folder / "token").c_str(), 0600);
  const unsigned short port = free_loopback_port();
  write_file(folder / "config.yaml", "state_dir: state\npolicies: policies\n" + directory +
                                         "daemon: { safety_interval: 1h }\n"
                                         "api: { listen: \"127.0.0.1:" +
                                         std::to_string(port) + "\", token_file: token }\n");
  write_file(folder / "poll.yaml", "state_dir: state-poll\npolicies: policies\n" + directory);

  DaemonProcess daemon(SECONDSIGHT_BINARY, folder / "config.yaml", folder, "2026-06-01");
  ASSERT_TRUE(daemon.wait_for_notification("READY=1")) << read_file(daemon.log_path());
  const auto metric = [&](const std::string& name) {
    return metric_value(http_get(port, "/metrics", k_token).body, name);
  };
  ASSERT_TRUE(DaemonProcess::eventually([&] {
    return metric("secondsight_directory_sync_up") == "1";
  })) << read_file(daemon.log_path());

  // Changes in batches, as a directory's administrators and HR make them: 400 in all.
  for (int i = 0; i < 20; ++i) {
    const std::string ldif = batch();
    if (ldif.empty()) continue;
    ASSERT_EQ(modify(ldif), "");
  }

  // A whole poll of the directory as it is now.
  auto [status, polled] = run_captured(std::string(SECONDSIGHT_BINARY) + " scan --config " +
                                       shell_quoted((folder / "poll.yaml").string()) +
                                       " --now 2026-06-01 --format jsonl 2>/dev/null");
  ASSERT_LE(status, 1) << polled;  // 0, or 1 with findings of high severity
  const auto expected = keys_of_jsonl(polled);
  ASSERT_FALSE(expected.empty()) << polled;

  const auto followed = [&] {
    std::set<std::string> out;
    auto json =
        nlohmann::json::parse(http_get(port, "/api/v1/findings", k_token).body, nullptr, false);
    if (!json.is_discarded())
      for (const auto& f : json["findings"])
        out.insert(f["kind"].get<std::string>() + " " + f["fingerprint"].get<std::string>());
    return out;
  };
  EXPECT_TRUE(DaemonProcess::eventually([&] { return followed() == expected; }))
      << "followed:\n"
      << joined(followed()) << "whole poll:\n"
      << joined(expected) << read_file(daemon.log_path());
  EXPECT_EQ(metric("secondsight_directory_polls_total"), "1");  // the first poll only
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_exit(), 0) << read_file(daemon.log_path());
}

TEST(SyncRandom, AfterHundredsOfChangesTheFollowedFindingsAreThoseOfAWholePoll) {
  const unsigned seed = random_seed();
  RecordProperty("seed", std::to_string(seed));
  SCOPED_TRACE("seed " + std::to_string(seed));
  const fs::path folder = make_temp_dir("sync-random");
  write_file(folder / "base.ldif", k_base);
  fs::create_directory(folder / "policies");
  write_file(folder / "policies" / "systems.yaml", k_policy);
  SlapdOptions options;
  options.data = {folder / "base.ldif"};
  options.schemas = {k_company_source / "schema/harbour-engagement.ldif"};
  options.syncprov = true;
  options.admin_password = k_admin;
  auto slapd = Slapd::start(options);
  ASSERT_TRUE(slapd);
  Company company(seed);
  expect_followed_findings_are_a_whole_polls(
      folder,
      "directory:\n  uri: " + slapd->ldap_uri() +
          "\n  people: { base: \"ou=People,dc=example,dc=com\", filter: "
          "\"(objectClass=inetOrgPerson)\" }\n"
          "  groups: { base: \"ou=Groups,dc=example,dc=com\", filter: "
          "\"(objectClass=groupOfNames)\" }\n"
          "  attributes:\n    end_date: { attribute: contractEndDate, format: iso_date }\n"
          "  poll_interval: 1h\n  timeout: 10s\n",
      [&] { return company.changes(20); },
      [&](const std::string& ldif) { return slapd->modify(ldif); });
  fs::remove_all(folder);
}

TEST(SyncRandom, AfterHundredsOfChangesInActiveDirectoryTheFollowedFindingsAreThoseOfAWholePoll) {
  const unsigned seed = random_seed();
  RecordProperty("seed", std::to_string(seed));
  SCOPED_TRACE("seed " + std::to_string(seed));
  auto domain = SambaDomain::start();
  ASSERT_NE(domain, nullptr);
  ASSERT_EQ(domain->modify(k_ad_base), "");
  const fs::path folder = domain->dir() / "company";
  fs::create_directories(folder / "policies");
  write_file(folder / "policies" / "systems.yaml", k_ad_policy);
  AdCompany company(seed);
  expect_followed_findings_are_a_whole_polls(
      folder,
      "directory:\n  uri: " + domain->ldaps_uri() + "\n  ca_file: " + domain->ca_file().string() +
          "\n  bind_dn: " + domain->bind_dn() +
          "\n  bind_password_file: " + domain->password_file().string() +
          "\n  flavor: active_directory\n"
          "  people: { base: \"" +
          k_ad_people +
          "\", filter: \"(objectClass=user)\" }\n"
          "  groups: { base: \"" +
          k_ad_groups +
          "\", filter: \"(objectClass=group)\" }\n"
          "  poll_interval: 1h\n  timeout: 10s\n",
      [&] { return company.changes(20); },
      [&](const std::string& ldif) { return domain->modify(ldif); });
}

}  // namespace
}  // namespace secondsight::testing
