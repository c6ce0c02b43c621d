#include "api_routes.hpp"

#include <array>
#include <string_view>

#include "process_metrics.hpp"
#include "secondsight/alert/sink.hpp"
#include "secondsight/app/output.hpp"
#include "secondsight/core/text.hpp"
#include "secondsight/store/findings_store.hpp"
#include "secondsight/store/outbox.hpp"

namespace secondsight::app {
namespace {

ApiResponse health(const ApiContext& context) {
  const auto health = health_json(context.status, context.now);
  return {context.status.degraded() ? 503u : 200u, "application/json", json_text(health) + "\n"};
}

// Each sink by the name people see (a webhook's path may hold a token); two sinks of one name
// are added up.
ApiResponse metrics(const ApiContext& context) {
  auto& sinks = context.status.sinks;
  sinks.clear();
  for (const auto& sink : context.sinks) sinks[alert::describe_sink(alert::sink_key(sink))];
  auto backlog = store::Outbox(context.database).undelivered();
  if (!backlog) return {500, "text/plain; charset=utf-8", "state database unavailable\n"};
  for (const auto& waiting : *backlog) {
    auto& sink = sinks[alert::describe_sink(waiting.sink)];
    sink.queued += waiting.count;
    sink.oldest = sink.oldest ? std::min(*sink.oldest, waiting.oldest) : waiting.oldest;
  }
  if (context.alerts) {
    for (const auto& [key, counts] : context.alerts->counts()) {
      auto& sink = sinks[alert::describe_sink(key)];
      sink.delivered += counts.delivered;
      sink.failures += counts.failed;
    }
  }
  return {200, "text/plain; version=0.0.4; charset=utf-8",
          metrics_text(context.status, context.now) + process_metrics_text()};
}

ApiResponse open_findings(const ApiContext& context) {
  store::FindingsStore findings(context.database);
  auto open = findings.list(findings::FindingStatus::open);
  if (!open) return {500, "application/json", R"({"error":"state database unavailable"})"};
  nlohmann::json list = nlohmann::json::array();
  for (const auto& stored : *open) list.push_back(finding_json(stored));
  return {200, "application/json", json_text(nlohmann::json{{"findings", list}}) + "\n"};
}

struct Route {
  std::string_view path;
  ApiResponse (*answer)(const ApiContext&);
};

constexpr std::array k_routes{
    Route{"/healthz", health},
    Route{"/metrics", metrics},
    Route{"/api/v1/findings", open_findings},
};

}  // namespace

ApiResponse answer_api(const ApiRequest& request, const ApiContext& context) {
  if (context.dashboard)
    if (auto page = context.dashboard->answer(request, context.database, context.now)) return *page;
  if (!request.bearer)
    return {401,
            "application/json",
            R"({"error":"a bearer token is required"})",
            {{"WWW-Authenticate", "Bearer"}}};
  if (request.method != "GET" && request.method != "HEAD")
    return {405, "application/json", R"({"error":"only GET"})", {{"Allow", "GET, HEAD"}}};
  const std::string_view target = request.target;
  const auto path = target.substr(0, target.find('?'));
  for (const auto& route : k_routes)
    if (route.path == path) return route.answer(context);
  return {404, "application/json", R"({"error":"not found"})"};
}

}  // namespace secondsight::app
