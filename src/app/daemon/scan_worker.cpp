#include "scan_worker.hpp"

#include <boost/asio/post.hpp>
#include <chrono>

#include "secondsight/core/logging.hpp"
#include "secondsight/directory/source.hpp"
#include "secondsight/store/state_lock.hpp"

namespace secondsight::app {

namespace asio = boost::asio;

ScanWorker::ScanWorker(std::function<Instant()> clock)
    : m_clock(std::move(clock)), m_log(logger("daemon")), m_guard(asio::make_work_guard(m_io)) {}

ScanWorker::~ScanWorker() {
  stop();
}

void ScanWorker::start() {
  m_thread = std::thread([this] { m_io.run(); });
}

void ScanWorker::submit(ScanJob job, std::function<void(ScanOutcome)> done) {
  asio::post(m_io, [this, job = std::move(job), done = std::move(done)] { done(run(job)); });
}

void ScanWorker::stop() {
  if (!m_thread.joinable()) return;
  m_guard.reset();
  m_io.stop();
  m_thread.join();
}

// Polls when asked, then one scan; the state lock is taken per scan, so a `secondsight scan`
// on the command line waits for it rather than reading twice.
ScanOutcome ScanWorker::run(const ScanJob& job) {
  ScanOutcome outcome;
  const auto started = std::chrono::steady_clock::now();
  const auto& config = job.loaded->config;
  auto directory = job.directory;
  if (job.poll_directory) {
    outcome.polled_now = true;
    auto polled = directory::poll_configured_directory(config.directory, config.zone);
    if (polled) {
      directory = std::make_shared<const directory::DirectorySnapshot>(std::move(*polled));
      outcome.polled = directory;
    } else {
      outcome.poll_error = polled.error().message;
    }
  }
  if (!directory) {
    // Nothing good yet: a scan would find nothing to resolve names against.
    outcome.report = make_error("the directory was never read: " + outcome.poll_error);
    return outcome;
  }
  if (!m_database) {
    auto database = store::Database::open(database_path(config));
    if (!database) {
      outcome.report = database.error();
      return outcome;
    }
    m_database.emplace(std::move(*database));
  }
  auto lock = store::acquire_scan_lock(config.state_dir, [&] {
    m_log->info("a scan from the command line is running; waiting for it");
  });
  if (!lock) {
    outcome.report = lock.error();
    return outcome;
  }
  IngestOptions ingest;
  ingest.now = m_clock();
  ingest.wall_now = system_now();
  ingest.log_failures = false;  // the event loop logs a source's failure when it begins
  ScanSteps steps;
  steps.directory = directory;
  steps.refresh_knowledge = job.refresh_knowledge;
  steps.release = &m_release;
  if (job.build_view) {
    steps.inspect = [&outcome](const checks::Evaluation& evaluation,
                               const std::vector<findings::Finding>& seen,
                               const ScanReport& report) {
      outcome.view = dashboard::build_view(evaluation, seen, report.checklists);
    };
  }
  outcome.report = scan_once(config, job.loaded->policy, ingest, *m_database, steps);
  outcome.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return outcome;
}

}  // namespace secondsight::app
