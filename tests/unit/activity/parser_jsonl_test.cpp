#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "parser_tally.hpp"
#include "secondsight/activity/parser.hpp"

namespace secondsight::activity {
namespace {

using namespace testing;

config::JsonlFields platform_fields() {
  config::JsonlFields fields;
  fields.time = "ts";
  fields.user = "actor";
  fields.host = "host";
  fields.action = "action";
  fields.resource = "resource";
  return fields;
}

Tally parse_lines(const std::vector<std::string>& lines,
                  const config::JsonlFields& fields = platform_fields()) {
  config::LogSourceConfig source;
  source.format = "jsonl";
  source.fields = fields;
  auto parser = make_parser(source, ParserContext{nullptr, Instant{}});
  EXPECT_TRUE(parser.ok());
  if (!parser.ok()) return {};
  return testing::parse_lines(**parser, lines);
}

TEST(JsonlParser, CompanyPlatformLogWhole) {
  const auto lines = read_lines(std::string(SECONDSIGHT_SOURCE_DIR) +
                                "/tests/scenarios/harbour/logs/platform.jsonl");
  ASSERT_EQ(lines.size(), 363u);
  const auto tally = parse_lines(lines);
  EXPECT_EQ(tally.events.size(), 362u);
  // A line in the middle is cut off: {"ts": "2026-02-10T08:50:00Z", ..., "action": "git.
  // and the next one is read.
  EXPECT_EQ(tally.damaged_lines, std::vector<int>{150});
  EXPECT_EQ(tally.records, 362);
  EXPECT_EQ(tally.ignored, 0);

  const auto& first = tally.events.front();
  EXPECT_EQ(first.time, time_of("2025-12-01T08:10:00Z"));
  EXPECT_EQ(first.user, "sanne");
  EXPECT_EQ(first.host, "crm-1");
  EXPECT_EQ(first.action, "record.view");
  EXPECT_EQ(first.resource, "crm");
  EXPECT_FALSE(first.uid);
  EXPECT_EQ(first.key, "");
  const auto& last = tally.events.back();
  EXPECT_EQ(last.time, time_of("2026-05-17T01:00:00Z"));
  EXPECT_EQ(last.user, "svc-backup");
  EXPECT_EQ(last.action, "git.clone");
  EXPECT_EQ(last.resource, "billing-engine");
  // Users stay as logged: an email is resolved later, through aliases.
  EXPECT_EQ(std::count_if(tally.events.begin(), tally.events.end(),
                          [](const RawEvent& e) { return e.user == "bram@harbour.example"; }),
            16);
}

TEST(JsonlParser, DottedPathsReachIntoNestedObjects) {
  config::JsonlFields fields;
  fields.time = "@timestamp";
  fields.user = "user.name";
  fields.host = "host.name";
  fields.action = "event.action";
  fields.resource = "repo.full.name";
  const auto tally = parse_lines(
      {
          R"({"@timestamp":"2026-03-02T09:12:00Z","user":{"name":"frank","id":7},)"
          R"("host":{"name":"git-1"},"event":{"action":"git.push"},)"
          R"("repo":{"full":{"name":"harbour/billing-engine"}}})",
          // Flattened keys with dots, as some loggers write them.
          R"({"@timestamp":"2026-03-02T09:13:00Z","user.name":"grace","host":{"name":"git-2"},)"
          R"("event.action":"git.clone","repo":{"full.name":"harbour/netconfig"}})",
          // user is not an object here: the path leads nowhere.
          R"({"@timestamp":"2026-03-02T09:14:00Z","user":"frank"})",
      },
      fields);
  ASSERT_EQ(tally.events.size(), 2u);
  EXPECT_EQ(tally.events[0].user, "frank");
  EXPECT_EQ(tally.events[0].host, "git-1");
  EXPECT_EQ(tally.events[0].action, "git.push");
  EXPECT_EQ(tally.events[0].resource, "harbour/billing-engine");
  EXPECT_EQ(tally.events[1].user, "grace");
  EXPECT_EQ(tally.events[1].host, "git-2");
  EXPECT_EQ(tally.events[1].action, "git.clone");
  EXPECT_EQ(tally.events[1].resource, "harbour/netconfig");
  EXPECT_EQ(tally.damaged_lines, std::vector<int>{3});
}

TEST(JsonlParser, TimesAsRfc3339OrEpochSeconds) {
  const auto tally = parse_lines({
      R"({"ts":1773000000,"actor":"a"})",
      R"({"ts":1773000000.75,"actor":"a"})",
      R"({"ts":"2026-03-02T10:12:00.250+01:00","actor":"a"})",
      R"({"ts":"2026-03-02T10:12:00+0100","actor":"a"})",
      R"({"ts":-0.5,"actor":"a"})",
      R"({"ts":18446744073709551615,"actor":"a"})",
      R"({"ts":1e300,"actor":"a"})",
      R"({"ts":"1773000000","actor":"a"})",
      R"({"ts":"2026-03-02 10:12:00","actor":"a"})",
      R"({"ts":"yesterday","actor":"a"})",
      R"({"ts":true,"actor":"a"})",
      R"({"ts":null,"actor":"a"})",
      R"({"ts":{"s":1},"actor":"a"})",
  });
  ASSERT_EQ(tally.events.size(), 5u);
  EXPECT_EQ(tally.events[0].time, at(1773000000));
  EXPECT_EQ(tally.events[1].time, at(1773000000));
  EXPECT_EQ(tally.events[2].time, time_of("2026-03-02T09:12:00Z"));
  EXPECT_EQ(tally.events[3].time, time_of("2026-03-02T09:12:00Z"));
  EXPECT_EQ(tally.events[4].time, at(-1));
  EXPECT_EQ(tally.damaged_lines, (std::vector<int>{6, 7, 8, 9, 10, 11, 12, 13}));
}

TEST(JsonlParser, InvalidJsonIsDamage) {
  const auto tally = parse_lines({
      R"({"ts":"2026-03-15T10:00:00Z","actor":"alice","host":"git-1","action":"git.pu)",
      R"({"ts": "2026-03-15T10:00:00Z", "actor": "alice"} trailing)",
      R"([{"ts":"2026-03-15T10:00:00Z","actor":"alice"}])",
      R"("just a string")",
      "42",
      "null",
      "not json at all",
      "{",
  });
  EXPECT_EQ(tally.damaged, 8);
  EXPECT_TRUE(tally.events.empty());
}

TEST(JsonlParser, MissingTimeOrUserIsDamageOtherFieldsMayBeMissing) {
  const auto tally = parse_lines({
      R"({"actor":"alice","action":"git.push"})",
      R"({"ts":"2026-03-15T10:00:00Z","action":"git.push"})",
      R"({"ts":"2026-03-15T10:00:00Z","actor":""})",
      R"({"ts":"2026-03-15T10:00:00Z","actor":null})",
      R"({"ts":"2026-03-15T10:00:00Z","actor":["alice"]})",
      R"({"ts":"2026-03-15T10:00:00Z","actor":"alice"})",
      R"({"ts":"2026-03-15T10:00:00Z","actor":1002,"host":null,"action":true,"resource":42})",
      R"({"ts":"2026-03-15T10:00:00Z","actor":"bob","resource":{"id":1}})",
  });
  EXPECT_EQ(tally.damaged_lines, (std::vector<int>{1, 2, 3, 4, 5}));
  ASSERT_EQ(tally.events.size(), 3u);
  EXPECT_EQ(tally.events[0].user, "alice");
  EXPECT_EQ(tally.events[0].host, "");
  EXPECT_EQ(tally.events[0].action, "");
  EXPECT_EQ(tally.events[0].resource, "");
  EXPECT_EQ(tally.events[1].user, "1002");
  EXPECT_EQ(tally.events[1].host, "");
  EXPECT_EQ(tally.events[1].action, "true");
  EXPECT_EQ(tally.events[1].resource, "42");
  EXPECT_EQ(tally.events[2].resource, "");
}

TEST(JsonlParser, BlankCommentAndCarriageReturn) {
  const auto tally = parse_lines({
      "",
      "   ",
      "# exported 2026-03-16",
      "{\"ts\":\"2026-03-15T10:00:00Z\",\"actor\":\"alice\"}\r",
      "  {\"ts\":\"2026-03-15T10:00:00Z\",\"actor\":\"bob\"}  ",
  });
  EXPECT_EQ(tally.ignored, 3);
  EXPECT_EQ(tally.records, 2);
  ASSERT_EQ(tally.events.size(), 2u);
  EXPECT_EQ(tally.events[1].user, "bob");
}

TEST(MakeParser, RefusesWhatItCannotRead) {
  const ParserContext context{nullptr, Instant{}};
  config::LogSourceConfig source;
  source.where = {"/etc/secondsight/secondsight.yaml", 12, 5};
  source.format = "syslog";
  auto unknown = make_parser(source, context);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("secondsight.yaml:12:5"), std::string::npos);
  EXPECT_NE(unknown.error().message.find("syslog"), std::string::npos);

  source.format = "journal";
  EXPECT_FALSE(make_parser(source, context).ok());

  source.format = "jsonl";
  source.fields.time = "";
  EXPECT_FALSE(make_parser(source, context).ok());

  for (const char* format : {"auditd", "sshd"}) {
    source.format = format;
    EXPECT_TRUE(make_parser(source, context).ok()) << format;
  }
}

}  // namespace
}  // namespace secondsight::activity
