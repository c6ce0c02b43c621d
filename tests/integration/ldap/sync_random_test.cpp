// The synchronised snapshot is the directory: hundreds of random changes made with ldapmodify
// (people added, moved out of the people base and back, disabled and enabled, deleted; groups
// added, nested and un-nested; members added and removed; end dates set, changed and removed)
// while the real daemon follows a real slapd; then its open findings are those of a whole
// poll of the same directory by `secondsight scan`.
#include <gmock/gmock.h>
#include <sys/stat.h>

#include <map>
#include <random>
#include <set>

#include "fixtures/daemon_process.hpp"
#include "fixtures/plant_company.hpp"
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

TEST(SyncRandom, AfterHundredsOfChangesTheFollowedFindingsAreThoseOfAWholePoll) {
  // A new seed each run; SECONDSIGHT_SYNC_SEED repeats one (the failure message names it).
  const char* fixed = std::getenv("SECONDSIGHT_SYNC_SEED");
  const unsigned seed = fixed ? static_cast<unsigned>(std::stoul(fixed)) : std::random_device{}();
  RecordProperty("seed", std::to_string(seed));
  SCOPED_TRACE("seed " + std::to_string(seed));
  const fs::path folder = make_temp_dir("sync-random");
  write_file(folder / "base.ldif", k_base);
  fs::create_directory(folder / "policies");
  write_file(folder / "policies" / "systems.yaml", k_policy);
  write_file(folder / "token", std::string(k_token) + "\n");
  ::chmod((folder / "token").c_str(), 0600);
  SlapdOptions options;
  options.data = {folder / "base.ldif"};
  options.schemas = {k_company_source / "schema/harbour-engagement.ldif"};
  options.syncprov = true;
  options.admin_password = k_admin;
  auto slapd = Slapd::start(options);
  ASSERT_TRUE(slapd);
  const unsigned short port = free_loopback_port();
  const std::string directory =
      "directory:\n  uri: " + slapd->ldap_uri() +
      "\n  people: { base: \"ou=People,dc=example,dc=com\", filter: "
      "\"(objectClass=inetOrgPerson)\" }\n"
      "  groups: { base: \"ou=Groups,dc=example,dc=com\", filter: \"(objectClass=groupOfNames)\" "
      "}\n"
      "  attributes:\n    end_date: { attribute: contractEndDate, format: iso_date }\n"
      "  poll_interval: 1h\n  timeout: 10s\n";
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
  Company company(seed);
  for (int batch = 0; batch < 20; ++batch) {
    const std::string ldif = company.changes(20);
    if (ldif.empty()) continue;
    ASSERT_EQ(slapd->modify(ldif), "");
  }

  // A whole poll of the directory as it is now, by a scan with a state of its own.
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
  fs::remove_all(folder);
}

}  // namespace
}  // namespace secondsight::testing
