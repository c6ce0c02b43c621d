// A scan killed with SIGKILL at random moments, again and again while it reads the logs, then
// let finish, must store exactly what one uninterrupted scan stores: no event lost, none twice.
#include <gmock/gmock.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>

#include "fixtures/scenario.hpp"
#include "secondsight/app/commands.hpp"
#include "secondsight/app/plugins.hpp"
#include "secondsight/app/scan.hpp"
#include "secondsight/config/loader.hpp"

namespace secondsight::testing {
namespace {

void write_logs(const fs::path& dir) {
  std::ofstream audit(dir / "audit.log");
  std::ofstream auth(dir / "auth.log");
  std::mt19937 random(7);
  long long at = 1767225600;  // 2026-01-01T00:00:00Z
  for (int serial = 1; serial <= 30000; ++serial) {
    at += static_cast<long long>(random() % 120);
    const int uid = 2000 + static_cast<int>(random() % 12);
    const std::string host = "node=srv-" + std::to_string(random() % 5) + " ";
    const std::string stamp =
        "msg=audit(" + std::to_string(at) + ".123:" + std::to_string(serial) + "): ";
    if (serial % 3 == 0) {
      audit << host << "type=USER_LOGIN " << stamp << "pid=1 uid=0 auid=" << uid
            << " ses=1 msg='op=login id=" << uid << " exe=\"/usr/sbin/sshd\" res=success'\n";
    } else {
      const char* key = serial % 2 ? "k8s-admin" : "payments";
      audit << host << "type=SYSCALL " << stamp << "arch=c000003e syscall=257 success=yes exit=3 "
            << "auid=" << uid << " uid=" << uid << " comm=\"kubectl\" key=\"" << key << "\"\n";
      audit << host << "type=PATH " << stamp << "item=0 name=\"/etc/x\" nametype=NORMAL\n";
    }
    if (serial % 5 == 0) {
      std::time_t t = at;
      char day[32];
      std::strftime(day, sizeof day, "%b %e %H:%M:%S", std::gmtime(&t));
      auth << day << " pay-" << serial % 3 << " sshd[" << serial << "]: Accepted publickey for u"
           << uid << " from 10.0.0.1 port 22 ssh2\n";
    }
    if (serial % 1000 == 0) audit << "node=srv-1 type=SYSCALL msg=audit(17672\n";  // damaged
  }
}

void write_company(const fs::path& dir, const std::string& state, bool with_sshd = true) {
  std::ofstream ldif(dir / "directory.ldif");
  for (int uid = 2000; uid < 2012; ++uid)
    ldif << "dn: uid=u" << uid << ",ou=p,dc=x\nuid: u" << uid << "\nuidNumber: " << uid
         << "\nemployeeType: " << (uid % 2 ? "contractor" : "employee")
         << "\ncontractEndDate: 2026-01-10\n\n";
  ldif << "dn: cn=k8s,ou=g,dc=x\ncn: k8s\nmember: uid=u2001,ou=p,dc=x\n";
  write_file(dir / "policy.yaml", R"yaml(
staff: { seconded_when: { employeeType: [contractor] } }
systems:
  - { id: k8s, criticality: high, groups: ["cn=k8s,ou=g,dc=x"], activity: [{ source: auditd, key: k8s-* }] }
  - { id: payments, criticality: high, activity: [{ source: auditd, key: payments }, { source: sshd, host: "pay-*" }] }
engagements:
  - { id: ops, members_when: { employeeType: contractor }, need_to_know: [k8s] }
)yaml");
  write_file(dir / (state + ".yaml"), "state_dir: " + state + R"yaml(
policies: policy.yaml
timezone: Europe/Amsterdam
directory:
  uri: ldif:directory.ldif
  people: { base: "ou=p,dc=x", filter: "(uid=*)" }
  groups: { base: "ou=g,dc=x", filter: "(cn=*)" }
  attributes: { end_date: { attribute: contractEndDate, format: iso_date } }
audit_logs:
  - { path: audit.log, format: auditd }
)yaml" + std::string(with_sshd ? "  - { path: auth.log, format: sshd }\n" : ""));
}

// One scan in this process, in small batches so that it commits often.
int scan(const fs::path& config_file) {
  Diagnostics diagnostics;
  auto config = config::load_config(config_file, app::plugins(), diagnostics);
  if (!config) return 10;
  auto policy = config::load_policies(*config, app::plugins(), diagnostics);
  if (!policy) return 11;
  auto database = store::Database::open(app::database_path(*config));
  if (!database) return 12;
  app::IngestOptions ingest;
  ingest.now = *parse_rfc3339("2026-03-01T00:00:00Z");
  ingest.wall_now = system_now();
  ingest.batch_bytes = 16 << 10;
  ingest.commit_bytes = 48 << 10;
  auto report = app::scan_once(*config, *policy, ingest, *database);
  return report && report->complete() ? 0 : 13;
}

// Everything the activity store holds, as sorted text.
std::vector<std::string> stored_activity(const fs::path& database_file) {
  auto database = store::Database::open(database_file);
  EXPECT_TRUE(database.ok());
  std::vector<std::string> rows;
  for (const char* query :
       {"SELECT person || '|' || system || '|' || day || '|' || events || '|' || first_seen || "
        "'|' || last_seen FROM activity_daily",
        "SELECT system || '|' || first_event FROM system_coverage",
        "SELECT time || '|' || person || '|' || system || '|' || host FROM access_events"}) {
    auto statement = database->prepare(query);
    EXPECT_TRUE(statement.ok());
    while (*statement->step()) rows.push_back(statement->column_text(0));
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

TEST(IngestCrash, KilledAtRandomMomentsNothingIsLostOrCountedTwice) {
  fs::path dir = make_temp_dir("crash");
  write_logs(dir);
  write_company(dir, "reference");
  write_company(dir, "crashed");
  ASSERT_EQ(scan(dir / "reference.yaml"), 0);
  const auto expected = stored_activity(dir / "reference" / "secondsight.db");
  ASSERT_GT(expected.size(), 100u);

  std::mt19937 random(20261123);
  int killed = 0;
  for (int attempt = 0; attempt < 60 && killed < 40; ++attempt) {
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) _exit(scan(dir / "crashed.yaml"));
    usleep(static_cast<useconds_t>(random() % 40000));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    if (WIFSIGNALED(status))
      ++killed;
    else
      ASSERT_EQ(WEXITSTATUS(status), 0);  // it finished before the kill
    // Start over from the beginning now and then, as a restarted service would.
  }
  EXPECT_GE(killed, 20);
  ASSERT_EQ(scan(dir / "crashed.yaml"), 0);
  EXPECT_EQ(stored_activity(dir / "crashed" / "secondsight.db"), expected);
  fs::remove_all(dir);
}

// The store refuses part-way through a log (a full disk, say): what was stored stays, with the
// position after it, and the next scan goes on from there.
TEST(IngestCrash, AStoreThatFailsPartWayLosesNothing) {
  fs::path dir = make_temp_dir("store-fails");
  write_logs(dir);
  // One source: with two, the other one's examples of a day could take the evidence places
  // (a few per person, system and day) that the failed one's would have taken.
  write_company(dir, "reference", false);
  write_company(dir, "failing", false);
  ASSERT_EQ(scan(dir / "reference.yaml"), 0);
  const auto expected = stored_activity(dir / "reference" / "secondsight.db");

  const fs::path database_file = dir / "failing" / "secondsight.db";
  fs::create_directories(database_file.parent_path());
  {
    auto database = store::Database::open(database_file);
    ASSERT_TRUE(database.ok());
    // Refused for one day's rows: a batch after that one would store again, but must not.
    ASSERT_TRUE(
        database->exec("CREATE TRIGGER full BEFORE INSERT ON activity_daily "
                       "WHEN NEW.day = '2026-01-05' "
                       "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"));
  }
  EXPECT_EQ(scan(dir / "failing.yaml"), 13);  // incomplete: the activity source failed
  const auto partial = stored_activity(database_file);
  EXPECT_GT(partial.size(), 50u);
  EXPECT_LT(partial.size(), expected.size());
  {
    auto database = store::Database::open(database_file);
    ASSERT_TRUE(database.ok());
    ASSERT_TRUE(database->exec("DROP TRIGGER full"));
  }
  ASSERT_EQ(scan(dir / "failing.yaml"), 0);
  EXPECT_EQ(stored_activity(database_file), expected);
  fs::remove_all(dir);
}

TEST(IngestCrash, TwoScansAtOnceCountEachEventOnce) {
  fs::path dir = make_temp_dir("concurrent");
  write_logs(dir);
  write_company(dir, "reference");
  write_company(dir, "concurrent");
  ASSERT_EQ(scan(dir / "reference.yaml"), 0);

  // Two command-line scans of one state, started together: the second waits for the first.
  std::vector<pid_t> children;
  for (int i = 0; i < 2; ++i) {
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      std::ostringstream out, err;
      app::ScanOptions options{dir / "concurrent.yaml", "2026-03-01T00:00:00Z",
                               app::OutputFormat::jsonl, std::nullopt};
      _exit(app::command_scan(options, out, err));
    }
    children.push_back(child);
  }
  for (pid_t child : children) {
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
  }
  EXPECT_EQ(stored_activity(dir / "concurrent" / "secondsight.db"),
            stored_activity(dir / "reference" / "secondsight.db"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace secondsight::testing
