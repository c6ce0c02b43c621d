#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "parser_tally.hpp"
#include "secondsight/activity/parser.hpp"

namespace secondsight::activity {
namespace {

using namespace testing;

std::unique_ptr<LogParser> auditd_parser() {
  config::LogSourceConfig source;
  source.format = "auditd";
  auto parser = make_parser(source, ParserContext{nullptr, Instant{}});
  EXPECT_TRUE(parser.ok());
  return std::move(parser).value();
}

Tally parse_lines(const std::vector<std::string>& lines) {
  auto parser = auditd_parser();
  return testing::parse_lines(*parser, lines);
}

const std::string k_kubectl =
    "node=ops-1 type=SYSCALL msg=audit(1765530900.646:1009): arch=c000003e syscall=257 "
    "success=yes exit=3 a0=ffffff9c a1=7ffd5e1c2a40 a2=0 a3=0 items=1 ppid=20188 pid=20189 "
    "auid=2002 uid=2002 gid=2002 euid=2002 suid=2002 fsuid=2002 egid=2002 sgid=2002 "
    "fsgid=2002 tty=pts1 ses=44 comm=\"kubectl\" exe=\"/usr/local/bin/kubectl\" "
    "subj=unconfined key=\"k8s-admin\"";

TEST(AuditdParser, CompanyAuditLogWhole) {
  const auto lines =
      read_lines(std::string(SECONDSIGHT_SOURCE_DIR) + "/tests/scenarios/harbour/logs/audit.log");
  ASSERT_EQ(lines.size(), 219u);
  const auto tally = parse_lines(lines);
  // 49 USER_LOGINs with a set auid; 34 SYSCALLs, of which one is cut off, one is ravi's timer
  // (auid unset) and one a root import job (auid unset).
  EXPECT_EQ(tally.events.size(), 80u);
  EXPECT_EQ(tally.damaged, 1);
  EXPECT_EQ(tally.damaged_lines, std::vector<int>{25});  // node=ops-2 type=SYSCALL msg=audit(1767
  EXPECT_EQ(tally.ignored, 0);
  EXPECT_EQ(tally.records, 218);  // an AVC record too: a record, no event

  auto count = [&](auto predicate) {
    return std::count_if(tally.events.begin(), tally.events.end(), predicate);
  };
  EXPECT_EQ(count([](const RawEvent& e) { return e.action == "USER_LOGIN"; }), 49);
  EXPECT_EQ(count([](const RawEvent& e) { return e.action == "tlmctl"; }), 25);
  EXPECT_EQ(count([](const RawEvent& e) { return e.action == "ogr2ogr"; }), 6);
  // ravi's timer: a tlm-export SYSCALL with key telemetry-admin but auid=4294967295.
  EXPECT_EQ(count([](const RawEvent& e) { return e.time == at(1777773600); }), 0);
  EXPECT_EQ(count([](const RawEvent& e) { return e.action == "tlm-export"; }), 0);
  EXPECT_EQ(count([](const RawEvent& e) { return e.action == "gis-import"; }), 0);
  // The cut-off SYSCALL's other records (CWD, PATH, PROCTITLE of 5016) make no event.
  EXPECT_EQ(count([](const RawEvent& e) { return e.time == at(1767000120); }), 0);
  // The ENRICHED record names its user.
  EXPECT_EQ(count([](const RawEvent& e) { return e.time == at(1777109400) && e.user == "hamza"; }),
            1);

  const auto& first = tally.events.front();
  EXPECT_EQ(first.time, at(1765267200));
  EXPECT_EQ(first.uid, 3102);
  EXPECT_EQ(first.user, "");
  EXPECT_EQ(first.host, "ops-2");
  EXPECT_EQ(first.action, "USER_LOGIN");
  EXPECT_EQ(first.key, "");
  EXPECT_EQ(first.resource, "");

  const auto& last = tally.events.back();
  EXPECT_EQ(last.time, at(1778923800));
  EXPECT_EQ(last.uid, 4211);
  EXPECT_EQ(last.host, "gis-1");
  EXPECT_EQ(last.action, "ogr2ogr");
  EXPECT_EQ(last.key, "gis-edit");
  EXPECT_EQ(last.resource, "gis-edit");
}

// The logs in data/, and what ausearch 3.0.9 counts in them (the counts are asserted below):
//   ausearch -if FILE -m USER_LOGIN --success yes -i | grep -Ec '^(node=[^ ]+ )?type=USER_LOGIN '
//   (the same for USER_START), and ausearch -if FILE -k KEY --success yes -i for the keys.
// secondsight counts the same events, less those that name nobody (no login uid, no id, no
// account) and the syscalls of no login session (auid unset).
std::vector<std::string> data_lines(const std::string& name) {
  return read_lines(std::string(SECONDSIGHT_SOURCE_DIR) + "/tests/unit/activity/data/" + name);
}

// Events of `action` (any when empty) that carry `key` among their keys (none when empty), as
// `ausearch -k KEY` finds them.
long count_of(const Tally& tally, std::string_view action, std::string_view key = {}) {
  auto has_key = [&](const RawEvent& e) {
    if (key.empty()) return e.key.empty();
    std::string_view keys = e.key;
    for (;;) {
      const auto end = keys.find('\x01');
      if (keys.substr(0, end) == key) return true;
      if (end == std::string_view::npos) return false;
      keys.remove_prefix(end + 1);
    }
  };
  return std::count_if(tally.events.begin(), tally.events.end(), [&](const RawEvent& e) {
    return (action.empty() || e.action == action) && has_key(e);
  });
}

const RawEvent* event_at(const Tally& tally, long long seconds, std::string_view action) {
  for (const auto& event : tally.events)
    if (event.time == at(seconds) && event.action == action) return &event;
  return nullptr;
}

TEST(AuditdParser, OlderShapesCountAsAusearchCountsThem) {
  const auto tally = parse_lines(data_lines("auditd_older_shapes.log"));
  EXPECT_EQ(tally.records, 25);
  EXPECT_EQ(tally.damaged, 0);
  EXPECT_EQ(tally.ignored, 8);
  // ausearch: USER_LOGIN 4 succeeded (2 failed), USER_START 4 (1 failed), -k payroll 1.
  EXPECT_EQ(count_of(tally, "USER_LOGIN"), 4);
  EXPECT_EQ(count_of(tally, "USER_START"), 4);
  EXPECT_EQ(count_of(tally, "", "payroll"), 1);
  EXPECT_EQ(tally.events.size(), 9u);

  // "(hostname=?, addr=?, terminal=tty3 res=success)"
  const auto* console = event_at(tally, 1143146623, "USER_LOGIN");
  ASSERT_NE(console, nullptr);
  EXPECT_EQ(console->uid, 848);
  // crond's session for root: "PAM: session open acct=root : exe=... (... res=success)"
  const auto* cron = event_at(tally, 1170021601, "USER_START");
  ASSERT_NE(cron, nullptr);
  EXPECT_EQ(cron->uid, 0);
  // "result=Success)" with no login uid: the payload's user= is the person.
  const auto* tim = event_at(tally, 1126817293, "USER_START");
  ASSERT_NE(tim, nullptr);
  EXPECT_EQ(tim->uid, std::nullopt);
  EXPECT_EQ(tim->user, "tim");
  // "result=Authentication failure)" is no success; a group without commas reads the same.
  EXPECT_EQ(event_at(tally, 1126817400, "USER_START"), nullptr);
  const auto* no_commas = event_at(tally, 1126817400, "USER_LOGIN");
  ASSERT_NE(no_commas, nullptr);
  EXPECT_EQ(no_commas->uid, 501);
  const auto* bob = event_at(tally, 1170021700, "USER_LOGIN");
  ASSERT_NE(bob, nullptr);
  EXPECT_EQ(bob->host, "rhel5-db");
  EXPECT_EQ(bob->uid, 502);
  // Failed logins, whatever their shape, are none.
  EXPECT_EQ(event_at(tally, 1303785808, "USER_LOGIN"), nullptr);
  EXPECT_EQ(event_at(tally, 1170021800, "USER_LOGIN"), nullptr);
}

TEST(AuditdParser, CurrentShapesCountAsAusearchCountsThem) {
  const auto tally = parse_lines(data_lines("auditd_current_shapes.log"));
  EXPECT_EQ(tally.records, 28);
  EXPECT_EQ(tally.damaged, 0);
  // ausearch: USER_LOGIN 5 succeeded, of which one names nobody (auid and id unset); USER_START
  // 2; -k payments 1 and -k highrisk the same event (one rule's two keys); -k key=user_commands
  // 1; -k key=net 1, of no login session.
  EXPECT_EQ(count_of(tally, "USER_LOGIN"), 4);
  EXPECT_EQ(count_of(tally, "USER_START"), 2);
  EXPECT_EQ(count_of(tally, "", "payments"), 1);
  EXPECT_EQ(count_of(tally, "", "highrisk"), 1);
  EXPECT_EQ(count_of(tally, "", "key=user_commands"), 1);
  EXPECT_EQ(count_of(tally, "", "key=net"), 0);
  EXPECT_EQ(tally.events.size(), 8u);

  const auto* andrew = event_at(tally, 1481077043, "USER_LOGIN");
  ASSERT_NE(andrew, nullptr);
  EXPECT_EQ(andrew->uid, 1000);
  // acct=61647269616E with auid unset: the hex-encoded account is the person.
  const auto* adrian = event_at(tally, 1492896303, "USER_LOGIN");
  ASSERT_NE(adrian, nullptr);
  EXPECT_EQ(adrian->uid, std::nullopt);
  EXPECT_EQ(adrian->user, "adrian");
  // Same stamp on two nodes: two events, each with its node as host.
  std::vector<std::string> hosts;
  for (const auto& event : tally.events)
    if (event.time == at(1773000000) && event.action == "USER_LOGIN") hosts.push_back(event.host);
  EXPECT_EQ(hosts, (std::vector<std::string>{"web-1", "web-2"}));
  EXPECT_EQ(tally.events[4].user, "john doe");  // acct=6A6F686E20646F65
  EXPECT_EQ(tally.events[4].uid, std::nullopt);
  EXPECT_EQ(tally.events[5].uid, 1005);
  // A login uid beats the account the payload names (su, a session opened for another).
  const auto* session = event_at(tally, 1773000000, "USER_START");
  ASSERT_NE(session, nullptr);
  EXPECT_EQ(session->uid, 1006);
  EXPECT_EQ(session->user, "");
  const auto* vim = event_at(tally, 1773000001, "vim");
  ASSERT_NE(vim, nullptr);
  EXPECT_EQ(vim->key, "payments\x01highrisk");
  EXPECT_EQ(vim->resource, "payments");
  EXPECT_EQ(vim->host, "web-1");
}

TEST(AuditdParser, EnrichedShapesCountAsAusearchCountsThem) {
  const auto tally = parse_lines(data_lines("auditd_enriched.log"));
  EXPECT_EQ(tally.records, 15);
  EXPECT_EQ(tally.damaged, 0);
  // ausearch: USER_LOGIN 2 succeeded (1 failed), USER_START 1, -k payments 2, of which one of
  // no login session.
  EXPECT_EQ(count_of(tally, "USER_LOGIN"), 2);
  EXPECT_EQ(count_of(tally, "USER_START"), 1);
  EXPECT_EQ(count_of(tally, "", "payments"), 1);
  ASSERT_EQ(tally.events.size(), 4u);
  EXPECT_EQ(tally.events[0].user, "alice");  // AUID="alice"
  EXPECT_EQ(tally.events[0].uid, 1201);
  EXPECT_EQ(tally.events[1].user, "alice");
  // auid unset, id=1202: the person is the id, named by ENRICHED ID="bob".
  EXPECT_EQ(tally.events[2].uid, 1202);
  EXPECT_EQ(tally.events[2].user, "bob");
  EXPECT_EQ(tally.events[2].host, "pay-2");
  EXPECT_EQ(tally.events[3].action, "psql");
  EXPECT_EQ(tally.events[3].user, "alice");
}

TEST(AuditdParser, PayloadFieldsReadWhateverTheirGrouping) {
  const auto tally = parse_lines({
      // A group that closes right after the result, commas with and without blanks.
      "type=USER_LOGIN msg=audit(1700000000.000:1): user pid=1 uid=0 auid=1001 "
      "msg='uid=1001: exe=\"/bin/login\" (hostname=?,addr=?,terminal=tty1 res=success)'",
      // The result is the first res= of the payload; grantors keeps its commas.
      "type=USER_START msg=audit(1700000001.000:2): pid=1 uid=0 auid=1002 ses=1 "
      "msg='op=PAM:session_open grantors=pam_env,pam_unix acct=\"a,res=failed\" "
      "exe=\"/usr/sbin/sshd\" (hostname=?, addr=?, terminal=ssh res=success)'",
      // "failed)" is a failure; "result=" text is compared whole, ignoring case.
      "type=USER_LOGIN msg=audit(1700000002.000:3): user pid=1 uid=0 auid=1003 "
      "msg='uid=1003: exe=\"/bin/login\" (hostname=?, addr=?, terminal=tty1 res=failed)'",
      "type=USER_LOGIN msg=audit(1700000003.000:4): user pid=1 uid=0 auid=1004 "
      "msg='PAM: user=x exe=\"/bin/login\" (hostname=?, addr=?, terminal=tty1 result=SUCCESS)'",
      "type=USER_LOGIN msg=audit(1700000004.000:5): user pid=1 uid=0 auid=1005 "
      "msg='PAM: user=x exe=\"/bin/login\" (hostname=?, addr=?, terminal=tty1 "
      "result=Successful attempt)'",
      // No result at all: neither success nor failure.
      "type=USER_LOGIN msg=audit(1700000005.000:6): user pid=1 uid=0 auid=1006 "
      "msg='uid=1006: exe=\"/bin/login\" (hostname=?, addr=?, terminal=tty1)'",
      // Records from before auid was named: loginuid=.
      "type=USER_LOGIN msg=audit(1700000006.000:7): user pid=1 uid=0 loginuid=1007 "
      "msg='uid=1007: exe=\"/bin/login\" (hostname=?, addr=?, terminal=tty1 res=success)'",
  });
  EXPECT_EQ(tally.records, 7);
  EXPECT_EQ(tally.damaged, 0);
  std::vector<long long> uids;
  for (const auto& event : tally.events) uids.push_back(event.uid.value_or(-2));
  EXPECT_EQ(uids, (std::vector<long long>{1001, 1002, 1004, 1007}));
}

TEST(AuditdParser, SyscallWithKeyIsAnEvent) {
  const auto tally = parse_lines({k_kubectl});
  ASSERT_EQ(tally.events.size(), 1u);
  const auto& event = tally.events[0];
  EXPECT_EQ(event.time, at(1765530900));  // .646 truncated
  EXPECT_EQ(event.uid, 2002);
  EXPECT_EQ(event.user, "");
  EXPECT_EQ(event.host, "ops-1");
  EXPECT_EQ(event.action, "kubectl");
  EXPECT_EQ(event.key, "k8s-admin");
  EXPECT_EQ(event.resource, "k8s-admin");
}

TEST(AuditdParser, TheKeyIsTheKeyFieldWhereverKeyIsWritten) {
  auto with = [](std::string line, std::string from, std::string to) {
    line.replace(line.find(from), from.size(), to);
    return line;
  };
  const auto tally = parse_lines({
      // "key=" inside another value is not the field, and the field need not come last.
      with(k_kubectl, "exe=\"/usr/local/bin/kubectl\"", "exe=\"/opt/key=1/monkey=2\""),
      with(with(k_kubectl, ":1009): arch=c000003e", ":1010): key=\"k8s-admin\" arch=c000003e"),
           "subj=unconfined key=\"k8s-admin\"", "subj=unconfined exe2=\"/opt/key=x\""),
      // No key field, only values that look like one: no event.
      with(with(k_kubectl, ":1009)", ":1011)"), " key=\"k8s-admin\"",
           " exe2=\"/opt/key=k8s-admin\" monkey=1"),
  });
  ASSERT_EQ(tally.events.size(), 2u);
  EXPECT_EQ(tally.events[0].key, "k8s-admin");
  EXPECT_EQ(tally.events[1].key, "k8s-admin");
  EXPECT_EQ(tally.records, 3);
}

TEST(AuditdParser, UnsetOrFailedOrKeylessIsNoEvent) {
  auto with = [](std::string from, std::string to) {
    auto line = k_kubectl;
    line.replace(line.find(from), from.size(), to);
    return line;
  };
  const auto tally = parse_lines({
      with("auid=2002", "auid=4294967295"),
      with("auid=2002", "auid=-1"),
      with("success=yes", "success=no"),
      with("key=\"k8s-admin\"", "key=(null)"),
      with("key=\"k8s-admin\"", "key=\"\""),
      with(" key=\"k8s-admin\"", ""),
      "type=USER_LOGIN msg=audit(1764655200.049:2001): pid=1 uid=0 auid=1002 ses=1 "
      "msg='op=login id=1002 exe=\"/usr/sbin/sshd\" hostname=? addr=10.0.0.9 terminal=ssh "
      "res=failed'",
      // A login that names nobody: no login uid, no id, no account.
      "type=USER_LOGIN msg=audit(1764655200.049:2002): pid=1 uid=0 auid=4294967295 "
      "ses=4294967295 msg='op=login id=4294967295 exe=\"/usr/sbin/sshd\" res=success'",
      "type=USER_LOGIN msg=audit(1764655200.049:2003): pid=1 uid=0 auid=4294967295 "
      "ses=4294967295 msg='op=login acct=\"?\" exe=\"/usr/sbin/sshd\" res=success'",
  });
  EXPECT_TRUE(tally.events.empty());
  EXPECT_EQ(tally.records, 9);
  EXPECT_EQ(tally.damaged, 0);
}

TEST(AuditdParser, LoginsFromUserLoginAndUserStart) {
  const auto tally = parse_lines({
      "type=USER_LOGIN msg=audit(1764655200.049:1002): pid=29312 uid=0 auid=1002 ses=129 "
      "subj=unconfined msg='op=login id=1002 exe=\"/usr/sbin/sshd\" hostname=10.0.4.78 "
      "addr=10.0.4.166 terminal=/dev/pts/1 res=success'",
      "type=USER_START msg=audit(1764655201.100:1003): pid=29312 uid=0 auid=1002 ses=129 "
      "subj=unconfined msg='op=PAM:session_open grantors=pam_unix acct=\"frank\" "
      "exe=\"/usr/sbin/sshd\" hostname=10.0.4.78 addr=10.0.4.78 terminal=ssh res=success'",
      // A result outside msg='...' is none: a user-space record states its result in its
      // payload, and ausearch --success reads it nowhere else.
      "type=USER_START msg=audit(1764655202.000:1004): pid=1 uid=0 auid=1003 ses=2 res=1",
  });
  EXPECT_EQ(tally.records, 3);
  ASSERT_EQ(tally.events.size(), 2u);
  EXPECT_EQ(tally.events[0].action, "USER_LOGIN");
  EXPECT_EQ(tally.events[0].uid, 1002);
  EXPECT_EQ(tally.events[0].host, "");  // no node=: the source's host
  EXPECT_EQ(tally.events[1].action, "USER_START");
  EXPECT_EQ(tally.events[1].time, at(1764655201));
}

TEST(AuditdParser, InterleavedEventsAreTold) {
  const auto tally = parse_lines({
      "node=a type=SYSCALL msg=audit(1700000000.100:50): syscall=257 success=yes auid=1001 "
      "comm=\"cat\" key=\"secrets\"",
      "node=b type=SYSCALL msg=audit(1700000000.101:50): syscall=257 success=yes auid=1002 "
      "comm=\"vim\" key=\"payments\"",
      "node=a type=CWD msg=audit(1700000000.100:50): cwd=\"/root\"",
      "node=a type=SYSCALL msg=audit(1700000000.102:51): syscall=2 success=yes auid=1003 "
      "comm=\"less\" key=\"hr\"",
      "node=b type=PATH msg=audit(1700000000.101:50): item=0 name=\"/etc/payments.conf\"",
      "node=a type=PATH msg=audit(1700000000.100:50): item=0 name=\"/etc/shadow\"",
      "node=a type=PROCTITLE msg=audit(1700000000.102:51): proctitle=6C657373",
  });
  EXPECT_EQ(tally.records, 7);
  ASSERT_EQ(tally.events.size(), 3u);
  EXPECT_EQ(tally.events[0].host, "a");
  EXPECT_EQ(tally.events[0].key, "secrets");
  EXPECT_EQ(tally.events[0].uid, 1001);
  EXPECT_EQ(tally.events[1].host, "b");
  EXPECT_EQ(tally.events[1].key, "payments");
  EXPECT_EQ(tally.events[1].uid, 1002);
  EXPECT_EQ(tally.events[2].key, "hr");
  EXPECT_EQ(tally.events[2].action, "less");
}

TEST(AuditdParser, EnrichedNameFromAuid) {
  const auto tally = parse_lines({
      "type=SYSCALL msg=audit(1773000000.123:7001): arch=c000003e syscall=257 success=yes "
      "exit=3 items=1 ppid=1 pid=2 auid=1005 uid=1005 gid=1005 euid=1005 tty=pts0 ses=3 "
      "comm=\"cat\" exe=\"/usr/bin/cat\" key=\"payments\"\x1d"
      "ARCH=x86_64 SYSCALL=openat AUID=\"frank\" UID=\"frank\" GID=\"frank\" EUID=\"frank\"",
      "node=pay-1 type=USER_LOGIN msg=audit(1773000001.000:7002): pid=5 uid=0 auid=1005 ses=4 "
      "msg='op=login id=1005 exe=\"/usr/sbin/sshd\" hostname=? addr=10.0.0.1 terminal=sshd "
      "res=success'\x1dUID=\"root\" AUID=\"frank\" ID=\"frank\"",
      // An ENRICHED record whose translation has no AUID: the number is all there is.
      "type=SYSCALL msg=audit(1773000002.000:7003): success=yes auid=1006 comm=\"cat\" "
      "key=\"payments\"\x1d"
      "ARCH=x86_64 SYSCALL=openat",
  });
  ASSERT_EQ(tally.events.size(), 3u);
  EXPECT_EQ(tally.events[0].user, "frank");
  EXPECT_EQ(tally.events[0].uid, 1005);
  EXPECT_EQ(tally.events[0].key, "payments");
  EXPECT_EQ(tally.events[0].action, "cat");
  EXPECT_EQ(tally.events[1].user, "frank");
  EXPECT_EQ(tally.events[1].host, "pay-1");
  EXPECT_EQ(tally.events[2].user, "");
  EXPECT_EQ(tally.events[2].uid, 1006);
}

TEST(AuditdParser, HexEncodedValuesAreDecoded) {
  const auto tally = parse_lines({
      "type=SYSCALL msg=audit(1773000000.000:1): success=yes auid=1001 "
      "comm=6D7920746F6F6C exe=\"/usr/bin/x\" key=6B38732D61646D696E",
      // Several keys on one rule: joined by 0x01 and hex-encoded; all kept, the first is the
      // resource.
      "type=SYSCALL msg=audit(1773000000.000:2): success=yes auid=1001 comm=\"cat\" "
      "key=7061796D656E7473016869676872697368",
  });
  ASSERT_EQ(tally.events.size(), 2u);
  EXPECT_EQ(tally.events[0].key, "k8s-admin");
  EXPECT_EQ(tally.events[0].resource, "k8s-admin");
  EXPECT_EQ(tally.events[0].action, "my tool");
  EXPECT_EQ(tally.events[1].key, "payments\x01highrish");
  EXPECT_EQ(tally.events[1].resource, "payments");
}

TEST(AuditdParser, SyscallWithoutCommIsNamedSyscall) {
  const auto tally =
      parse_lines({"type=SYSCALL msg=audit(1773000000.000:1): success=yes auid=1001 key=\"k\""});
  ASSERT_EQ(tally.events.size(), 1u);
  EXPECT_EQ(tally.events[0].action, "SYSCALL");
}

TEST(AuditdParser, AnyRecordTypeIsARecord) {
  const auto tally = parse_lines({
      "type=UNKNOWN[1329] msg=audit(1773000000.000:10): rule=1 some=thing",
      "node=ops-1 type=AVC msg=audit(1773000000.001:11): avc:  denied  { read } for  pid=1 "
      "comm=\"cat\" name=\"shadow\" scontext=u:r:t:s0 tcontext=u:r:s:s0 tclass=file "
      "permissive=0",
      "type=EOE msg=audit(1773000000.002:12): ",
      "type=PROCTITLE msg=audit(1773000000.003:13): proctitle=6B75626563746C",
      "type=DAEMON_START msg=audit(1773000000.004:14): op=start ver=3.0.9 format=enriched "
      "kernel=6.1.0 auid=4294967295 pid=1 uid=0 ses=4294967295 res=success",
  });
  EXPECT_EQ(tally.records, 5);
  EXPECT_EQ(tally.damaged, 0);
  EXPECT_TRUE(tally.events.empty());
}

TEST(AuditdParser, NoRecordIsDamage) {
  const auto tally = parse_lines({
      "node=ops-1 type=SYSCALL msg=audit(1764926",
      "node=ops-1 type=SYSCALL",
      "msg=audit(1773000000.000:1): success=yes auid=1001 key=\"k\"",
      "type=SYSCALL msg=audit(abc.000:1): success=yes",
      "type=SYSCALL msg=audit(1773000000:1): success=yes",
      "type=SYSCALL msg=audit(1773000000.000:): success=yes",
      "type=SYSCALL msg=audit(1773000000.000:1)x success=yes",
      "type= msg=audit(1773000000.000:1):",
      "node= type=SYSCALL msg=audit(1773000000.000:1):",
      "garbage node=ops-1 type=SYSCALL msg=audit(1773000000.000:1):",
      "Mar  2 09:12:00 pay-1 sshd[1]: Accepted publickey for frank from 10.0.0.1 port 22",
      "\x1d"
      "AUID=\"frank\"",
  });
  EXPECT_EQ(tally.damaged, 12);
  EXPECT_EQ(tally.records, 0);
  EXPECT_TRUE(tally.events.empty());
}

TEST(AuditdParser, BlankAndCommentLinesAreIgnored) {
  const auto tally = parse_lines({"", "   ", "\t", "# rotated 2026-03-01", "  # indented", "\r"});
  EXPECT_EQ(tally.ignored, 6);
  EXPECT_EQ(tally.records + tally.damaged, 0);
}

TEST(AuditdParser, SameEventIsNeverEmittedTwice) {
  auto parser = auditd_parser();
  const std::string other_node = std::string(k_kubectl).replace(0, 10, "node=ops-2");
  const auto tally = testing::parse_lines(*parser, {k_kubectl, k_kubectl, other_node, k_kubectl});
  EXPECT_EQ(tally.records, 4);
  ASSERT_EQ(tally.events.size(), 2u);  // ops-1 once, ops-2 once
  EXPECT_EQ(tally.events[0].host, "ops-1");
  EXPECT_EQ(tally.events[1].host, "ops-2");
}

TEST(AuditdParser, RecentEventsAreRememberedAcrossManyOthers) {
  auto parser = auditd_parser();
  std::vector<RawEvent> events;
  auto syscall = [](int serial) {
    return "type=SYSCALL msg=audit(1773000000.000:" + std::to_string(serial) +
           "): success=yes auid=1001 comm=\"cat\" key=\"k\"";
  };
  for (int serial = 1; serial <= 3000; ++serial) parser->parse(syscall(serial), events);
  EXPECT_EQ(events.size(), 3000u);
  parser->parse(syscall(1), events);
  parser->parse(syscall(2999), events);
  EXPECT_EQ(events.size(), 3000u);
}

TEST(AuditdParser, UglyLinesReadFine) {
  std::string long_proctitle(70000, 'A');
  const auto tally = parse_lines({
      // Double spaces, '=' and spaces inside quoted values, trailing blanks and a stray CR.
      "node=ops-1  type=SYSCALL  msg=audit(1773000000.500:42):  arch=c000003e  success=yes  "
      "auid=1001 cwd=\"/a=b c\" comm=\"x=y\"  exe=\"/usr/bin/x y\" key=\"pay ments\"   \r",
      // 64 KiB+ of other fields before the ones that matter.
      "type=SYSCALL msg=audit(1773000001.000:43): a0=" + long_proctitle +
          " success=yes auid=1002 comm=\"cat\" key=\"big\"",
      "type=PROCTITLE msg=audit(1773000001.000:43): proctitle=" + long_proctitle,
  });
  EXPECT_EQ(tally.damaged, 0);
  ASSERT_EQ(tally.events.size(), 2u);
  EXPECT_EQ(tally.events[0].time, at(1773000000));
  EXPECT_EQ(tally.events[0].host, "ops-1");
  EXPECT_EQ(tally.events[0].action, "x=y");
  EXPECT_EQ(tally.events[0].key, "pay ments");
  EXPECT_EQ(tally.events[1].key, "big");
  EXPECT_EQ(tally.events[1].uid, 1002);
}

TEST(AuditdParser, ACutResultOrKeyIsDamage) {
  const auto tally = parse_lines({
      // A key whose quote the line's end left open may be any key's start: ausearch -k skips
      // the record, and so it is skipped.
      "type=SYSCALL msg=audit(1773000002.000:44): success=yes auid=1003 key=\"cut",
      // A payload cut before its closing quote, a result cut before its group's ')', an empty
      // res=: nothing says the login succeeded.
      "type=USER_LOGIN msg=audit(1773000003.000:45): pid=1 uid=0 auid=1003 ses=1 "
      "msg='op=login id=1003 exe=\"/usr/sbin/sshd\" res=success",
      "type=USER_LOGIN msg=audit(1773000004.000:46): user pid=1 uid=0 auid=1003 "
      "msg='uid=1003: exe=\"/bin/login\" (hostname=?, addr=?, terminal=tty1 result=Success'",
      "type=USER_LOGIN msg=audit(1773000005.000:47): pid=1 uid=0 auid=1003 ses=1 "
      "msg='op=login id=1003 res='",
      // Cut where no event could come of it: an ordinary record.
      "type=SYSCALL msg=audit(1773000006.000:48): success=yes auid=1003 comm=\"ca",
  });
  EXPECT_EQ(tally.damaged_lines, (std::vector<int>{1, 2, 3, 4}));
  EXPECT_EQ(tally.records, 1);
  EXPECT_TRUE(tally.events.empty());
}

}  // namespace
}  // namespace secondsight::activity
