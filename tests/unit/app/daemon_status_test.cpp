// What the daemon's API serves about itself: health and Prometheus metrics.
#include "secondsight/app/daemon_status.hpp"

#include <gmock/gmock.h>

#include "secondsight/app/api_server.hpp"
#include "secondsight/app/build_info.hpp"

namespace secondsight::app {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const Instant k_now = *parse_rfc3339("2026-03-16T12:05:00Z");

ScanReport report_with(std::vector<SourceFigures> sources) {
  ScanReport report;
  report.now = *parse_rfc3339("2026-03-16T12:00:00Z");
  report.directory.complete = true;
  report.sources = std::move(sources);
  findings::StoredFinding finding;
  finding.finding.kind = "access_after_end";
  finding.finding.severity = Severity::critical;
  report.findings = {finding, finding};
  finding.finding.kind = "unused_access";
  finding.finding.severity = Severity::medium;
  report.findings.push_back(finding);
  return report;
}

SourceFigures figures(std::string name, std::uint64_t lines, std::uint64_t skipped,
                      bool ok = true) {
  SourceFigures f;
  f.name = std::move(name);
  f.format = "sshd";
  f.lines = lines;
  f.events = lines / 2;
  f.skipped = skipped;
  f.ok = ok;
  if (!ok) f.error = "cannot open";
  return f;
}

TEST(DaemonStatus, CountersAddUpOverScansAndFindingsAreTheLastScans) {
  DaemonStatus status;
  status.directory_ok = true;
  status.add_scan(report_with({figures("auth.log", 10, 1)}), 0.5);
  status.add_scan(report_with({figures("auth.log", 4, 0)}), 0.25);
  const auto text = metrics_text(status, k_now);
  EXPECT_THAT(text,
              HasSubstr("# TYPE secondsight_scans_total counter\nsecondsight_scans_total 2\n"));
  EXPECT_THAT(text, HasSubstr("secondsight_scan_duration_seconds_sum 0.750000\n"));
  EXPECT_THAT(text,
              HasSubstr("secondsight_lines_read_total{source=\"auth.log\",format=\"sshd\"} 14\n"));
  EXPECT_THAT(
      text, HasSubstr("secondsight_lines_skipped_total{source=\"auth.log\",format=\"sshd\"} 1\n"));
  EXPECT_THAT(
      text,
      HasSubstr("secondsight_findings_open{kind=\"access_after_end\",severity=\"critical\"} 2\n"));
  EXPECT_THAT(
      text, HasSubstr("secondsight_findings_open{kind=\"unused_access\",severity=\"medium\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("secondsight_up 1\n"));
  EXPECT_EQ(health_json(status, *parse_rfc3339("2026-03-16T12:01:00Z"))["status"], "ok");
}

TEST(DaemonStatus, AFailedSourceOrDirectoryIsDegraded) {
  DaemonStatus status;
  status.directory_ok = true;
  status.add_scan(report_with({figures("auth.log", 10, 0, false)}), 0.1);
  EXPECT_TRUE(status.degraded());
  auto health = health_json(status, *parse_rfc3339("2026-03-16T12:01:00Z"));
  EXPECT_EQ(health["status"], "degraded");
  EXPECT_EQ(health["problems"][0], "log source auth.log: cannot open");
  EXPECT_THAT(metrics_text(status, k_now),
              HasSubstr("secondsight_source_up{source=\"auth.log\"} 0\n"));

  DaemonStatus unread;
  unread.directory_error = "ldaps://ldap:636: bind: Can't contact LDAP server";
  EXPECT_EQ(health_json(unread, *parse_rfc3339("2026-03-16T12:01:00Z"))["problems"][0],
            "directory: ldaps://ldap:636: bind: Can't contact LDAP server");
  EXPECT_THAT(metrics_text(unread, k_now), HasSubstr("secondsight_directory_up 0\n"));
}

TEST(DaemonStatus, LabelValuesAreEscaped) {
  DaemonStatus status;
  status.add_scan(report_with({figures("logs/a\"b\\c\nd", 1, 0)}), 0.1);
  EXPECT_THAT(metrics_text(status, k_now),
              HasSubstr("secondsight_source_up{source=\"logs/a\\\"b\\\\c\\nd\"} 1\n"));
}

TEST(DaemonStatus, EachSinkShowsItsQueueTheOldestAlertsAgeAndItsDeliveriesAndFailures) {
  DaemonStatus status;
  status.sinks["journal"] = {};
  status.sinks["webhook https://siem.example:443/..."] = {3, *parse_rfc3339("2026-03-16T11:05:00Z"),
                                                          10, 4};
  const auto text = metrics_text(status, k_now);
  EXPECT_THAT(text, HasSubstr("secondsight_outbox_depth{sink=\"journal\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("secondsight_outbox_oldest_age_seconds{sink=\"journal\"} 0\n"));
  EXPECT_THAT(
      text,
      HasSubstr("secondsight_outbox_depth{sink=\"webhook https://siem.example:443/...\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("secondsight_outbox_oldest_age_seconds{sink=\"webhook "
                              "https://siem.example:443/...\"} 3600\n"));
  EXPECT_THAT(text, HasSubstr("secondsight_alerts_delivered_total{sink=\"webhook "
                              "https://siem.example:443/...\"} 10\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE secondsight_alert_delivery_failures_total counter\n"));
  EXPECT_THAT(text, HasSubstr("secondsight_alert_delivery_failures_total{sink=\"webhook "
                              "https://siem.example:443/...\"} 4\n"));
}

TEST(DaemonStatus, BuildInfoIsOneSeriesWithTheVersionRevisionAndDay) {
  const auto text = metrics_text(DaemonStatus{}, k_now);
  EXPECT_THAT(text, HasSubstr("# TYPE secondsight_build_info gauge\n"));
  EXPECT_THAT(text,
              HasSubstr("secondsight_build_info{version=\"" + std::string(k_build_info.version) +
                        "\",revision=\"" + std::string(k_build_info.revision) + "\",built=\"" +
                        std::string(k_build_info.date) + "\"} 1\n"));
}

TEST(ApiSecrets, ConstantTimeEqual) {
  EXPECT_TRUE(constant_time_equal("Bearer abc", "Bearer abc"));
  EXPECT_FALSE(constant_time_equal("Bearer abd", "Bearer abc"));
  EXPECT_FALSE(constant_time_equal("Bearer ab", "Bearer abc"));
  EXPECT_FALSE(constant_time_equal("Bearer abcd", "Bearer abc"));
  EXPECT_FALSE(constant_time_equal("", "Bearer abc"));
}

TEST(ApiRequestBytes, TheBearerSchemeIsMatchedInAnyCaseTheTokenExactly) {
  const ApiHandler handler = [](const ApiRequest& request) {
    return ApiResponse{request.bearer ? 200u : 401u, "text/plain", "ok"};
  };
  const auto ask = [&](const std::string& authorization) {
    return answer_request_bytes(
        "GET /healthz HTTP/1.1\r\nAuthorization: " + authorization + "\r\n\r\n", "t0ken", handler);
  };
  for (const std::string accepted :
       {"Bearer t0ken", "bearer t0ken", "BEARER t0ken", "bEaReR t0ken", "Bearer   t0ken"})
    EXPECT_THAT(ask(accepted), ::testing::StartsWith("HTTP/1.1 200 ")) << accepted;
  for (const std::string refused :
       {"Bearer T0KEN", "bearer t0ken2", "bearer t0ke", "Basic t0ken", "Bearert0ken", "Bearer",
        "t0ken", "Bearer t0ken t0ken", "Bear t0ken", "bearer: t0ken"})
    EXPECT_THAT(ask(refused), ::testing::StartsWith("HTTP/1.1 401 ")) << refused;
}

TEST(ApiRequestBytes, AnsweredAsASessionAnswersThem) {
  std::vector<ApiRequest> asked;
  const ApiHandler handler = [&](const ApiRequest& request) {
    asked.push_back(request);
    return ApiResponse{200,
                       "application/json",
                       "{\"target\":\"" + request.target + "\"}",
                       {{"Set-Cookie", "a=b"}, {"Location", "/x"}}};
  };
  const std::string authorised = "Authorization: Bearer t0ken\r\n";
  const auto ok = answer_request_bytes(
      "GET /healthz?x=1 HTTP/1.1\r\nHost: h\r\nCookie: c=1\r\n"
      "Accept: text/html\r\nOrigin: http://h\r\n" +
          authorised + "\r\n",
      "t0ken", handler);
  EXPECT_THAT(ok, ::testing::StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(ok, ::testing::EndsWith("\r\n\r\n{\"target\":\"/healthz?x=1\"}"));
  // The handler's headers, and the security headers on every answer.
  for (const char* header :
       {"Cache-Control: no-store\r\n", "Set-Cookie: a=b\r\n", "Location: /x\r\n",
        "X-Content-Type-Options: nosniff\r\n", "X-Frame-Options: DENY\r\n",
        "Referrer-Policy: no-referrer\r\n",
        "Content-Security-Policy: default-src 'none'; style-src 'self'; img-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'\r\n"})
    EXPECT_THAT(ok, HasSubstr(header));
  EXPECT_THAT(ok, Not(HasSubstr("Strict-Transport-Security")));  // not over TLS
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_TRUE(asked[0].bearer);
  EXPECT_EQ(asked[0].host, "h");
  EXPECT_EQ(asked[0].cookie, "c=1");
  EXPECT_EQ(asked[0].accept, "text/html");
  EXPECT_EQ(asked[0].origin, "http://h");
  EXPECT_FALSE(asked[0].tls);

  const auto head =
      answer_request_bytes("HEAD / HTTP/1.1\r\n" + authorised + "\r\n", "t0ken", handler);
  EXPECT_THAT(head, ::testing::EndsWith("\r\n\r\n"));
  answer_request_bytes("GET / HTTP/1.1\r\nAuthorization: Bearer t0ke\r\n\r\n", "t0ken", handler);
  answer_request_bytes(
      "POST /login HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
      "Content-Length: 7\r\n\r\ntoken=x",
      "t0ken", handler);
  ASSERT_EQ(asked.size(), 4u);
  EXPECT_FALSE(asked[2].bearer);
  EXPECT_EQ(asked[3].method, "POST");
  EXPECT_EQ(asked[3].body, "token=x");
  EXPECT_EQ(asked[3].content_type, "application/x-www-form-urlencoded");
  // Bytes that are no whole request get no answer: the session closes without a word.
  for (const std::string cut : {"", "GET / HTTP/1.1\r\n", "GARBAGE\r\n\r\n",
                                "POST / HTTP/1.1\r\nContent-Length: 9\r\n\r\nabc"})
    EXPECT_EQ(answer_request_bytes(cut, "t0ken", handler), "") << cut;
  EXPECT_EQ(asked.size(), 4u);
}

}  // namespace
}  // namespace secondsight::app
