#include "secondsight/app/alerts.hpp"

#include "secondsight/alert/dispatcher.hpp"
#include "secondsight/core/logging.hpp"
#include "secondsight/core/text.hpp"
#include "secondsight/store/state_lock.hpp"

namespace secondsight::app {

void deliver_queued_alerts(const config::Config& config, store::Database& database,
                           std::chrono::seconds budget, std::ostream& err) {
  auto log = logger("alert");
  auto lock = store::try_delivery_lock(config.state_dir);
  if (!lock) {
    err << message_line("secondsight: alerts stay queued: ", lock.error().message);
    return;
  }
  if (!lock->held()) {
    log->info("another process delivers the alerts of {}", config.state_dir.string());
    return;
  }
  alert::Dispatcher dispatcher(database, alert::make_sinks(config.alerts));
  auto pass = dispatcher.deliver_due(system_now(), std::chrono::steady_clock::now() + budget);
  if (!pass) {
    err << message_line("secondsight: alerts stay queued: ", pass.error().message);
    return;
  }
  if (pass->out_of_time)
    err << "secondsight: out of time for delivering alerts; the rest stay queued for the next "
           "scan\n";
  log->info("{} alert{} delivered", pass->delivered, pass->delivered == 1 ? "" : "s");
}

}  // namespace secondsight::app
