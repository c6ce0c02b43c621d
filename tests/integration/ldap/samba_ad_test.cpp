// A real Active Directory: Samba's AD DC, provisioned and started by the test
// (tests/fixtures/samba/make-domain), its company written over LDAP as an administrator would,
// read over ldaps with its CA verified. The findings are those of the same company in slapd with
// AD's attributes; a contractor disabled and taken out of their groups resolves, and the
// resolution says how long access stayed after the end.
#include <gmock/gmock.h>
#include <sys/stat.h>

#include "fixtures/daemon_process.hpp"
#include "fixtures/plant_company.hpp"
#include "fixtures/samba_fixture.hpp"
#include "fixtures/scenario.hpp"
#include "secondsight/app/commands.hpp"

namespace secondsight::testing {
namespace {

using ::testing::HasSubstr;

// Frank's engagement ended on 2026-02-28 (accountExpires: the end of that day in Amsterdam),
// grace's ends on 2026-03-31, judy's on 2026-12-31; ivan's never; leo's account is disabled.
constexpr const char* k_company = R"(dn: OU=Plant,DC=plant,DC=test
changetype: add
objectClass: organizationalUnit

dn: OU=People,OU=Plant,DC=plant,DC=test
changetype: add
objectClass: organizationalUnit

dn: OU=Groups,OU=Plant,DC=plant,DC=test
changetype: add
objectClass: organizationalUnit

dn: CN=Alice Visser,OU=People,OU=Plant,DC=plant,DC=test
changetype: add
objectClass: user
sAMAccountName: alice
displayName: Alice Visser
userAccountControl: 512
accountExpires: 0
employeeType: employee
departmentNumber: it
company: Flexforce IT

dn: CN=Frank Meijer,OU=People,OU=Plant,DC=plant,DC=test
changetype: add
objectClass: user
sAMAccountName: frank
displayName: Frank Meijer
userAccountControl: 512
accountExpires: 134167932000000000
employeeType: contractor
departmentNumber: migration
company: Flexforce IT

dn: CN=Grace Bakker,OU=People,OU=Plant,DC=plant,DC=test
changetype: add
objectClass: user
sAMAccountName: grace
displayName: Grace Bakker
userAccountControl: 66048
accountExpires: 134194752000000000
employeeType: contractor
departmentNumber: migration
company: Flexforce IT

dn: CN=Ivan Smit,OU=People,OU=Plant,DC=plant,DC=test
changetype: add
objectClass: user
sAMAccountName: ivan
displayName: Ivan Smit
userAccountControl: 512
accountExpires: 9223372036854775807
employeeType: contractor
departmentNumber: migration
company: Flexforce IT

dn: CN=Judy de Boer,OU=People,OU=Plant,DC=plant,DC=test
changetype: add
objectClass: user
sAMAccountName: judy
displayName: Judy de Boer
userAccountControl: 512
accountExpires: 134431488000000000
employeeType: contractor
departmentNumber: migration
company: Flexforce IT

dn: CN=Leo Mulder,OU=People,OU=Plant,DC=plant,DC=test
changetype: add
objectClass: user
sAMAccountName: leo
displayName: Leo Mulder
userAccountControl: 514
accountExpires: 134142912000000000
employeeType: contractor
departmentNumber: migration
company: Flexforce IT

dn: CN=FILESRV01,OU=People,OU=Plant,DC=plant,DC=test
changetype: add
objectClass: computer
sAMAccountName: FILESRV01$
userAccountControl: 4096
employeeType: contractor

dn: CN=Staff,OU=Groups,OU=Plant,DC=plant,DC=test
changetype: add
objectClass: group
sAMAccountName: staff
member: CN=Alice Visser,OU=People,OU=Plant,DC=plant,DC=test
member: CN=Frank Meijer,OU=People,OU=Plant,DC=plant,DC=test
member: CN=Grace Bakker,OU=People,OU=Plant,DC=plant,DC=test
member: CN=Ivan Smit,OU=People,OU=Plant,DC=plant,DC=test

dn: CN=Ops,OU=Groups,OU=Plant,DC=plant,DC=test
changetype: add
objectClass: group
sAMAccountName: ops
member: CN=Judy de Boer,OU=People,OU=Plant,DC=plant,DC=test

dn: CN=File Admins,OU=Groups,OU=Plant,DC=plant,DC=test
changetype: add
objectClass: group
sAMAccountName: file-admins
member: CN=Frank Meijer,OU=People,OU=Plant,DC=plant,DC=test
member: CN=Ops,OU=Groups,OU=Plant,DC=plant,DC=test
member: CN=FILESRV01,OU=People,OU=Plant,DC=plant,DC=test
)";

constexpr const char* k_policy = R"(defaults:
  notice_days: 30
staff:
  seconded_when: { employeeType: [contractor] }
systems:
  - id: mail
    name: Mail
    criticality: low
    groups: ["CN=Staff,OU=Groups,OU=Plant,DC=plant,DC=test"]
  - id: file-shares
    name: File shares
    criticality: low
    groups: ["CN=File Admins,OU=Groups,OU=Plant,DC=plant,DC=test"]
engagements:
  - id: migration
    agency: Flexforce IT
    members_when: { departmentNumber: migration }
    need_to_know: [mail]
)";

// Frank's account disabled and out of both groups.
constexpr const char* k_frank_leaves = R"(dn: CN=Frank Meijer,OU=People,OU=Plant,DC=plant,DC=test
changetype: modify
replace: userAccountControl
userAccountControl: 514

dn: CN=Staff,OU=Groups,OU=Plant,DC=plant,DC=test
changetype: modify
delete: member
member: CN=Frank Meijer,OU=People,OU=Plant,DC=plant,DC=test

dn: CN=File Admins,OU=Groups,OU=Plant,DC=plant,DC=test
changetype: modify
delete: member
member: CN=Frank Meijer,OU=People,OU=Plant,DC=plant,DC=test
)";

// The company's folder beside the domain: its policy, and a config that reads the domain over
// ldaps (its CA verified) as the administrator; `more` is appended to the config.
fs::path write_company(const SambaDomain& domain, const std::string& more = "") {
  const fs::path folder = domain.dir() / "company";
  fs::create_directories(folder / "policies");
  write_file(folder / "policies" / "corp.yaml", k_policy);
  write_file(folder / "config.yaml",
             "state_dir: state\npolicies: policies\ntimezone: Europe/Amsterdam\ndirectory:\n"
             "  uri: " +
                 domain.ldaps_uri() + "\n  ca_file: " + domain.ca_file().string() +
                 "\n  bind_dn: " + domain.bind_dn() +
                 "\n  bind_password_file: " + domain.password_file().string() +
                 "\n  flavor: active_directory\n"
                 "  people: { base: \"OU=People,OU=Plant,DC=plant,DC=test\", filter: "
                 "\"(&(objectClass=user)(!(objectClass=computer)))\" }\n"
                 "  groups: { base: \"OU=Groups,OU=Plant,DC=plant,DC=test\", filter: "
                 "\"(objectClass=group)\" }\n" +
                 more);
  return folder;
}

nlohmann::json scan(const fs::path& config, const std::string& now) {
  std::ostringstream out, err;
  const int code =
      app::command_scan({config, now, app::OutputFormat::json, std::nullopt}, out, err);
  EXPECT_EQ(code, 0) << err.str();
  return nlohmann::json::parse(out.str(), nullptr, false);
}

std::set<FindingKey> keys_of(const nlohmann::json& report) {
  std::set<FindingKey> keys;
  for (const auto& finding : report["findings"])
    keys.insert({finding["kind"].get<std::string>(), or_dash(finding["person"]),
                 or_dash(finding["system"]), finding["severity"].get<std::string>()});
  return keys;
}

TEST(SambaActiveDirectory, GivesTheCompanysFindingsAndTheEndOfAccessOnceItIsRemoved) {
  auto domain = SambaDomain::start();
  ASSERT_NE(domain, nullptr);
  ASSERT_EQ(domain->modify(k_company), "");

  const fs::path folder = write_company(*domain);

  auto first = scan(folder / "config.yaml", "2026-03-16T12:00:00Z");
  ASSERT_TRUE(first.is_object());
  const std::set<FindingKey> wanted = ad_company_findings();
  EXPECT_EQ(keys_of(first), wanted) << first.dump(2);
  EXPECT_EQ(first["directory"]["people"], 6) << first["directory"].dump();  // not the computer

  ASSERT_EQ(domain->modify(k_frank_leaves), "");
  auto second = scan(folder / "config.yaml", "2026-03-18T15:00:00Z");
  ASSERT_TRUE(second.is_object());
  EXPECT_EQ(keys_of(second).count({"access_after_end", "frank", "-", "critical"}), 0u);
  std::ostringstream out, err;
  ASSERT_EQ(app::command_findings_history(
                {folder / "config.yaml", "", true, app::OutputFormat::json}, out, err),
            0)
      << err.str();
  nlohmann::json removed;
  for (const auto& item : nlohmann::json::parse(out.str()))
    if (item["change"] == "resolved" && item["kind"] == "access_after_end") removed = item;
  ASSERT_TRUE(removed.is_object()) << out.str();
  // From the end (2026-02-28 23:00 UTC) to the scan that saw it gone.
  EXPECT_EQ(removed["access_removed"]["after_end"], "17 days 16 hours");
  EXPECT_EQ(removed["access_removed"]["gone"], "2026-03-18T15:00:00Z");
}

// ivan (no need to know file shares) put into Ops, which is in File Admins; grace's account
// expiring on 2026-03-14, before the daemon's clock; judy moved out of the people's OU.
constexpr const char* k_changes = R"(dn: CN=Ops,OU=Groups,OU=Plant,DC=plant,DC=test
changetype: modify
add: member
member: CN=Ivan Smit,OU=People,OU=Plant,DC=plant,DC=test

dn: CN=Grace Bakker,OU=People,OU=Plant,DC=plant,DC=test
changetype: modify
replace: accountExpires
accountExpires: 134179200000000000

dn: OU=Leavers,OU=Plant,DC=plant,DC=test
changetype: add
objectClass: organizationalUnit

dn: CN=Judy de Boer,OU=People,OU=Plant,DC=plant,DC=test
changetype: modrdn
newrdn: CN=Judy de Boer
deleteoldrdn: 1
newsuperior: OU=Leavers,OU=Plant,DC=plant,DC=test
)";

constexpr const char* k_token = "samba-token-1234";

// The daemon follows the domain with DirSync: memberships, an account disabled, an expiry
// changed and an account moved away arrive, and are alerted, without a whole read.
TEST(SambaActiveDirectory, TheDaemonFollowsItsChangesWithoutReadingItWhole) {
  auto domain = SambaDomain::start();
  ASSERT_NE(domain, nullptr);
  ASSERT_EQ(domain->modify(k_company), "");
  const auto port = free_loopback_port();
  const fs::path folder = write_company(*domain,
                                        "  poll_interval: 1h\ndaemon: { safety_interval: 1h }\n"
                                        "alerts:\n  - { type: jsonl, path: alerts.jsonl }\n"
                                        "api: { listen: \"127.0.0.1:" +
                                            std::to_string(port) + "\", token_file: token }\n");
  write_file(folder / "token", std::string(k_token) + "\n");
  ::chmod((folder / "token").c_str(), 0600);
  const auto metric = [&](const std::string& name) {
    return metric_value(http_get(port, "/metrics", k_token).body, name);
  };
  // Alerts by "change kind person system".
  const auto alerts = [&] {
    std::set<std::string> out;
    std::istringstream lines(read_file(folder / "alerts.jsonl"));
    for (std::string line; std::getline(lines, line);) {
      auto json = nlohmann::json::parse(line, nullptr, false);
      if (json.is_discarded()) continue;
      out.insert(json.value("change", "") + " " + json.value("kind", "") + " " +
                 or_dash(json["person"]) + " " + or_dash(json["system"]));
    }
    return out;
  };

  DaemonProcess daemon(SECONDSIGHT_BINARY, folder / "config.yaml", folder, "2026-03-16T12:00:00Z");
  ASSERT_TRUE(daemon.wait_for_notification("READY=1")) << read_file(daemon.log_path());
  ASSERT_TRUE(DaemonProcess::eventually([&] {
    return metric("secondsight_directory_sync_up") == "1" &&
           alerts().count("opened access_after_end frank -");
  })) << read_file(daemon.log_path());
  const std::string polls = metric("secondsight_directory_polls_total");

  ASSERT_EQ(domain->modify(k_changes), "");
  ASSERT_EQ(domain->modify(k_frank_leaves), "");
  EXPECT_TRUE(DaemonProcess::eventually([&] {
    const auto seen = alerts();
    return seen.count("opened need_to_know_violation ivan file-shares") &&
           seen.count("opened access_after_end grace -") &&
           seen.count("resolved need_to_know_violation judy file-shares") &&
           seen.count("resolved access_after_end frank -");
  })) << read_file(folder / "alerts.jsonl")
      << read_file(daemon.log_path());
  EXPECT_EQ(metric("secondsight_directory_polls_total"), polls) << read_file(daemon.log_path());
  EXPECT_THAT(read_file(folder / "alerts.jsonl"), HasSubstr("access removed "));
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_exit(), 0) << read_file(daemon.log_path());
}

}  // namespace
}  // namespace secondsight::testing
