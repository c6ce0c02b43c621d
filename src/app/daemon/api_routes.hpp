// The local API's answers, one row per path: /healthz, /metrics, /api/v1/findings, each for the
// bearer token only; and the dashboard's pages (dashboard/routes.hpp), for a session. The HTTP
// server (api_server.hpp) hands every request here, saying whether it carried the token;
// everything the answers read belongs to the daemon's event loop, where they run.
#pragma once

#include <span>

#include "../dashboard/routes.hpp"
#include "alert_worker.hpp"
#include "secondsight/app/api_server.hpp"
#include "secondsight/app/daemon_status.hpp"
#include "secondsight/store/database.hpp"

namespace secondsight::app {

// What the answers read, at the time of one request.
struct ApiContext {
  DaemonStatus& status;
  store::Database& database;  // the event loop's connection
  const AlertWorker* alerts;  // null until delivery starts
  Instant now;
  std::span<const config::AlertSinkConfig> sinks = {};  // as configured now
  dashboard::Dashboard* dashboard = nullptr;            // null: no dashboard
};

// The answer to a request: the dashboard's for its paths; else, with the bearer token, the row
// of its path (the query is ignored) or 404; without it, 401. The JSON routes take GET and HEAD.
ApiResponse answer_api(const ApiRequest& request, const ApiContext& context);

}  // namespace secondsight::app
