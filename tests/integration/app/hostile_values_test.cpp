// The real binary against hostile values: each attribute of a person and each field of each log
// format set to random bytes (all 256 values, invalid UTF-8, control bytes, very long, empty).
// Scans in a row, and the commands that read what they stored, must end with 0 or 1 (never a
// usage or source error, never a signal), write JSON that parses, and tables without raw
// control bytes. The seed is fixed; SECONDSIGHT_HOSTILE_SEED and SECONDSIGHT_HOSTILE_RUNS
// change the seed and the number of runs (100; the sanitize preset's 25 still give every field
// of the longest list, 12, two turns), SECONDSIGHT_HOSTILE_SHOW how many failed runs are
// shown (10), and SECONDSIGHT_HOSTILE_FIELD=GROUP.NAME ("sshd.host") keeps every other field
// as it is, to find which field a failure comes from.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <random>
#include <vector>

#include "fixtures/encodings.hpp"
#include "fixtures/scenario.hpp"

namespace secondsight::testing {
namespace {

constexpr std::uint32_t k_default_seed = 20260316;
constexpr int k_default_runs = 100;
constexpr const char* k_person = "mira";

std::uint32_t env_number(const char* name, std::uint32_t fallback) {
  const char* text = std::getenv(name);
  return text && *text ? static_cast<std::uint32_t>(std::stoul(text)) : fallback;
}

// What to show of a value: printable ASCII as it is, other bytes as \xHH, cut after `limit`.
std::string shown(std::string_view value, std::size_t limit = 60) {
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out = "\"";
  for (std::size_t i = 0; i < value.size() && i < limit; ++i) {
    const auto byte = static_cast<unsigned char>(value[i]);
    if (byte >= 0x20 && byte < 0x7f && byte != '"' && byte != '\\') {
      out += static_cast<char>(byte);
    } else {
      out += "\\x";
      out += k_hex[byte >> 4];
      out += k_hex[byte & 0xf];
    }
  }
  out += value.size() > limit ? "\"... (" + std::to_string(value.size()) + " bytes)" : "\"";
  return out;
}

std::string hex(std::string_view bytes) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : bytes) {
    out += k_hex[static_cast<unsigned char>(c) >> 4];
    out += k_hex[static_cast<unsigned char>(c) & 0xf];
  }
  return out;
}

// An RDN value escaped byte by byte (RFC 4514 hex pairs): any bytes make a DN that parses.
std::string dn_value(std::string_view bytes) {
  std::string out;
  for (const char c : bytes) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    out += plain ? std::string(1, c) : "\\" + hex(std::string_view(&c, 1));
  }
  return out;
}

// Inside a JSON string as written: only the quote and the backslash escaped, every other byte
// raw (control bytes and invalid UTF-8 make the line no JSON, which must be skipped).
std::string json_raw(std::string_view bytes) {
  std::string out;
  for (const char c : bytes) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// Inside a JSON string, escaped: each byte outside printable ASCII as \u00XX, so the line is
// JSON whose string holds control characters and Latin-1 letters.
std::string json_escaped(std::string_view bytes) {
  std::string out;
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f && c != '"' && c != '\\')
      out += c;
    else
      out += "\\u00" + hex(std::string_view(&c, 1));
  }
  return out;
}

class HostileBytes {
 public:
  explicit HostileBytes(std::uint32_t seed) : m_random(seed) {}

  std::size_t below(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(m_random);
  }

  std::string next() {
    static constexpr std::array<std::string_view, 10> k_invalid_utf8 = {
        "\xff",         "\xfe\xfe",         "\xc3",     "\xc3\x28", "\xe2\x82",
        "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc0\xaf", "\x80",     "\xf0\x9f\x98"};
    static constexpr std::array<std::string_view, 6> k_odd_utf8 = {
        "\xc3\xa9", "\xe2\x80\xae", "\xc2\x85", "\xe2\x80\xa8", "\xf0\x9f\x94\x92", "\xef\xbb\xbf"};
    std::string out;
    switch (below(7)) {
      case 0:  // every byte value once
        for (int b = 0; b < 256; ++b) out += static_cast<char>(b);
        std::shuffle(out.begin(), out.end(), m_random);
        break;
      case 1:  // invalid UTF-8 among letters
        for (std::size_t i = 1 + below(8); i > 0; --i)
          out += std::string(k_invalid_utf8[below(k_invalid_utf8.size())]) + letters(below(4));
        break;
      case 2:  // control bytes among letters
        for (std::size_t i = 1 + below(8); i > 0; --i) {
          const std::size_t pick = below(34);
          out += pick == 32   ? std::string("\x1b[2J")
                 : pick == 33 ? "\x7f"
                              : std::string(1, static_cast<char>(pick));
          out += letters(below(4));
        }
        break;
      case 3:  // very long
        for (std::size_t i = 4096 + below(60000); i > 0; --i) out += static_cast<char>(below(256));
        break;
      case 4: break;  // empty
      case 5:         // valid UTF-8 that is still awkward: accents, bidi override, NEL, emoji
        for (std::size_t i = 1 + below(6); i > 0; --i)
          out += std::string(k_odd_utf8[below(k_odd_utf8.size())]) + letters(below(3));
        break;
      default:  // any bytes, short
        for (std::size_t i = 1 + below(40); i > 0; --i) out += static_cast<char>(below(256));
    }
    return out;
  }

 private:
  std::string letters(std::size_t n) {
    std::string out;
    for (; n > 0; --n) out += static_cast<char>('a' + below(26));
    return out;
  }

  std::mt19937 m_random;
};

// The fields a run may set, by the format they belong to.
const std::vector<std::string> k_person_fields = {"dn",   "uid",          "cn",      "sn",
                                                  "mail", "employeeType", "endDate", "ou",
                                                  "o",    "memberOf",     "manager", "uidNumber"};
const std::vector<std::string> k_auditd_fields = {"node", "auid",          "exe",  "hostname",
                                                  "addr", "enriched AUID", "comm", "comm (hex)",
                                                  "key",  "key (hex)"};
const std::vector<std::string> k_sshd_fields = {"host",    "user", "address",
                                                "program", "pid",  "rfc5424 host"};
const std::vector<std::string> k_jsonl_fields = {
    "ts",           "user",           "host",           "action",           "resource",
    "ts (escaped)", "user (escaped)", "host (escaped)", "action (escaped)", "resource (escaped)"};

// A small company in which one seconded person, mira, has ended and still has access and
// activity: her attributes and the fields of her log lines are what the runs set.
class Company {
 public:
  std::map<std::string, std::string> person = {{"dn", "mira"},
                                               {"uid", "mira"},
                                               {"cn", "Mira Jansen"},
                                               {"sn", "Jansen"},
                                               {"mail", "mira@agency.example"},
                                               {"employeeType", "external"},
                                               {"endDate", "2026-03-01"},
                                               {"ou", "ledger-move"},
                                               {"o", "Agency BV"},
                                               {"memberOf", "cn=ledger-dev,ou=groups,o=hostile"},
                                               {"manager", "uid=noor,ou=people,o=hostile"},
                                               {"uidNumber", "2001"}};
  std::map<std::string, std::string> auditd = {
      {"node", "ledger-1"},      {"auid", "2001"},
      {"exe", "/usr/sbin/sshd"}, {"hostname", "10.0.4.78"},
      {"addr", "10.0.4.166"},    {"enriched AUID", "mira"},
      {"comm", "git"},           {"comm (hex)", "git push"},
      {"key", "ledger"},         {"key (hex)", "ledger keys"}};
  std::map<std::string, std::string> sshd = {{"host", "vault-1"},     {"user", k_person},
                                             {"address", "10.1.2.3"}, {"program", "sshd"},
                                             {"pid", "4242"},         {"rfc5424 host", "ledger-2"}};
  std::map<std::string, std::string> jsonl = {{"ts", "2026-03-12T10:00:00Z"},
                                              {"user", k_person},
                                              {"host", "app-1"},
                                              {"action", "ledger.export"},
                                              {"resource", "ledger"}};

  std::string dn() const { return "uid=" + dn_value(person.at("dn")) + ",ou=people,o=hostile"; }

  void write(const fs::path& folder) const {
    fs::create_directories(folder / "logs");
    fs::create_directories(folder / "policies");
    write_file(folder / "config.yaml", R"yaml(state_dir: state
policies: policies
timezone: Europe/Amsterdam
directory:
  uri: ldif:directory.ldif
  flavor: openldap
  people: { base: "ou=people,o=hostile", filter: "(objectClass=inetOrgPerson)" }
  groups: { base: "ou=groups,o=hostile", filter: "(objectClass=groupOfNames)" }
  attributes:
    end_date: { attribute: endDate, format: iso_date }
audit_logs:
  - { path: logs/audit.log, format: auditd }
  - { path: logs/auth.log, format: sshd }
  - { path: logs/platform.jsonl, format: jsonl,
      fields: { time: ts, user: actor.name, host: host, action: action, resource: resource } }
alerts:
  - { type: jsonl, path: state/alerts.jsonl }
)yaml");
    write_file(folder / "policies" / "hostile.yaml", R"yaml(staff:
  seconded_when: { employeeType: [external] }
systems:
  - id: ledger
    name: Ledger
    criticality: high
    groups: ["cn=ledger-dev,ou=groups,o=hostile"]
    activity:
      - { source: sshd, host: "ledger-*" }
      - { source: auditd, key: "*" }
      - { source: jsonl, resource: "*" }
  - id: vault
    name: Vault
    criticality: critical
    externals: deny
    groups: ["cn=vault-admins,ou=groups,o=hostile"]
    activity:
      - { source: sshd, host: "vault-*" }
engagements:
  - id: ledger-move
    agency: Agency BV
    members_when: { ou: ledger-move }
    need_to_know: [ledger]
checklist:
  - Collect the laptop
)yaml");
    write_file(folder / "directory.ldif", ldif());
    write_file(folder / "logs" / "audit.log", audit_log());
    write_file(folder / "logs" / "auth.log", auth_log());
    write_file(folder / "logs" / "platform.jsonl", platform_jsonl());
  }

 private:
  std::string ldif() const {
    std::string out = R"(dn: o=hostile
objectClass: organization
o: hostile

dn: ou=people,o=hostile
objectClass: organizationalUnit
ou: people

dn: ou=groups,o=hostile
objectClass: organizationalUnit
ou: groups

dn: uid=noor,ou=people,o=hostile
objectClass: inetOrgPerson
uid: noor
cn: Noor Bakker
sn: Bakker
mail: noor@hostile.example
employeeType: employee

)";
    out += "dn:: " + base64(dn()) + "\nobjectClass: inetOrgPerson\n";
    for (const auto& [name, value] : person)
      if (name != "dn") out += name + ":: " + base64(value) + "\n";
    for (const std::string group : {"ledger-dev", "vault-admins"}) {
      out += "\ndn: cn=" + group + ",ou=groups,o=hostile\nobjectClass: groupOfNames\ncn: " + group +
             "\nmember: uid=noor,ou=people,o=hostile\nmember:: " + base64(dn()) + "\n";
    }
    return out;
  }

  std::string audit_log() const {
    const auto& f = auditd;
    std::string out;
    out += "node=" + f.at("node") +
           " type=USER_LOGIN msg=audit(1773310000.049:2001): pid=29312 uid=0 auid=" + f.at("auid") +
           " ses=129 subj=unconfined msg='op=login id=2001 exe=\"" + f.at("exe") +
           "\" hostname=" + f.at("hostname") + " addr=" + f.at("addr") +
           " terminal=/dev/pts/1 res=success'\x1d" + "AUID=\"" + f.at("enriched AUID") + "\"\n";
    out += "node=" + f.at("node") +
           " type=SYSCALL msg=audit(1773310100.412:2002): arch=c000003e syscall=59 success=yes "
           "exit=0 items=2 ppid=1 pid=2 auid=2001 uid=2001 ses=129 comm=\"" +
           f.at("comm") + "\" exe=\"/usr/bin/git\" key=\"" + f.at("key") + "\"\n";
    // auditd writes a value with a space, a quote or a control byte unquoted in hex.
    out += "node=" + f.at("node") +
           " type=SYSCALL msg=audit(1773310200.100:2003): arch=c000003e syscall=59 success=yes "
           "exit=0 items=2 ppid=1 pid=3 auid=2001 uid=2001 ses=129 comm=" +
           hex(f.at("comm (hex)")) + " exe=\"/usr/bin/git\" key=" + hex(f.at("key (hex)")) + "\n";
    return out;
  }

  std::string auth_log() const {
    const auto& f = sshd;
    std::string out;
    out += "Mar 12 09:15:00 " + f.at("host") + " " + f.at("program") + "[" + f.at("pid") +
           "]: Accepted publickey for " + f.at("user") + " from " + f.at("address") +
           " port 50122 ssh2: ED25519 SHA256:x\n";
    out += "Mar 13 09:15:00 ledger-1 sshd[4243]: Accepted password for " + f.at("user") + " from " +
           f.at("address") + " port 50123 ssh2\n";
    out += "<38>1 2026-03-14T08:00:00Z " + f.at("rfc5424 host") +
           " sshd 4244 - - Accepted publickey for mira from 10.1.2.3 port 1 ssh2\n";
    return out;
  }

  std::string platform_jsonl() const {
    auto field = [&](const std::string& name) {
      const auto escaped = jsonl.find(name + " (escaped)");
      if (escaped != jsonl.end()) return json_escaped(escaped->second);
      return json_raw(jsonl.at(name));
    };
    std::string out;
    out += "{\"ts\": \"" + field("ts") + "\", \"actor\": {\"name\": \"" + field("user") +
           "\"}, \"host\": \"" + field("host") + "\", \"action\": \"" + field("action") +
           "\", \"resource\": \"" + field("resource") + "\"}\n";
    out += "{\"ts\": \"2026-03-13T10:00:00Z\", \"actor\": {\"name\": \"mira\"}, \"host\": \"" +
           field("host") + "\", \"action\": \"" + field("action") + "\", \"resource\": \"" +
           field("resource") + "\"}\n";
    return out;
  }
};

struct Ran {
  int code = 0;  // the exit code, or minus the signal that ended it
  std::string out;
};

Ran run_binary(const std::vector<std::string>& arguments, const fs::path& folder) {
  const fs::path out = folder / "stdout";
  const fs::path err = folder / "stderr";
  std::vector<char*> argv;
  std::string binary = SECONDSIGHT_BINARY;
  argv.push_back(binary.data());
  std::vector<std::string> owned = arguments;
  for (auto& argument : owned) argv.push_back(argument.data());
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  Ran ran;
  ran.code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  ran.out = read_file(out);
  if (ran.code != 0 && ran.code != 1) ran.out += "\n--- stderr:\n" + read_file(err);
  return ran;
}

// What went wrong in one run, one line per problem.
class Problems {
 public:
  void add(const std::string& command, const std::string& what) {
    m_lines.push_back(command + ": " + what);
    ++m_by_kind[command + ": " + what.substr(0, what.find(':'))];
  }
  bool empty() const { return m_lines.empty(); }
  const std::vector<std::string>& lines() const { return m_lines; }
  const std::map<std::string, int>& by_kind() const { return m_by_kind; }
  void clear_lines() { m_lines.clear(); }

 private:
  std::vector<std::string> m_lines;
  std::map<std::string, int> m_by_kind;
};

void check_exit(const std::string& command, const Ran& ran, Problems& problems) {
  if (ran.code == 0 || ran.code == 1) return;
  const std::string why = ran.code < 0 ? "killed by signal " + std::to_string(-ran.code)
                                       : "exit " + std::to_string(ran.code);
  // The error is the last line the command wrote.
  std::string_view error = ran.out;
  error.remove_prefix(std::min(error.size(), error.find("--- stderr:\n") + 12));
  while (!error.empty() && error.back() == '\n') error.remove_suffix(1);
  if (const auto line = error.rfind('\n'); line != std::string_view::npos)
    error.remove_prefix(line + 1);
  problems.add(command, why + ": " + shown(error, 200));
}

void check_json(const std::string& command, std::string_view text, Problems& problems) {
  try {
    [[maybe_unused]] const auto parsed = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    problems.add(command, std::string("output is no JSON: ") + e.what());
  }
}

void check_json_lines(const std::string& command, const std::string& text, Problems& problems) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) check_json(command, line, problems);
}

void check_table(const std::string& command, const std::string& text, Problems& problems) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\n') || byte == 0x7f) {
      problems.add(command, "raw control byte " + shown(std::string(1, c)) + " in the table");
      return;
    }
  }
}

// Every command of a run, against a new state folder.
void run_commands(const fs::path& folder, const std::string& person, Problems& problems) {
  fs::remove_all(folder / "state");
  const std::string config = (folder / "config.yaml").string();
  auto scan = [&](const char* format, const char* now) {
    return run_binary({"scan", "--config", config, "--format", format, "--now", now}, folder);
  };
  const auto jsonl = scan("jsonl", "2026-03-16T12:00:00Z");
  check_exit("scan --format jsonl", jsonl, problems);
  if (jsonl.code == 0 || jsonl.code == 1)
    check_json_lines("scan --format jsonl", jsonl.out, problems);
  const auto json = scan("json", "2026-03-16T13:00:00Z");
  check_exit("scan --format json", json, problems);
  if (json.code == 0 || json.code == 1) check_json("scan --format json", json.out, problems);
  const auto table = scan("table", "2026-03-16T14:00:00Z");
  check_exit("scan --format table", table, problems);
  if (table.code == 0 || table.code == 1) check_table("scan --format table", table.out, problems);

  const auto list =
      run_binary({"findings", "list", "--config", config, "--format", "json"}, folder);
  check_exit("findings list", list, problems);
  if (list.code == 0 || list.code == 1) check_json("findings list", list.out, problems);
  const auto history =
      run_binary({"findings", "history", "--all", "--config", config, "--format", "json"}, folder);
  check_exit("findings history --all", history, problems);
  if (history.code == 0 || history.code == 1)
    check_json("findings history --all", history.out, problems);
  for (const char* what : {"list", "history"}) {
    std::vector<std::string> arguments{"findings", what, "--config", config, "--format", "table"};
    if (std::string(what) == "history") arguments.push_back("--all");
    const std::string command = std::string("findings ") + what + " --format table";
    const auto table_out = run_binary(arguments, folder);
    check_exit(command, table_out, problems);
    if (table_out.code == 0 || table_out.code == 1) check_table(command, table_out.out, problems);
  }
  const auto checklist = run_binary({"checklist", "--config", config, "--format", "json", "--now",
                                     "2026-03-16T14:00:00Z", "--", person},
                                    folder);
  check_exit("checklist", checklist, problems);
  if (checklist.code == 0 || checklist.code == 1) check_json("checklist", checklist.out, problems);

  check_json_lines("alerts.jsonl", read_file(folder / "state" / "alerts.jsonl"), problems);
}

class HostileValues : public ::testing::Test {
 protected:
  void SetUp() override { m_folder = make_temp_dir("hostile"); }
  void TearDown() override { fs::remove_all(m_folder); }
  fs::path m_folder;
};

TEST_F(HostileValues, TheFixtureFindsWhatItShould) {
  Company company;
  company.write(m_folder);
  const auto scan = run_binary({"scan", "--config", (m_folder / "config.yaml").string(), "--format",
                                "json", "--now", "2026-03-16T12:00:00Z"},
                               m_folder);
  ASSERT_EQ(scan.code, 0) << scan.out;
  const auto report = nlohmann::json::parse(scan.out);
  std::set<std::string> kinds;
  for (const auto& finding : report["findings"])
    if (finding["person"] == k_person) kinds.insert(finding["kind"].get<std::string>());
  // Her end has passed, she still holds access and used it; she holds a denied system.
  EXPECT_TRUE(kinds.count("access_after_end")) << scan.out;
  EXPECT_TRUE(kinds.count("activity_after_end")) << scan.out;
  EXPECT_TRUE(kinds.count("need_to_know_violation")) << scan.out;
  // Every line of every log was read, and each of her logins and uses is an event of hers.
  ASSERT_EQ(report["sources"].size(), 3u);
  for (const auto& source : report["sources"]) {
    EXPECT_EQ(source["skipped"], 0) << source;
    EXPECT_EQ(source["unresolved"], 0) << source;
    EXPECT_EQ(source["events"], source["lines"]) << source;
  }

  // And the commands of a run find nothing wrong with it.
  Problems problems;
  run_commands(m_folder, k_person, problems);
  for (const auto& line : problems.lines()) ADD_FAILURE() << line;
}

// End dates at and beyond the edges of the range secondsight represents, with the most grace
// and notice days a policy may give (so the checklist of the person is written and stored): a
// far end is "never" or a damaged value named with its person, and never breaks a later run.
TEST_F(HostileValues, FarEndDatesWithAllGraceNeverBreakALaterScan) {
  const std::map<std::string, std::string> expected{
      {"9999-12-31", "never"},   {"9999-12-30", "never"},    {"9999-12-29", "an end"},
      {"0001-01-01", "ended"},   {"10000-01-01", "damaged"}, {"99999-12-31", "damaged"},
      {"0000-12-31", "damaged"}, {"-0001-01-01", "damaged"}, {"9223372036854775807", "damaged"}};
  for (const auto& [end, what] : expected) {
    SCOPED_TRACE("endDate: " + end);
    Company company;
    company.person["endDate"] = end;
    fs::remove_all(m_folder);
    company.write(m_folder);
    const auto policy = m_folder / "policies" / "hostile.yaml";
    write_file(policy, "defaults:\n  grace_days_after_end: 36500\n  notice_days: 36500\n" +
                           read_file(policy));
    Problems problems;
    run_commands(m_folder, k_person, problems);
    // And once more, on what the first run stored.
    const auto again = run_binary({"scan", "--config", (m_folder / "config.yaml").string(),
                                   "--format", "json", "--now", "2026-03-17T12:00:00Z"},
                                  m_folder);
    check_exit("scan after the first run", again, problems);
    for (const auto& line : problems.lines()) ADD_FAILURE() << line;
    if (again.code != 0 && again.code != 1) continue;
    const auto report = nlohmann::json::parse(again.out);
    std::set<std::string> kinds;
    for (const auto& finding : report["findings"])
      if (finding["person"] == k_person) kinds.insert(finding["kind"].get<std::string>());
    // What the scan logged about its inputs.
    const std::string warnings = read_file(m_folder / "stderr");
    if (what == "ended") {
      // Even a hundred years of grace from year 1 is long past.
      EXPECT_TRUE(kinds.count("access_after_end")) << again.out;
    } else if (what == "an end") {
      // Grace days past the range leave the end at its last instant: not ended, no noise.
      EXPECT_FALSE(kinds.count("missing_end_date")) << again.out;
      EXPECT_FALSE(kinds.count("access_after_end")) << again.out;
    } else {
      // No end, whether never or unreadable: an external without an end date.
      EXPECT_TRUE(kinds.count("missing_end_date")) << again.out;
      EXPECT_FALSE(kinds.count("access_after_end")) << again.out;
    }
    if (what == "damaged") {
      EXPECT_NE(warnings.find(k_person), std::string::npos) << warnings;
      EXPECT_NE(warnings.find(end), std::string::npos) << warnings;
    } else {
      EXPECT_EQ(warnings.find("endDate"), std::string::npos) << warnings;
    }
  }
}

TEST_F(HostileValues, NeitherStopNorFoolAnyCommand) {
  const std::uint32_t seed = env_number("SECONDSIGHT_HOSTILE_SEED", k_default_seed);
  const auto runs = static_cast<int>(env_number("SECONDSIGHT_HOSTILE_RUNS", k_default_runs));
  const auto show = static_cast<int>(env_number("SECONDSIGHT_HOSTILE_SHOW", 10));
  const char* only_field = std::getenv("SECONDSIGHT_HOSTILE_FIELD");
  const std::string only = only_field ? only_field : "";
  SCOPED_TRACE("SECONDSIGHT_HOSTILE_SEED=" + std::to_string(seed));
  HostileBytes bytes(seed);
  Problems problems;
  int failed_runs = 0;
  for (int run = 0; run < runs; ++run) {
    // One field of each kind per run, taken in turn, so every field gets its share.
    Company company;
    std::vector<std::string> set;
    auto hostile = [&](std::map<std::string, std::string>& fields, const std::string& group,
                       const std::vector<std::string>& names) {
      const std::string& name = names[static_cast<std::size_t>(run) % names.size()];
      std::string value = bytes.next();
      if (!only.empty() && only != group + "." + name) return;
      fields[name] = std::move(value);
      set.push_back(group + "." + name + " = " + shown(fields[name]));
    };
    hostile(company.person, "person", k_person_fields);
    hostile(company.auditd, "auditd", k_auditd_fields);
    hostile(company.sshd, "sshd", k_sshd_fields);
    hostile(company.jsonl, "jsonl", k_jsonl_fields);
    fs::remove_all(m_folder);
    company.write(m_folder);

    // The checklist of the person as she is known: by her id, when a command line can carry it.
    const std::string& uid = company.person.at("uid");
    const bool passable = !uid.empty() && uid.find('\0') == std::string::npos;
    run_commands(m_folder, passable ? uid : "noor", problems);
    if (problems.empty()) continue;
    ++failed_runs;
    if (failed_runs <= show) {
      std::string message = "run " + std::to_string(run) + " with";
      for (const auto& field : set) message += "\n    " + field;
      for (const auto& line : problems.lines()) message += "\n  " + line;
      ADD_FAILURE() << message;
    }
    problems.clear_lines();
  }
  if (failed_runs > 0) {
    std::string summary = std::to_string(failed_runs) + " of " + std::to_string(runs) +
                          " runs failed (the first " + std::to_string(show) +
                          " are shown above); problems by command:";
    for (const auto& [kind, count] : problems.by_kind())
      summary += "\n  " + std::to_string(count) + " x " + kind;
    ADD_FAILURE() << summary;
  }
}

}  // namespace
}  // namespace secondsight::testing
