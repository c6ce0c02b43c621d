// The local API's answers, one row per path: /healthz, /metrics, /api/v1/findings. The HTTP
// server (api_server.hpp) authorises a request and hands it here; everything the answers read
// belongs to the daemon's event loop, where they run.
#pragma once

#include <span>

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
};

// The answer to an authorised request: the row of its path (the query is ignored), or 404.
ApiResponse answer_api(const ApiRequest& request, const ApiContext& context);

}  // namespace secondsight::app
