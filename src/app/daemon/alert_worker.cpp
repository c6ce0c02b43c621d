#include "alert_worker.hpp"

#include <boost/asio/post.hpp>

#include "secondsight/alert/sink.hpp"
#include "secondsight/core/logging.hpp"
#include "secondsight/store/outbox.hpp"

namespace secondsight::app {

namespace asio = boost::asio;

namespace {
constexpr auto k_pass_budget = std::chrono::seconds(30);
constexpr auto k_retry_store = std::chrono::seconds(60);  // the lock or the database failed
}  // namespace

AlertWorker::AlertWorker(std::filesystem::path state_dir, std::filesystem::path database,
                         std::vector<config::AlertSinkConfig> sinks)
    : m_state_dir(std::move(state_dir)),
      m_database_path(std::move(database)),
      m_log(logger("alert")),
      m_timer(m_io),
      m_guard(asio::make_work_guard(m_io)),
      m_sinks(std::move(sinks)) {}

AlertWorker::~AlertWorker() {
  stop();
}

void AlertWorker::start() {
  m_thread = std::thread([this] { m_io.run(); });
  asio::post(m_io, [this] { pass(); });
}

void AlertWorker::wake() {
  asio::post(m_io, [this] { m_timer.cancel(); });
}

void AlertWorker::replace_sinks(std::vector<config::AlertSinkConfig> sinks) {
  asio::post(m_io, [this, sinks = std::move(sinks)]() mutable {
    m_sinks = std::move(sinks);
    if (m_dispatcher) m_dispatcher.emplace(*m_database, alert::make_sinks(m_sinks));
    m_timer.cancel();
  });
}

void AlertWorker::retry_now() {
  asio::post(m_io, [this] {
    m_retry_wanted = true;
    m_timer.cancel();
  });
}

std::map<std::string, AlertWorker::Counts> AlertWorker::counts() const {
  std::lock_guard guard(m_counts_mutex);
  return m_counts;
}

void AlertWorker::stop() {
  if (!m_thread.joinable()) return;
  m_stopping = true;
  asio::post(m_io, [this] { m_timer.cancel(); });
  m_guard.reset();
  m_thread.join();
}

// The lock, the connection and the dispatcher, each taken once it can be.
bool AlertWorker::ready() {
  if (!m_lock) {
    auto lock = store::try_delivery_lock(m_state_dir);
    if (!lock) {
      m_log->error("alerts stay queued: {}", lock.error().message);
      return false;
    }
    if (!lock->held()) {
      if (!m_told_waiting)
        m_log->info("a scan delivers the alerts of {}; delivering once it is done",
                    m_state_dir.string());
      m_told_waiting = true;
      return false;
    }
    m_lock.emplace(std::move(*lock));
  }
  if (!m_database) {
    auto database = store::Database::open(m_database_path);
    if (!database) {
      m_log->error("alerts stay queued: {}", database.error().message);
      return false;
    }
    m_database.emplace(std::move(*database));
  }
  if (!m_dispatcher) m_dispatcher.emplace(*m_database, alert::make_sinks(m_sinks));
  return true;
}

void AlertWorker::pass() {
  if (m_stopping) return;
  if (!ready()) return sleep(m_lock ? k_retry_store : std::chrono::seconds(5));
  if (m_retry_wanted) {
    auto waiting = store::Outbox(*m_database).retry_now(std::nullopt);
    if (!waiting) {
      m_log->error("cannot retry the queued alerts now: {}", waiting.error().message);
    } else {
      m_retry_wanted = false;
      if (*waiting > 0)
        m_log->info("retrying {} queued alert{} now", *waiting, *waiting == 1 ? "" : "s");
    }
  }
  auto delivered =
      m_dispatcher->deliver_due(system_now(), std::chrono::steady_clock::now() + k_pass_budget);
  if (!delivered) {
    m_log->error("alerts stay queued: {}", delivered.error().message);
    return sleep(k_retry_store);
  }
  if (delivered->delivered) m_log->info("{} alerts delivered", delivered->delivered);
  {
    std::lock_guard guard(m_counts_mutex);
    for (const auto& [sink, count] : delivered->delivered_by_sink)
      m_counts[sink].delivered += count;
    for (const auto& [sink, count] : delivered->failed_by_sink) m_counts[sink].failed += count;
  }
  if (delivered->out_of_time) return sleep(std::chrono::seconds(0));
  if (delivered->next_due)
    return sleep(std::max(std::chrono::seconds(0), std::chrono::duration_cast<std::chrono::seconds>(
                                                       *delivered->next_due - system_now())));
  sleep(std::chrono::hours(24));  // nothing queued: until a scan wakes it
}

void AlertWorker::sleep(std::chrono::seconds wait) {
  m_timer.expires_after(wait);
  m_timer.async_wait([this](boost::system::error_code) { pass(); });
}

}  // namespace secondsight::app
