// The timeline of access through `secondsight scan`: since when a right is held, in the
// evidence; how long access outlived the end, once it is gone; `findings history` saying it.
#include <gmock/gmock.h>

#include "fixtures/scenario.hpp"
#include "secondsight/app/commands.hpp"

namespace secondsight::testing {
namespace {

using ::testing::HasSubstr;

const char* const k_billing_contractors = "cn=billing-contractors,ou=groups,dc=harbour,dc=example";
const char* const k_telemetry_admins = "cn=telemetry-admins,ou=groups,dc=harbour,dc=example";
const char* const k_bram = "uid=bram,ou=people,dc=harbour,dc=example";

class AccessTimelineScan : public ::testing::Test {
 protected:
  void SetUp() override {
    m_company = setup_company();
    m_ldif = read_file(m_company / "directory.ldif");
  }
  void TearDown() override { fs::remove_all(m_company); }

  nlohmann::json scan(const std::string& now) {
    std::ostringstream out, err;
    const int code = app::command_scan(
        {m_company / "config.yaml", now, app::OutputFormat::json, std::nullopt}, out, err);
    EXPECT_EQ(code, 0) << err.str();
    return nlohmann::json::parse(out.str(), nullptr, false);
  }
  static nlohmann::json find(const nlohmann::json& report, const std::string& kind,
                             const std::string& person) {
    for (const auto& finding : report["findings"])
      if (finding["kind"] == kind && finding["person"] == person) return finding;
    return nullptr;
  }
  static nlohmann::json grant_of(const nlohmann::json& finding, const std::string& system) {
    for (const auto& grant : finding["evidence"]["grants"])
      if (grant["system"] == system) return grant;
    return nullptr;
  }
  // Adds bram to a group that had no line for him.
  void add_member(const std::string& group) {
    const std::string head = "dn: " + group + "\n";
    const auto at = m_ldif.find(head);
    ASSERT_NE(at, std::string::npos);
    const auto end = m_ldif.find("\n\n", at);
    m_ldif.insert(end + 1, std::string("member: ") + k_bram + "\n");
    write_file(m_company / "directory.ldif", m_ldif);
  }
  // Locks bram's account and takes him out of every group.
  void remove_bram() {
    const std::string marker = "contractEndDate: 2026-04-30\n";
    m_ldif.replace(m_ldif.find(marker), marker.size(),
                   marker + "pwdAccountLockedTime: 20260518090000Z\n");
    const std::string member = std::string("member: ") + k_bram + "\n";
    for (auto at = m_ldif.find(member); at != std::string::npos; at = m_ldif.find(member))
      m_ldif.erase(at, member.size());
    write_file(m_company / "directory.ldif", m_ldif);
  }

  fs::path m_company;
  std::string m_ldif;
};

TEST_F(AccessTimelineScan, EvidenceSaysSinceWhenAndTheEndOfAccessIsKeptOnceResolved) {
  // The first read: every right bram holds is there "or earlier".
  auto first = scan("2026-05-18T09:00:00Z");
  auto finding = find(first, "access_after_end", "bram");
  ASSERT_TRUE(finding.is_object()) << first.dump(2);
  EXPECT_EQ(finding["evidence"]["account_held"]["since"], "2026-05-18T09:00:00Z");
  EXPECT_EQ(finding["evidence"]["account_held"]["since_first_read"], true);
  auto billing = grant_of(finding, "billing-engine");
  ASSERT_TRUE(billing.is_object()) << finding.dump(2);
  EXPECT_EQ(billing["held"]["since"], "2026-05-18T09:00:00Z");
  EXPECT_THAT(billing["memberships"].dump(),
              HasSubstr(std::string("member of ") + k_billing_contractors +
                        " since 2026-05-18 11:00:00 CEST or earlier"));

  // A need-to-know finding says it in its summary, too.
  std::string summaries;
  for (const auto& f : first["findings"])
    if (f["kind"] == "need_to_know_violation") summaries += f["summary"].get<std::string>() + "\n";
  EXPECT_THAT(summaries, ::testing::ContainsRegex("member of cn=[^ ]+ since 2026-05-18 11:00:00 "
                                                  "CEST or earlier\\)"));

  // A right that appears later says when it was first seen, and nothing else moves.
  add_member(k_telemetry_admins);
  auto second = scan("2026-05-18T10:00:07Z");
  finding = find(second, "access_after_end", "bram");
  auto telemetry = grant_of(finding, "telemetry");
  ASSERT_TRUE(telemetry.is_object()) << finding.dump(2);
  EXPECT_EQ(telemetry["held"]["since"], "2026-05-18T10:00:07Z");
  EXPECT_EQ(telemetry["held"]["since_first_read"], false);
  EXPECT_THAT(telemetry["memberships"].dump(),
              HasSubstr(std::string("member of ") + k_telemetry_admins +
                        " since 2026-05-18 12:00:07 CEST\""));
  EXPECT_EQ(grant_of(finding, "billing-engine")["held"]["since"], "2026-05-18T09:00:00Z");
  // All of it goes: resolved, with how long access stayed after the end (2026-04-30 22:00 UTC,
  // the end of April 30 in Amsterdam) up to the scan that saw it gone.
  remove_bram();
  auto third = scan("2026-05-20T15:30:00Z");
  EXPECT_TRUE(find(third, "access_after_end", "bram").is_null());

  std::ostringstream out, err;
  ASSERT_EQ(app::command_findings_history(
                {m_company / "config.yaml", "", true, app::OutputFormat::json}, out, err),
            0)
      << err.str();
  const auto history = nlohmann::json::parse(out.str());
  nlohmann::json resolved;
  for (const auto& item : history)
    if (item["change"] == "resolved" && item["kind"] == "access_after_end" &&
        item["person"] == "bram")
      resolved = item;
  ASSERT_TRUE(resolved.is_object()) << history.dump(2);
  EXPECT_EQ(resolved["access_removed"]["after_end"], "19 days 17 hours");
  EXPECT_EQ(resolved["access_removed"]["after_end_seconds"], 19 * 86400 + 17 * 3600 + 30 * 60);
  EXPECT_EQ(resolved["access_removed"]["last_seen"], "2026-05-18T10:00:07Z");
  EXPECT_EQ(resolved["access_removed"]["gone"], "2026-05-20T15:30:00Z");

  std::ostringstream table;
  ASSERT_EQ(app::command_findings_history({m_company / "config.yaml", "", true}, table, err), 0);
  EXPECT_THAT(table.str(), HasSubstr("(access removed 19 days 17 hours after the end)"));
}

TEST_F(AccessTimelineScan, AnEndMovedLaterResolvesWithoutSayingAccessWasRemoved) {
  scan("2026-05-18T09:00:00Z");
  const std::string marker = "contractEndDate: 2026-04-30\n";
  m_ldif.replace(m_ldif.find(marker), marker.size(), "contractEndDate: 2026-12-31\n");
  write_file(m_company / "directory.ldif", m_ldif);
  scan("2026-05-18T10:00:00Z");
  std::ostringstream out, err;
  ASSERT_EQ(app::command_findings_history(
                {m_company / "config.yaml", "", true, app::OutputFormat::json}, out, err),
            0);
  bool resolved = false;
  for (const auto& item : nlohmann::json::parse(out.str()))
    if (item["change"] == "resolved" && item["kind"] == "access_after_end") {
      resolved = true;
      EXPECT_FALSE(item.contains("access_removed")) << item.dump(2);
    }
  EXPECT_TRUE(resolved);
}

}  // namespace
}  // namespace secondsight::testing
