// Attribution of access events to systems by the policy's activity rules.
#include "secondsight/activity/attribution.hpp"

#include <gmock/gmock.h>

namespace secondsight::activity {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

config::LogSourceConfig source(const char* format, const char* name) {
  config::LogSourceConfig s;
  s.format = format;
  s.name = name;
  return s;
}

config::Policy policy() {
  config::Policy p;
  config::System payments;
  payments.id = "payments";
  payments.activity = {{"jsonl", "", "", "payments-api", "", {}},
                       {"sshd", "pay-*", "", "", "", {}}};
  config::System k8s;
  k8s.id = "k8s";
  k8s.activity = {{"auditd", "", "k8s-*", "", "", {}}, {"", "K8S-?", "", "", "", {}}};
  config::System deploys;
  deploys.id = "deploys";
  deploys.activity = {{"logs/platform.jsonl", "", "", "", "deploy", {}}};
  p.systems = {payments, k8s, deploys};
  return p;
}

TEST(Attribution, GlobsOnHostKeyResourceAndAction) {
  auto p = policy();
  RawEvent login;
  login.action = "login";
  EXPECT_THAT(attribute(login, "pay-2", source("sshd", "auth.log"), p), ElementsAre("payments"));
  // Host globs ignore case, and a rule without a source matches every source.
  EXPECT_THAT(attribute(login, "k8s-1", source("sshd", "auth.log"), p), ElementsAre("k8s"));
  EXPECT_THAT(attribute(login, "jump-9", source("sshd", "auth.log"), p), IsEmpty());

  RawEvent syscall;
  syscall.key = "k8s-admin";
  syscall.resource = "k8s-admin";
  EXPECT_THAT(attribute(syscall, "ops-1", source("auditd", "audit.log"), p), ElementsAre("k8s"));
  // The same key from another format does not match an auditd rule.
  EXPECT_THAT(attribute(syscall, "ops-1", source("jsonl", "x.jsonl"), p), IsEmpty());
}

TEST(Attribution, ResourceGlobsAreTheOneDialect) {
  config::Policy p;
  config::System files;
  files.id = "files";
  files.activity = {{"jsonl", "", "", "/srv/pay/*", "", {}}};
  config::System tree;
  tree.id = "tree";
  tree.activity = {{"jsonl", "", "", "/srv/ops/**", "", {}}};
  p.systems = {files, tree};
  const auto at = [&](const char* resource) {
    RawEvent event;
    event.action = "read";
    event.resource = resource;
    return attribute(event, "h", source("jsonl", "x.jsonl"), p);
  };
  // `*` stays within a segment, `**` crosses them, letters compare without regard to case.
  EXPECT_THAT(at("/srv/pay/ledger"), ElementsAre("files"));
  EXPECT_THAT(at("/SRV/PAY/ledger"), ElementsAre("files"));
  EXPECT_THAT(at("/srv/pay/2026/ledger"), IsEmpty());
  EXPECT_THAT(at("/srv/ops/a/b/c"), ElementsAre("tree"));
  EXPECT_THAT(at("/srv/opsx/a"), IsEmpty());
}

TEST(Attribution, SshdRulesMatchLoginsFromTheJournalToo) {
  auto p = policy();
  RawEvent login;
  login.action = "login";
  EXPECT_THAT(attribute(login, "pay-2", source("journal", "journal"), p), ElementsAre("payments"));
  EXPECT_THAT(attribute(login, "pay-2", source("journal", "journal:/var/log/journal"), p),
              ElementsAre("payments"));
  // A jsonl or auditd rule does not take them.
  RawEvent audit;
  audit.key = "k8s-admin";
  EXPECT_THAT(attribute(audit, "ops-1", source("journal", "journal"), p), IsEmpty());
}

TEST(Attribution, AKeyRuleMatchesAnyOfTheRulesKeys) {
  auto p = policy();
  RawEvent syscall;
  syscall.key = std::string("payments\x01k8s-admin");
  syscall.resource = "payments";
  EXPECT_THAT(attribute(syscall, "ops-1", source("auditd", "audit.log"), p), ElementsAre("k8s"));
  syscall.key = std::string("k8s-admin\x01payments");
  EXPECT_THAT(attribute(syscall, "ops-1", source("auditd", "audit.log"), p), ElementsAre("k8s"));
  syscall.key = std::string("payments\x01audit");
  EXPECT_THAT(attribute(syscall, "ops-1", source("auditd", "audit.log"), p), IsEmpty());
}

TEST(Attribution, AKeyRuleNeedsAKeyAndSourceMayNameTheLog) {
  auto p = policy();
  RawEvent push;
  push.action = "deploy";
  push.resource = "payments-api";
  EXPECT_THAT(attribute(push, "ci-1", source("jsonl", "logs/platform.jsonl"), p),
              ElementsAre("payments", "deploys"));
  EXPECT_THAT(attribute(push, "ci-1", source("jsonl", "logs/other.jsonl"), p),
              ElementsAre("payments"));
  config::ActivityRule key_only{"", "", "*", "", "", {}};
  EXPECT_FALSE(rule_matches(key_only, push, "ci-1", source("jsonl", "x")));
}

}  // namespace
}  // namespace secondsight::activity
