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

Zone amsterdam() {
  auto zone = find_zone("Europe/Amsterdam");
  EXPECT_TRUE(zone.ok());
  return zone.ok() ? *zone : nullptr;
}

Zone utc() {
  auto zone = find_zone("UTC");
  EXPECT_TRUE(zone.ok());
  return zone.ok() ? *zone : nullptr;
}

Tally parse_lines(const std::vector<std::string>& lines, Zone zone = nullptr,
                  std::string_view now = "2026-03-16T12:00:00Z") {
  config::LogSourceConfig source;
  source.format = "sshd";
  auto parser = make_parser(source, ParserContext{zone, time_of(now)});
  EXPECT_TRUE(parser.ok());
  if (!parser.ok()) return {};
  return testing::parse_lines(**parser, lines);
}

// The one event a line makes (or a default one, after a failure).
RawEvent one_event(const std::string& line, Zone zone = nullptr,
                   std::string_view now = "2026-03-16T12:00:00Z") {
  const auto tally = parse_lines({line}, zone, now);
  EXPECT_EQ(tally.events.size(), 1u) << line;
  return tally.events.empty() ? RawEvent{} : tally.events.front();
}

TEST(SshdParser, CompanyAuthLogWhole) {
  const auto lines =
      read_lines(std::string(SECONDSIGHT_SOURCE_DIR) + "/tests/scenarios/harbour/logs/auth.log");
  ASSERT_EQ(lines.size(), 276u);
  const auto tally = parse_lines(lines, amsterdam(), "2026-05-18T09:00:00Z");
  EXPECT_EQ(tally.events.size(), 130u);
  // "Feb 18 03:1Feb 18 03:17:00 bill-1 sshd[99647]: ...": two writes run together.
  EXPECT_EQ(tally.damaged_lines, std::vector<int>{103});
  EXPECT_EQ(tally.ignored, 0);
  EXPECT_EQ(tally.records, 275);  // a CRON line among them: neither an event nor damage

  auto count_user = [&](std::string_view user) {
    return std::count_if(tally.events.begin(), tally.events.end(),
                         [&](const RawEvent& e) { return e.user == user; });
  };
  EXPECT_EQ(count_user("joost"), 86);
  EXPECT_EQ(count_user("ravi"), 15);
  EXPECT_EQ(count_user("hamza"), 14);
  EXPECT_EQ(count_user("bram"), 4);
  EXPECT_EQ(count_user("milan"), 4);
  EXPECT_EQ(count_user("tim"), 4);
  EXPECT_EQ(count_user("lotte"), 2);
  EXPECT_EQ(count_user("yara"), 1);
  EXPECT_EQ(count_user("admin"), 0);  // failed logins are no events

  // December lines belong to 2025 (now is May 2026), in Amsterdam time (CET, +01:00).
  const auto& first = tally.events.front();
  EXPECT_EQ(first.time, time_of("2025-12-08T07:30:00Z"));
  EXPECT_EQ(first.user, "joost");
  EXPECT_EQ(first.host, "tlm-1");
  EXPECT_EQ(first.action, "login");
  EXPECT_EQ(first.resource, "");
  EXPECT_EQ(first.key, "");
  EXPECT_FALSE(first.uid);
  const auto ravi_late = std::find_if(tally.events.begin(), tally.events.end(), [](const auto& e) {
    return e.user == "ravi" && e.time == time_of("2026-04-24T21:40:00Z");
  });
  EXPECT_NE(ravi_late, tally.events.end());  // "Apr 24 23:40:00" local (CEST, +02:00)
  EXPECT_EQ(tally.events.back().time, time_of("2026-05-17T06:30:00Z"));
  EXPECT_EQ(tally.events.back().user, "joost");
}

TEST(SshdParser, TraditionalSyslog) {
  const auto event = one_event(
      "Mar  2 09:12:00 pay-1 sshd[30506]: Accepted publickey for frank from 10.1.4.66 port "
      "57028 ssh2: ED25519 SHA256:QFPHUKS32EHGJbPZTcJ35aJ2D64RTBa4K3Q/R2bS+cY",
      utc());
  EXPECT_EQ(event.time, time_of("2026-03-02T09:12:00Z"));
  EXPECT_EQ(event.user, "frank");
  EXPECT_EQ(event.host, "pay-1");
  EXPECT_EQ(event.action, "login");
  // Day written with a leading zero, a priority kept by a relay, a zone of nullptr (UTC).
  EXPECT_EQ(one_event("Mar 02 09:12:00 pay-1 sshd[1]: Accepted password for frank from ::1 port "
                      "22 ssh2")
                .time,
            time_of("2026-03-02T09:12:00Z"));
  EXPECT_EQ(one_event("<38>Mar  2 09:12:00 pay-1 sshd[1]: Accepted password for frank from "
                      "10.0.0.1 port 22 ssh2")
                .host,
            "pay-1");
}

TEST(SshdParser, YearIsTheLatestNotAfterTomorrow) {
  // On 2 January a December line is from last year.
  EXPECT_EQ(one_event("Dec 31 23:59:59 h sshd[1]: Accepted publickey for a from 1.2.3.4 port 2",
                      utc(), "2026-01-02T10:00:00Z")
                .time,
            time_of("2025-12-31T23:59:59Z"));
  // Up to one day ahead of now stays in this year (a clock a little fast, a zone ahead).
  EXPECT_EQ(one_event("Jan  3 09:00:00 h sshd[1]: Accepted publickey for a from 1.2.3.4 port 2",
                      utc(), "2026-01-02T10:00:00Z")
                .time,
            time_of("2026-01-03T09:00:00Z"));
  EXPECT_EQ(one_event("Jan  3 11:00:00 h sshd[1]: Accepted publickey for a from 1.2.3.4 port 2",
                      utc(), "2026-01-02T10:00:00Z")
                .time,
            time_of("2025-01-03T11:00:00Z"));
  // New Year's Eve in UTC is already the new year in Amsterdam.
  EXPECT_EQ(one_event("Jan  1 00:10:00 h sshd[1]: Accepted publickey for a from 1.2.3.4 port 2",
                      amsterdam(), "2025-12-31T23:30:00Z")
                .time,
            time_of("2025-12-31T23:10:00Z"));
  // Feb 29 takes the latest leap year that fits.
  EXPECT_EQ(one_event("Feb 29 12:00:00 h sshd[1]: Accepted publickey for a from 1.2.3.4 port 2",
                      utc(), "2026-03-16T12:00:00Z")
                .time,
            time_of("2024-02-29T12:00:00Z"));
  EXPECT_EQ(one_event("Feb 29 12:00:00 h sshd[1]: Accepted publickey for a from 1.2.3.4 port 2",
                      utc(), "2028-03-01T00:00:00Z")
                .time,
            time_of("2028-02-29T12:00:00Z"));
  // Summer time in Amsterdam is +02:00.
  EXPECT_EQ(one_event("Jul 14 12:00:00 h sshd[1]: Accepted publickey for a from 1.2.3.4 port 2",
                      amsterdam(), "2026-03-16T12:00:00Z")
                .time,
            time_of("2025-07-14T10:00:00Z"));
}

TEST(SshdParser, Rfc3339Stamps) {
  EXPECT_EQ(one_event("2026-03-02T09:12:00.123456+01:00 pay-1 sshd[30506]: Accepted password "
                      "for frank from 10.1.4.66 port 57028 ssh2")
                .time,
            time_of("2026-03-02T08:12:00Z"));
  // journalctl -o short-iso writes the offset without a colon.
  const auto short_iso = one_event(
      "2026-03-02T09:12:00+0100 pay-1 sshd[30506]: Accepted publickey for frank from 10.1.4.66 "
      "port 57028 ssh2: RSA SHA256:abc");
  EXPECT_EQ(short_iso.time, time_of("2026-03-02T08:12:00Z"));
  EXPECT_EQ(short_iso.host, "pay-1");
  EXPECT_EQ(one_event("2026-03-02T09:12:00Z pay-1 sshd: Accepted publickey for frank from "
                      "10.1.4.66 port 1 ssh2")
                .time,
            time_of("2026-03-02T09:12:00Z"));
  EXPECT_EQ(one_event("2026-03-02T09:12:00.5-05:30 pay-1 sshd[1]: Accepted publickey for frank "
                      "from 10.1.4.66 port 1 ssh2")
                .time,
            time_of("2026-03-02T14:42:00Z"));
  // No offset at all: wall-clock time in the configured zone.
  EXPECT_EQ(one_event("2026-03-02T09:12:00 pay-1 sshd[1]: Accepted publickey for frank from "
                      "10.1.4.66 port 1 ssh2",
                      amsterdam())
                .time,
            time_of("2026-03-02T08:12:00Z"));
}

TEST(SshdParser, Rfc5424Lines) {
  const auto event = one_event(
      "<38>1 2026-03-02T09:12:00.003Z pay-1 sshd 30506 - - Accepted publickey for frank from "
      "10.1.4.66 port 57028 ssh2: ED25519 SHA256:abc");
  EXPECT_EQ(event.time, time_of("2026-03-02T09:12:00Z"));
  EXPECT_EQ(event.host, "pay-1");
  EXPECT_EQ(event.user, "frank");
  // Structured data with an escaped bracket, a BOM before the message.
  EXPECT_EQ(one_event("<86>1 2026-03-02T10:12:00+01:00 pay-2 sshd-session 77 - [origin "
                      "ip=\"10.0.0.2\"][meta note=\"a\\]b\" x=\"y\"] \xEF\xBB\xBF"
                      "Accepted password for ann.lee from 10.0.0.9 port 4 ssh2")
                .user,
            "ann.lee");
  // No host: the source's.
  EXPECT_EQ(one_event("<38>1 2026-03-02T09:12:00Z - sshd - - - Accepted publickey for frank "
                      "from 10.1.4.66 port 1 ssh2")
                .host,
            "");
  const auto tally = parse_lines({
      "<38>1 2026-03-02T09:12:00Z pay-1 sshd 30506 - - Connection closed by 10.0.0.1 port 22",
      "<38>1 2026-03-02T09:12:00Z pay-1 CRON 1 - - Accepted publickey for frank from 1.2.3.4",
      "<38>1 - pay-1 sshd 30506 - - Accepted publickey for frank from 10.1.4.66 port 1",
      "<38>1 2026-03-02T09:12:00Z pay-1 sshd 30506 - [unclosed Accepted publickey for frank",
  });
  EXPECT_EQ(tally.records, 2);
  EXPECT_EQ(tally.damaged_lines, (std::vector<int>{3, 4}));
  EXPECT_TRUE(tally.events.empty());
}

TEST(SshdParser, SshdSessionAndOtherMethods) {
  const auto tally = parse_lines({
      "Mar  2 09:12:00 pay-1 sshd-session[30506]: Accepted publickey for frank from 10.1.4.66 "
      "port 57028 ssh2: ED25519 SHA256:x",
      "Mar  2 09:13:00 pay-1 sshd[1]: Accepted keyboard-interactive/pam for j.doe-adm from "
      "10.0.0.1 port 22 ssh2",
      "Mar  2 09:14:00 pay-1 sshd[2]: Accepted gssapi-with-mic for alice@ACME.EXAMPLE from "
      "10.0.0.2 port 22 ssh2",
      "Mar  2 09:15:00 pay-1 sshd[3]: Accepted hostbased for svc_backup from 10.0.0.3 port 22 "
      "ssh2: RSA-SHA256 SHA256:y",
      "Mar  2 09:16:00 pay-1 sshd[4]: Accepted password for root from fe80::1%eth0 port 22 ssh2",
  });
  ASSERT_EQ(tally.events.size(), 5u);
  EXPECT_EQ(tally.events[0].user, "frank");
  EXPECT_EQ(tally.events[1].user, "j.doe-adm");
  EXPECT_EQ(tally.events[2].user, "alice@ACME.EXAMPLE");
  EXPECT_EQ(tally.events[3].user, "svc_backup");
  EXPECT_EQ(tally.events[4].user, "root");
}

TEST(SshdParser, OtherLinesAreRecordsNotEvents) {
  const auto tally = parse_lines({
      "Mar  2 09:12:00 pay-1 sshd[1]: Failed password for invalid user admin from 203.0.113.5 "
      "port 54034 ssh2",
      "Mar  2 09:12:01 pay-1 sshd[1]: pam_unix(sshd:session): session opened for user bob by "
      "(uid=0)",
      "Mar  2 09:12:02 pay-1 sshd[1]: Connection closed by authenticating user bob 10.0.0.1 "
      "port 22 [preauth]",
      "Mar  2 09:12:03 pay-1 CRON[77]: Accepted publickey for frank from 10.0.0.1 port 22",
      "Mar  2 09:12:04 pay-1 sudo:     frank : TTY=pts/0 ; PWD=/home/frank ; USER=root",
      "Mar  2 09:12:05 pay-1 sshd[1]: Accepted publickey for",
      "Mar  2 09:12:06 pay-1 sshd[1]: Accepted publickey for frank",
      "Mar  2 09:12:07 pay-1 sshd[1]:",
      "Mar  2 09:12:08 pay-1 kernel: [12345.678] audit: type=1400",
  });
  EXPECT_EQ(tally.records, 9);
  EXPECT_EQ(tally.damaged, 0);
  EXPECT_TRUE(tally.events.empty());
}

TEST(SshdParser, ShapelessLinesAreDamage) {
  const auto tally = parse_lines({
      "garbage",
      "Jan  5 02:1Jan  5 02:17:00 pay-1 sshd[25295]: Failed password",
      "Foo  2 09:12:00 pay-1 sshd[1]: Accepted publickey for frank from 10.0.0.1 port 22",
      "Mar 32 09:12:00 pay-1 sshd[1]: Accepted publickey for frank from 10.0.0.1 port 22",
      "Feb 30 09:12:00 pay-1 sshd[1]: Accepted publickey for frank from 10.0.0.1 port 22",
      "Mar  2 25:12:00 pay-1 sshd[1]: Accepted publickey for frank from 10.0.0.1 port 22",
      "Mar  2 09:12:00",
      "Mar  2 09:12:00 pay-1",
      "Mar  2 09:12:00 pay-1 sshd[1 Accepted publickey for frank from 10.0.0.1 port 22",
      "2026-03-02T09:12:00+01:00",
      "2026-13-02T09:12:00+01:00 pay-1 sshd[1]: Accepted publickey for frank from 1.2.3.4",
      "<38>",
  });
  EXPECT_EQ(tally.damaged, 12);
  EXPECT_TRUE(tally.events.empty());
}

TEST(SshdParser, IgnoredLinesAndStrayCarriageReturn) {
  const auto tally = parse_lines({
      "",
      "# comment",
      "Mar  2 09:12:00 pay-1 sshd[1]: Accepted password for frank from 10.0.0.1\r",
      "Mar  2 09:12:00 pay-1 sshd[1]: Accepted password for frank from 10.0.0.1 port 22 ssh2 \r",
  });
  EXPECT_EQ(tally.ignored, 2);
  EXPECT_EQ(tally.records, 2);
  ASSERT_EQ(tally.events.size(), 2u);
  EXPECT_EQ(tally.events[0].user, "frank");
}

TEST(SshdParser, LineWithoutHostFieldTakesTheSourcesHost) {
  const auto event = one_event(
      "Mar  2 09:12:00 sshd[30506]: Accepted publickey for frank from 10.1.4.66 port 57028 ssh2");
  EXPECT_EQ(event.host, "");
  EXPECT_EQ(event.user, "frank");
}

TEST(SshdMessage, ParsesJournalMessages) {
  const auto at = time_of("2026-03-02T09:12:00Z");
  const auto event = parse_sshd_message(
      "Accepted publickey for frank from 10.1.4.66 port 57028 ssh2: ED25519 SHA256:x", at, "pay-1");
  ASSERT_TRUE(event);
  EXPECT_EQ(event->time, at);
  EXPECT_EQ(event->user, "frank");
  EXPECT_EQ(event->host, "pay-1");
  EXPECT_EQ(event->action, "login");
  EXPECT_EQ(event->resource, "");
  EXPECT_FALSE(event->uid);

  EXPECT_FALSE(parse_sshd_message("Failed password for frank from 1.2.3.4 port 2 ssh2", at, "h"));
  EXPECT_FALSE(parse_sshd_message("Accepted", at, "h"));
  EXPECT_FALSE(parse_sshd_message("Accepted publickey from frank", at, "h"));
  EXPECT_FALSE(parse_sshd_message("Accepted publickey for frank to 1.2.3.4", at, "h"));
  EXPECT_FALSE(parse_sshd_message("Server listening on 0.0.0.0 port 22.", at, "h"));
  EXPECT_FALSE(parse_sshd_message("", at, "h"));
  ASSERT_TRUE(parse_sshd_message("Accepted password for bob from ::1 port 22 ssh2\r", at, ""));
}

}  // namespace
}  // namespace secondsight::activity
