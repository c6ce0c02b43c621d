// The local API's answers, asked without a server: each path finds its row, the query is
// ignored, anything else is 404.
#include <gmock/gmock.h>

#include "app/daemon/api_routes.hpp"
#include "fixtures/temp_dir.hpp"
#include "secondsight/core/text.hpp"
#include "secondsight/store/outbox.hpp"

namespace secondsight::app {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Pair;

class DaemonApiRoutes : public ::testing::Test {
 protected:
  void SetUp() override {
    auto database = store::Database::open(m_folder.path() / "state.db");
    ASSERT_TRUE(database) << database.error().message;
    m_database.emplace(std::move(*database));
    m_status.directory_ok = true;
  }

  ApiResponse ask(const std::string& target, const std::string& method = "GET",
                  bool bearer = true) {
    ApiRequest request{method, target};
    request.bearer = bearer;
    return answer_api(request, ApiContext{m_status, *m_database, nullptr,
                                          *parse_rfc3339("2026-03-16T12:00:00Z")});
  }

  testing::TempDir m_folder;
  std::optional<store::Database> m_database;
  DaemonStatus m_status;
};

TEST_F(DaemonApiRoutes, EveryJsonRouteNeedsTheBearerTokenAndTakesOnlyGetAndHead) {
  for (const char* path : {"/healthz", "/metrics", "/api/v1/findings", "/nowhere", "/"}) {
    auto refused = ask(path, "GET", false);
    EXPECT_EQ(refused.status, 401u) << path;
    EXPECT_THAT(refused.headers, Contains(Pair("WWW-Authenticate", "Bearer"))) << path;
    EXPECT_EQ(refused.body.find("finding\""), std::string::npos);
    for (const char* method : {"POST", "DELETE", "PUT"})
      EXPECT_EQ(ask(path, method).status, 405u) << method << " " << path;
  }
  EXPECT_EQ(ask("/healthz", "HEAD").status, 200u);
}

TEST_F(DaemonApiRoutes, HealthIsOkOr503WhenDegradedWhateverTheQuery) {
  auto answer = ask("/healthz?verbose=1");
  EXPECT_EQ(answer.status, 200u);
  EXPECT_EQ(answer.content_type, "application/json");
  EXPECT_EQ(parse_json(answer.body)["status"], "ok");

  m_status.directory_ok = false;
  m_status.directory_error = "ldap down";
  answer = ask("/healthz");
  EXPECT_EQ(answer.status, 503u);
  EXPECT_EQ(parse_json(answer.body)["status"], "degraded");
}

TEST_F(DaemonApiRoutes, MetricsAreInPrometheusText) {
  const auto answer = ask("/metrics");
  EXPECT_EQ(answer.status, 200u);
  EXPECT_EQ(answer.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_THAT(answer.body, HasSubstr("\nsecondsight_scans_total 0\n"));
  EXPECT_THAT(answer.body, HasSubstr("\nprocess_resident_memory_bytes "));
  EXPECT_THAT(answer.body, HasSubstr("\nprocess_start_time_seconds "));
  EXPECT_THAT(answer.body, HasSubstr("\nprocess_max_fds "));
}

TEST_F(DaemonApiRoutes, TheOutboxIsCountedPerSinkAtEachScrapeWithoutAWebhooksPath) {
  store::Outbox outbox(*m_database);
  const Instant now = *parse_rfc3339("2026-03-16T12:00:00Z");
  for (int i = 0; i < 2; ++i)
    ASSERT_TRUE(outbox.enqueue("webhook:https://hooks.example:443/services/SECRET", "fp", "opened",
                               "{}", "key" + std::to_string(i),
                               now - std::chrono::seconds(90 - i)));
  std::vector<config::AlertSinkConfig> sinks(1);
  sinks[0].type = "journal";
  ApiRequest request{"GET", "/metrics"};
  request.bearer = true;
  auto answer = answer_api(request, ApiContext{m_status, *m_database, nullptr, now, sinks});
  EXPECT_THAT(
      answer.body,
      HasSubstr("secondsight_outbox_depth{sink=\"webhook https://hooks.example:443/...\"} 2\n"));
  EXPECT_THAT(answer.body, HasSubstr("secondsight_outbox_oldest_age_seconds{sink=\"webhook "
                                     "https://hooks.example:443/...\"} 90\n"));
  EXPECT_THAT(answer.body, HasSubstr("secondsight_outbox_depth{sink=\"journal\"} 0\n"));
  EXPECT_EQ(answer.body.find("SECRET"), std::string::npos);
}

TEST_F(DaemonApiRoutes, OpenFindingsComeFromTheStore) {
  const auto answer = ask("/api/v1/findings");
  EXPECT_EQ(answer.status, 200u);
  EXPECT_EQ(answer.body, "{\"findings\":[]}\n");
}

TEST_F(DaemonApiRoutes, AnyOtherPathIsNotFound) {
  for (const auto* target : {"/", "/healthz/", "/api/v1/findings/1", "/metricsx"}) {
    const auto answer = ask(target);
    EXPECT_EQ(answer.status, 404u) << target;
    EXPECT_EQ(answer.body, R"({"error":"not found"})") << target;
  }
}

}  // namespace
}  // namespace secondsight::app
