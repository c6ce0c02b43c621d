// The same sshd logins read from an auth.log and from the systemd journal give the same
// findings: a policy rule on `source: sshd` names the kind of event, not what carried it.
#include <gmock/gmock.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "fixtures/journal_export.hpp"
#include "fixtures/scenario.hpp"
#include "secondsight/app/commands.hpp"
#include "secondsight/core/time.hpp"

namespace secondsight::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct Login {
  const char* time;  // UTC
  const char* host;
  int pid;
  const char* message;
};

// The bundled sample company's sshd logins: bram operates scada, gerrit logs in once, dirk
// logs in after his engagement ended (on a host no system covers, then on scada).
constexpr Login k_logins[] = {
    {"2026-03-02T06:58:12Z", "scada-1", 1201,
     "Accepted publickey for bram from 10.20.0.5 port 50122 ssh2: ED25519 SHA256:q2m0cOQ5"},
    {"2026-03-02T06:58:12Z", "scada-1", 1201,
     "pam_unix(sshd:session): session opened for user bram(uid=1002) by (uid=0)"},
    {"2026-03-16T07:03:40Z", "scada-2", 2210,
     "Accepted publickey for bram from 10.20.0.5 port 50510 ssh2: ED25519 SHA256:q2m0cOQ5"},
    {"2026-04-01T05:55:02Z", "scada-1", 3302,
     "Accepted publickey for bram from 10.20.0.5 port 51002 ssh2: ED25519 SHA256:q2m0cOQ5"},
    {"2026-04-09T01:12:55Z", "scada-1", 3390,
     "Failed password for invalid user admin from 198.51.100.23 port 40112 ssh2"},
    {"2026-04-20T06:10:31Z", "scada-2", 4410,
     "Accepted publickey for bram from 10.20.0.5 port 52120 ssh2: ED25519 SHA256:q2m0cOQ5"},
    {"2026-05-11T06:01:19Z", "scada-1", 5120,
     "Accepted publickey for bram from 10.20.0.5 port 53014 ssh2: ED25519 SHA256:q2m0cOQ5"},
    {"2026-05-12T09:30:00Z", "scada-2", 5201,
     "Accepted keyboard-interactive/pam for gerrit from 10.20.3.9 port 40022 ssh2"},
    {"2026-05-20T19:47:03Z", "jump-2", 6021,
     "Accepted password for dirk from 10.20.9.77 port 60311 ssh2"},
    {"2026-05-21T07:00:00Z", "scada-1", 6102,
     "Accepted password for dirk from 10.20.9.77 port 60388 ssh2"},
    {"2026-05-27T06:05:44Z", "scada-2", 6630,
     "Accepted publickey for bram from 10.20.0.5 port 53360 ssh2: ED25519 SHA256:q2m0cOQ5"},
};

constexpr const char* k_now = "2026-06-01T12:00:00Z";

std::uint64_t epoch_seconds(const char* utc) {
  const auto instant = parse_rfc3339(utc);
  EXPECT_TRUE(instant) << utc;
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(instant->time_since_epoch()).count());
}

// As rsyslog writes it with its high-precision template.
std::string auth_log() {
  std::string out;
  for (const auto& login : k_logins)
    out += std::string(login.time) + " " + login.host + " sshd[" + std::to_string(login.pid) +
           "]: " + login.message + "\n";
  return out;
}

// As journald stores it: one entry per message, from ssh.service, the hosts' journals merged;
// and one more that only claims to be sshd's (`logger -t sshd` by a user on scada-1): no login.
std::string journal_export() {
  std::string out;
  std::uint64_t monotonic = 1'000'000;
  put_journal_field(out, "__REALTIME_TIMESTAMP",
                    std::to_string(epoch_seconds("2026-05-30T10:00:00Z") * 1'000'000));
  put_journal_field(out, "__MONOTONIC_TIMESTAMP", "500000");
  put_journal_field(out, "_BOOT_ID", "0123456789abcdef0123456789abcdef");
  put_journal_field(out, "_HOSTNAME", "scada-1");
  put_journal_field(out, "_COMM", "logger");
  put_journal_field(out, "SYSLOG_IDENTIFIER", "sshd");
  put_journal_field(out, "MESSAGE", "Accepted password for dirk from 10.20.9.77 port 1 ssh2");
  out += "\n";
  for (const auto& login : k_logins) {
    put_journal_field(out, "__REALTIME_TIMESTAMP",
                      std::to_string(epoch_seconds(login.time) * 1'000'000));
    put_journal_field(out, "__MONOTONIC_TIMESTAMP", std::to_string(monotonic += 1'000'000));
    put_journal_field(out, "_BOOT_ID", "0123456789abcdef0123456789abcdef");
    put_journal_field(out, "_HOSTNAME", login.host);
    put_journal_field(out, "_SYSTEMD_UNIT", "ssh.service");
    put_journal_field(out, "SYSLOG_IDENTIFIER", "sshd");
    put_journal_field(out, "_PID", std::to_string(login.pid));
    put_journal_field(out, "MESSAGE", login.message);
    out += "\n";
  }
  return out;
}

// The sample's config with `logs` as its audit logs and a state folder of its own.
fs::path write_config(const fs::path& company, const std::string& name, const std::string& logs) {
  std::string config = read_file(company / "config.yaml");
  const auto start = config.find("audit_logs:");
  EXPECT_NE(start, std::string::npos);
  config = config.substr(0, start) + "audit_logs:\n" + logs;
  const auto state = config.find("state_dir: state");
  EXPECT_NE(state, std::string::npos);
  config.replace(state, std::string("state_dir: state").size(), "state_dir: state-" + name);
  const fs::path path = company / (name + ".yaml");
  write_file(path, config);
  return path;
}

constexpr const char* k_jsonl_log =
    "  - { path: logs/platform.jsonl, format: jsonl,\n"
    "      fields: { time: ts, user: actor.name, host: host, action: action, resource: "
    "resource } }\n";

// Each finding as the scan's jsonl has it, the evidence's event sources left out: they name the
// log ("logs/auth.log", "journal:…"), the one thing that differs.
std::vector<nlohmann::json> findings(const fs::path& config) {
  std::ostringstream out, err;
  app::ScanOptions options{config, k_now, app::OutputFormat::jsonl, std::nullopt};
  EXPECT_EQ(app::command_scan(options, out, err), app::k_exit_ok) << err.str();
  std::vector<nlohmann::json> all;
  std::istringstream in(out.str());
  std::string line;
  while (std::getline(in, line)) {
    auto finding = nlohmann::json::parse(line);
    auto& events = finding["evidence"]["events"];
    if (events.is_array())
      for (auto& event : events) event.erase("source");
    all.push_back(std::move(finding));
  }
  return all;
}

bool has(const std::vector<nlohmann::json>& all, const std::string& kind, const std::string& person,
         const nlohmann::json& system) {
  for (const auto& f : all)
    if (f["kind"] == kind && f["person"] == person && f["system"] == system) return true;
  return false;
}

class JournalScan : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(::access(k_journal_remote, X_OK), 0)
        << k_journal_remote << " is missing: apt-get install systemd-journal-remote";
    m_company = copy_sample();
    write_file(m_company / "logs/auth.log", auth_log());
    ASSERT_EQ(
        write_journal_file(journal_export(), m_company / "logs/journal/ssh.journal", m_company),
        "");
  }
  void TearDown() override { fs::remove_all(m_company); }

  fs::path m_company;
};

TEST_F(JournalScan, TheSameLoginsFromAnAuthLogAndFromTheJournalGiveTheSameFindings) {
  const auto from_file = findings(write_config(
      m_company, "file", "  - { path: logs/auth.log, format: sshd }\n" + std::string(k_jsonl_log)));
  const auto from_journal = findings(write_config(
      m_company, "journal",
      "  - { path: logs/journal, format: journal, match: [_SYSTEMD_UNIT=ssh.service] }\n" +
          std::string(k_jsonl_log)));
  const auto without = findings(write_config(m_company, "none", k_jsonl_log));

  EXPECT_EQ(from_journal, from_file);
  // What the logins decide: gerrit used scada, dirk was active on it after his end, bram's
  // days count him as an operator of scada. Without them the findings differ.
  EXPECT_FALSE(has(from_file, "unused_access", "gerrit", "scada"));
  EXPECT_TRUE(has(from_file, "activity_after_end", "dirk", "scada"));
  EXPECT_TRUE(has(from_file, "activity_after_end", "dirk", nullptr));
  EXPECT_NE(without, from_file);
  EXPECT_TRUE(has(without, "unused_access", "gerrit", "scada") ||
              !has(without, "activity_after_end", "dirk", "scada"));
}

// Naming the transport or the source's own name keeps working.
TEST_F(JournalScan, ARuleMayNameTheJournalOrTheSourceItself) {
  const std::string logs =
      "  - { path: logs/journal, format: journal }\n" + std::string(k_jsonl_log);
  const auto by_kind = findings(write_config(m_company, "kind", logs));
  const fs::path file = m_company / "policies/noordzee.yaml";
  const std::string original = read_file(file);
  const std::string rule = "{ source: sshd, host: \"scada-*\" }";
  for (const std::string source : {"journal", "journal:logs/journal"}) {
    std::string policy = original;
    const auto at = policy.find(rule);
    ASSERT_NE(at, std::string::npos);
    policy.replace(at, rule.size(), "{ source: \"" + source + "\", host: \"scada-*\" }");
    write_file(file, policy);
    const std::string name = source == "journal" ? "transport" : "name";
    EXPECT_EQ(findings(write_config(m_company, name, logs)), by_kind) << source;
  }
  write_file(file, original);
}

// `policy check` says which rules no configured log can satisfy, and only those.
TEST_F(JournalScan, PolicyCheckWarnsAboutRulesNoConfiguredLogSatisfies) {
  std::ostringstream out, err;
  const auto journal_only =
      write_config(m_company, "journal-only", "  - { path: logs/journal, format: journal }\n");
  EXPECT_EQ(app::command_policy_check(journal_only, out, err), app::k_exit_ok);
  EXPECT_THAT(out.str(), HasSubstr("no configured audit log carries 'jsonl' events"));
  EXPECT_THAT(out.str(), Not(HasSubstr("'sshd' events")));

  std::ostringstream out2, err2;
  const auto file_only =
      write_config(m_company, "file-only", "  - { path: logs/auth.log, format: sshd }\n");
  EXPECT_EQ(app::command_policy_check(file_only, out2, err2), app::k_exit_ok);
  EXPECT_THAT(out2.str(), HasSubstr("no configured audit log carries 'jsonl' events"));
  EXPECT_THAT(out2.str(), Not(HasSubstr("'sshd' events")));
}

}  // namespace
}  // namespace secondsight::testing
