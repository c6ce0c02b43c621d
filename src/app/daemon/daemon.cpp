// The daemon's life, as named steps: one table to start (load the config, hold the state folder,
// open the store, start the API and the workers, follow the directory, signals, log watches,
// watchdog, timers, the first scan), the event loop until a signal stops it, one table to stop:
// k_start and k_stop, walked by command_daemon at the end of this file. Between them, the loop
// runs scans on timers, as logs grow and as the directory changes, reloads on SIGHUP and answers
// the API.
#include "secondsight/app/daemon.hpp"

#include <systemd/sd-daemon.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string_view>

#include "alert_worker.hpp"
#include "api_routes.hpp"
#include "directory_follower.hpp"
#include "log_watch.hpp"
#include "scan_worker.hpp"
#include "secondsight/activity/formats.hpp"
#include "secondsight/app/api_server.hpp"
#include "secondsight/app/commands.hpp"
#include "secondsight/app/daemon_status.hpp"
#include "secondsight/core/logging.hpp"
#include "secondsight/core/text.hpp"
#include "secondsight/store/findings_store.hpp"
#include "secondsight/store/state_lock.hpp"
#include "step.hpp"

namespace secondsight::app {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

constexpr auto k_retry_first = std::chrono::seconds(5);  // directory unavailable
constexpr auto k_retry_cap = std::chrono::seconds(300);

void notify(const std::string& state) {
  sd_notify(0, state.c_str());
}

// The daemon's clock: the system's, or one that started at --now and runs on. A value, so the
// scanning thread reads a copy of its own.
struct DaemonClock {
  std::optional<Instant> start;
  Clock::time_point steady_start = Clock::now();

  Instant now() const {
    if (!start) return system_now();
    return *start + std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - steady_start);
  }
};

class Daemon {
 public:
  explicit Daemon(DaemonOptions options)
      : m_options(std::move(options)),
        m_signals(m_io, SIGINT, SIGTERM, SIGHUP),
        m_poll_timer(m_io),
        m_safety_timer(m_io),
        m_knowledge_timer(m_io),
        m_watchdog_timer(m_io),
        m_logs(m_io, [this] { request({}); }) {}

  ~Daemon() {
    stop_follower();
    stop_scan_worker();
    stop_alert_worker();
  }

  // The steps, in the order the tables below walk them; each starts or stops one thing.

  // Start: the config and policies; a broken file refuses to start (exit 2).
  StepResult load_config(std::ostream& err) {
    auto loaded = load_config_and_policies(m_options.config, err);
    if (!loaded) return StepResult::exit(k_exit_usage);
    m_loaded = std::make_shared<const LoadedConfig>(std::move(*loaded));
    if (!m_options.now.empty()) {
      auto start = parse_now(m_options.now, m_loaded->config.zone);
      if (!start)
        return StepResult::fail(make_error("--now: " + start.error().message, ErrorKind::invalid));
      m_clock.start = *start;
    }
    return StepResult::go_on();
  }

  // Start: the state folder, for this daemon alone while it runs.
  StepResult hold_state_folder(std::ostream&) {
    auto lock = store::hold_daemon_lock(m_loaded->config.state_dir);
    if (!lock) return StepResult::fail(lock.error());
    m_daemon_lock.emplace(std::move(*lock));
    return StepResult::go_on();
  }

  // Start: the state database, opened once here to migrate and refuse a newer schema; the
  // scanning thread and the API each keep a connection of their own.
  StepResult open_store(std::ostream&) {
    auto database = store::Database::open(database_path(m_loaded->config));
    if (!database) return StepResult::fail(database.error());
    m_api_db.emplace(std::move(*database));
    return StepResult::go_on();
  }

  // Start: the local API, when configured.
  StepResult start_api(std::ostream&) {
    auto plan = plan_api(m_loaded->config.api);
    // An API that cannot start as configured (its token file, certificate or key, its address)
    // is the config's.
    if (!plan) return StepResult::fail(make_error(plan.error().message, ErrorKind::invalid));
    commit_api(std::move(*plan));
    return StepResult::go_on();
  }

  // Start: the scanning thread, with a copy of the daemon's clock; the daemon's uptime counts
  // from here.
  StepResult start_scan_worker(std::ostream&) {
    m_status.started = now();
    m_scans = std::make_unique<ScanWorker>([clock = m_clock] { return clock.now(); });
    m_scans->start();
    return StepResult::go_on();
  }

  // Start: the delivering thread.
  StepResult start_alert_worker(std::ostream&) {
    m_alerts = std::make_unique<AlertWorker>(
        m_loaded->config.state_dir, database_path(m_loaded->config), m_loaded->config.alerts);
    m_alerts->start();
    return StepResult::go_on();
  }

  // Start: the directory followed as it changes, where the server offers it; the poll timer is
  // then only the safety net for when following stops.
  StepResult follow_directory(std::ostream&) {
    start_follower();
    return StepResult::go_on();
  }

  // Start: SIGHUP reloads and retries the queued alerts now, SIGUSR1 only retries them, SIGINT
  // and SIGTERM stop.
  StepResult handle_signals(std::ostream&) {
    boost::system::error_code error;
    m_signals.add(SIGUSR1, error);
    if (error) m_log->warn("SIGUSR1 cannot retry alerts: {}", error.message());
    wait_for_signal();
    return StepResult::go_on();
  }

  // Start: the folders of the file sources, watched for new lines.
  StepResult watch_logs(std::ostream&) {
    m_logs.watch(m_loaded->config.audit_logs, m_loaded->config.daemon.safety_interval);
    return StepResult::go_on();
  }

  // Start: systemd's watchdog, pinged at half its interval when it is on.
  StepResult start_watchdog(std::ostream&) {
    std::uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return StepResult::go_on();
    m_watchdog_interval = std::chrono::microseconds(usec / 2);
    ping_watchdog();
    return StepResult::go_on();
  }

  // Start: the safety and knowledge timers; the poll timer follows each poll.
  StepResult start_timers(std::ostream&) {
    schedule_safety();
    schedule_knowledge();
    return StepResult::go_on();
  }

  // Start: a first scan that polls and refreshes knowledge; READY follows its end.
  StepResult first_scan(std::ostream&) {
    request({.poll = true, .knowledge = true});
    return StepResult::go_on();
  }

  // Stop: systemd is told, and the log says so.
  void notify_stopping() {
    notify("STOPPING=1");
    m_log->info("stopped");
  }

  // Stop: the directory's session ends; the thread is joined.
  void stop_follower() {
    if (m_follower) m_follower->stop();
    m_follower.reset();
  }

  // Stop: no scan is in flight once the loop has ended; the thread is joined.
  void stop_scan_worker() {
    if (m_scans) m_scans->stop();
  }

  // Stop: a delivery pass in flight ends within its budget.
  void stop_alert_worker() {
    if (m_alerts) m_alerts->stop();
  }

  // Stop: the state folder is free for another daemon.
  void release_state_folder() { m_daemon_lock.reset(); }

  // The event loop: scans, reloads and the API, until a signal stops it.
  void run() { m_io.run(); }

 private:
  Instant now() const { return m_clock.now(); }

  struct Request {
    bool poll = false;
    bool knowledge = false;
  };

  // Scans run one at a time on the scanning thread; what is asked meanwhile is merged into the
  // next one.
  void request(Request what) {
    m_pending.poll |= what.poll;
    m_pending.knowledge |= what.knowledge;
    m_pending_any = true;
    if (!m_scanning && !m_stopping) start_scan();
  }

  void start_scan() {
    ScanJob job;
    job.loaded = m_loaded;
    job.poll_directory = m_pending.poll || !m_directory;
    job.refresh_knowledge = m_pending.knowledge;
    job.directory = m_directory;
    job.build_view = m_loaded->config.api.enabled;
    m_pending = {};
    m_pending_any = false;
    m_scanning = true;
    m_scans->submit(std::move(job), [this](ScanOutcome outcome) {
      asio::post(m_io, [this, outcome = std::move(outcome)]() mutable {
        finish_scan(std::move(outcome));
      });
    });
  }

  // Back on the event loop.
  void finish_scan(ScanOutcome outcome) {
    m_scanning = false;
    if (outcome.polled_now) {
      ++m_status.directory_polls;
      if (outcome.polled) {
        take_directory(outcome.polled);
      } else {
        ++m_status.directory_poll_failures;
        ++m_poll_failures;
        m_status.directory_ok = false;
        m_status.directory_error = outcome.poll_error;
        m_log->error("directory unavailable{}: {}",
                     m_directory ? "; scanning on the last good snapshot" : "", outcome.poll_error);
      }
      schedule_poll();
    }
    if (outcome.view) m_dashboard.set_view(std::move(outcome.view));
    if (outcome.report) {
      auto& report = *outcome.report;
      const bool was_behind = !m_status.clock_behind.empty();
      const auto sources_before = m_status.sources;
      m_status.add_scan(report, outcome.seconds);
      log_source_changes(sources_before);
      if (report.clock_behind && !was_behind)
        m_log->error("{}", clock_behind_message(report));
      else if (!report.clock_behind && was_behind)
        m_log->info("the clock has passed the latest scan of the state: scanning again");
      m_status.last_error.clear();
      for (const auto& change : report.changes)
        m_log->info("{} {} {} {} ({})", to_string(change.kind), change.after.finding.kind,
                    change.after.finding.person.value_or("-"),
                    change.after.finding.system.value_or("-"),
                    to_string(change.after.finding.severity));
      if (!report.changes.empty()) wake_delivery();
    } else {
      ++m_status.scan_failures;
      m_status.last_error = outcome.report.error().message;
      m_log->error("scan failed: {}", m_status.last_error);
    }
    notify("STATUS=" + status_line());
    if (!m_ready) {
      m_ready = true;
      notify("READY=1");
    }
    if (m_stopping) {
      shutdown();
      return;
    }
    if (m_pending_any) start_scan();
  }

  // A source's failure is logged when it begins or changes, and its end once: not at every
  // scan while it lasts.
  void log_source_changes(const std::map<std::string, SourceTotals>& before) {
    for (const auto& [name, totals] : m_status.sources) {
      const auto was = before.find(name);
      const bool was_ok = was == before.end() || was->second.ok;
      if (!totals.ok && (was_ok || was->second.error != totals.error))
        m_log->error("log source {}: {}", name, totals.error);
      else if (totals.ok && !was_ok)
        m_log->info("log source {} is read again", name);
    }
  }

  std::string status_line() const {
    std::size_t open = 0;
    for (const auto& [key, count] : m_status.open_findings) open += count;
    std::string line =
        std::to_string(open) + " open findings; " + std::to_string(m_status.scans) + " scans";
    if (m_status.degraded()) line += "; degraded: " + m_status.problems().front();
    return line;
  }

  void start_follower() {
    const auto& directory = m_loaded->config.directory;
    if (!DirectoryFollower::wanted(directory)) {
      m_status.sync = DaemonStatus::Sync::off;
      return;
    }
    m_status.sync = DaemonStatus::Sync::starting;
    m_follower = std::make_unique<DirectoryFollower>(
        directory, m_loaded->config.zone, database_path(m_loaded->config),
        [this, follower = m_follower_generation](DirectoryFollower::Report report) {
          asio::post(m_io, [this, follower, report = std::move(report)]() mutable {
            if (follower == m_follower_generation) followed(std::move(report));
          });
        });
    m_follower->start();
  }

  // A complete snapshot of the directory, from a poll or from following its changes.
  void take_directory(std::shared_ptr<const directory::DirectorySnapshot> snapshot) {
    m_directory = std::move(snapshot);
    m_status.directory_ok = true;
    m_status.directory_error.clear();
    m_status.directory_polled = now();
    m_status.people = m_directory->people.size();
    m_status.groups = m_directory->groups.size();
    m_poll_failures = 0;
  }

  // Back on the event loop: what the follower saw.
  void followed(DirectoryFollower::Report report) {
    using Kind = DirectoryFollower::Report::Kind;
    switch (report.kind) {
      case Kind::snapshot:
        m_status.sync = DaemonStatus::Sync::following;
        m_status.sync_error.clear();
        take_directory(std::move(report.snapshot));
        request({});  // a scan on the directory as it is now
        break;
      case Kind::lost:
        m_status.sync = DaemonStatus::Sync::lost;
        m_status.sync_error = report.message;
        break;
      case Kind::unsupported:
        m_status.sync = DaemonStatus::Sync::unsupported;
        m_status.sync_error = report.message;
        break;
    }
  }

  void schedule_poll() {
    auto interval = m_loaded->config.directory.poll_interval;
    if (m_poll_failures > 0) {
      // Reconnect with backoff, never waiting longer than the poll interval.
      auto backoff = k_retry_first * (1 << std::min(m_poll_failures - 1, 6));
      interval = std::min<std::chrono::seconds>({interval, backoff, k_retry_cap});
    }
    m_poll_timer.expires_after(interval);
    m_poll_timer.async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      // While the directory is followed, its snapshot is current: no whole read.
      if (m_status.sync == DaemonStatus::Sync::following)
        schedule_poll();
      else
        request({.poll = true});
    });
  }

  void schedule_safety() {
    m_safety_timer.expires_after(m_loaded->config.daemon.safety_interval);
    m_safety_timer.async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      request({});
      schedule_safety();
    });
  }

  void schedule_knowledge() {
    m_knowledge_timer.expires_after(m_loaded->config.daemon.knowledge_interval);
    m_knowledge_timer.async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      request({.knowledge = true});
      schedule_knowledge();
    });
  }

  void ping_watchdog() {
    notify("WATCHDOG=1");
    m_watchdog_timer.expires_after(m_watchdog_interval);
    m_watchdog_timer.async_wait([this](boost::system::error_code ec) {
      if (!ec) ping_watchdog();
    });
  }

  void wait_for_signal() {
    m_signals.async_wait([this](boost::system::error_code ec, int signal) {
      if (ec) return;
      if (signal == SIGHUP || signal == SIGUSR1) {
        // Both: whatever waits in the outbox is tried now; SIGHUP reloads first.
        if (signal == SIGHUP) reload();
        if (m_alerts) m_alerts->retry_now();
        wait_for_signal();
        return;
      }
      m_log->info("signal {}: stopping{}", signal,
                  m_scanning ? " once the scan in flight is done" : "");
      m_stopping = true;
      if (!m_scanning) shutdown();
    });
  }

  // What the API becomes under `api`: its token, certificate and key read (again at each
  // reload: a renewed certificate is put in force by a reload), and a listener on its address
  // when there is none there yet. Nothing in force changes until commit_api.
  struct ApiPlan {
    bool enabled = false;
    std::string listen;
    std::string token;
    std::vector<dashboard::NamedToken> people;  // dashboard_tokens_file's
    std::shared_ptr<ApiTls> tls;       // null: plain HTTP, which the loader allows on loopback only
    std::unique_ptr<ApiServer> fresh;  // a new listener, to replace the one in force
  };

  Result<ApiPlan> plan_api(const config::ApiConfig& api) {
    ApiPlan plan;
    if (!api.enabled) return plan;
    plan.enabled = true;
    plan.listen = api.listen;
    auto token = read_secret_file(api.token_file.string(), "api token_file");
    if (!token) return token.error();
    plan.token = std::move(*token);
    if (!api.dashboard_tokens_file.empty()) {
      auto people = dashboard::read_tokens_file(api.dashboard_tokens_file);
      if (!people) return people.error();
      plan.people = std::move(*people);
    }
    if (api.tls()) {
      auto tls = load_api_tls(api.tls_cert_file, api.tls_key_file);
      if (!tls) return tls.error();
      plan.tls = std::move(*tls);
    }
    if (!m_api || api.listen != m_api_listen) {
      auto server = ApiServer::start(m_io, api.listen, plan.token, plan.tls,
                                     [this](const ApiRequest& request) { return serve(request); });
      if (!server) return server.error();
      plan.fresh = std::move(*server);
    }
    return plan;
  }

  void commit_api(ApiPlan plan) {
    if (plan.enabled) m_dashboard.set_tokens(plan.token, std::move(plan.people));
    if (!plan.enabled) {
      if (m_api) m_log->info("api stopped: no api in the config");
      m_api.reset();
      m_api_listen.clear();
    } else if (plan.fresh) {
      m_api = std::move(plan.fresh);  // the previous listener closes here
      m_api_listen = plan.listen;
      m_log->info("api listening on {} ({})", m_api_listen, plan.tls ? "TLS" : "plain HTTP");
    } else {
      m_api->set_credentials(std::move(plan.token), std::move(plan.tls));
    }
  }

  // SIGHUP: the config and policies again, applied whole: the API's token and address, the
  // directory, sources and their watches, sinks, intervals, policies. A file with errors, or a
  // setting that cannot be applied (a token file unreadable, an address in use), leaves the
  // last good ones in force. The state folder is the one thing that needs a restart.
  void reload() {
    notify("RELOADING=1");
    std::ostringstream problems;
    auto loaded = load_config_and_policies(m_options.config, problems);
    if (!loaded) {
      std::istringstream lines(problems.str());
      for (std::string line; std::getline(lines, line);) m_log->error("reload: {}", line);
      fail_reload("config or policies have errors; the previous ones stay in force");
      notify("READY=1\nSTATUS=" + status_line());
      return;
    }
    auto next = std::make_shared<LoadedConfig>(std::move(*loaded));
    auto& config = next->config;
    const auto& current = m_loaded->config;

    auto api = plan_api(config.api);
    if (!api) {
      fail_reload(api.error().message + "; the previous config and policies stay in force");
      notify("READY=1\nSTATUS=" + status_line());
      return;
    }

    if (config.state_dir != current.state_dir) {
      m_status.restart_needed = "state_dir is " + config.state_dir.string() +
                                " in the config but the daemon uses " + current.state_dir.string() +
                                "; restart it to move";
      m_log->warn("reload: {}", m_status.restart_needed);
      config.state_dir = current.state_dir;
    } else {
      m_status.restart_needed.clear();
    }
    if (!same_directory(config.directory, current.directory)) {
      // The last good snapshot is of another directory now.
      m_directory.reset();
      m_poll_failures = 0;
    }
    commit_api(std::move(*api));
    m_loaded = std::move(next);
    m_status.reload_error.clear();
    m_status.forget_sources_except(m_loaded->config.audit_logs);
    m_log->info("reloaded {}", m_options.config.string());

    m_logs.watch(m_loaded->config.audit_logs, m_loaded->config.daemon.safety_interval);
    schedule_safety();
    schedule_knowledge();
    reconfigure_delivery();
    // Followed again with the new settings (its attributes, zone, searches): from the kept
    // cookies when it is the same directory, so only what changed meanwhile travels.
    stop_follower();
    ++m_follower_generation;  // what the old one posted is not for the new settings
    start_follower();
    request({.poll = true, .knowledge = true});
    notify("READY=1\nSTATUS=" + status_line());
  }

  void fail_reload(const std::string& why) {
    m_status.reload_error = why;
    m_log->error("reload failed: {}", why);
  }

  static bool same_directory(const config::DirectoryConfig& a, const config::DirectoryConfig& b) {
    return a.uri == b.uri && a.ldif_path == b.ldif_path && a.bind_dn == b.bind_dn &&
           a.flavor == b.flavor && a.people.base == b.people.base &&
           a.people.filter == b.people.filter && a.groups.base == b.groups.base &&
           a.groups.filter == b.groups.filter;
  }

  // Ends the event loop: signals, timers, log watches and the API are closed first, so
  // nothing new starts.
  void shutdown() {
    boost::system::error_code ignored;
    m_signals.cancel(ignored);
    m_poll_timer.cancel();
    m_safety_timer.cancel();
    m_knowledge_timer.cancel();
    m_watchdog_timer.cancel();
    m_logs.stop();
    if (m_api) m_api->stop();
    m_io.stop();
  }

  void reconfigure_delivery() {
    if (m_alerts) m_alerts->replace_sinks(m_loaded->config.alerts);
  }

  void wake_delivery() {
    if (m_alerts) m_alerts->wake();
  }

  ApiResponse serve(const ApiRequest& request) {
    if (m_follower) {
      const auto counts = m_follower->counts();
      m_status.sync_updates = counts.updates;
      m_status.sync_refreshes_whole = counts.refreshes_whole;
      m_status.sync_refreshes_from_cookie = counts.refreshes_from_cookie;
      m_status.sync_refreshes_required = counts.refreshes_required;
      m_status.sync_connections_lost = counts.connections_lost;
    }
    return answer_api(request, ApiContext{m_status, *m_api_db, m_alerts.get(), now(),
                                          m_loaded->config.alerts, &m_dashboard});
  }

  DaemonOptions m_options;
  std::shared_ptr<spdlog::logger> m_log = logger("daemon");
  asio::io_context m_io;
  asio::signal_set m_signals;
  asio::steady_timer m_poll_timer;
  asio::steady_timer m_safety_timer;
  asio::steady_timer m_knowledge_timer;
  asio::steady_timer m_watchdog_timer;
  LogWatch m_logs;

  std::optional<store::FolderLock> m_daemon_lock;
  // The workers post back to m_io: declared after it, so they go first.
  std::unique_ptr<ScanWorker> m_scans;
  std::unique_ptr<AlertWorker> m_alerts;
  std::unique_ptr<DirectoryFollower> m_follower;
  std::uint64_t m_follower_generation = 0;

  std::shared_ptr<const LoadedConfig> m_loaded;
  std::optional<store::Database> m_api_db;  // the event loop's connection
  std::unique_ptr<ApiServer> m_api;
  std::string m_api_listen;          // where m_api listens
  dashboard::Dashboard m_dashboard;  // the sessions and the latest scan's view
  std::shared_ptr<const directory::DirectorySnapshot> m_directory;  // the last good poll

  DaemonClock m_clock;
  DaemonStatus m_status;
  Request m_pending;
  bool m_pending_any = false;
  bool m_scanning = false;
  bool m_stopping = false;
  bool m_ready = false;
  int m_poll_failures = 0;
  std::chrono::microseconds m_watchdog_interval{0};
};

struct StartStep {
  std::string_view name;
  StepResult (Daemon::*run)(std::ostream& err);
};

struct StopStep {
  std::string_view name;
  void (Daemon::*run)();
};

// The daemon's start, in order.
constexpr std::array k_start{
    StartStep{"load config", &Daemon::load_config},
    StartStep{"hold the state folder", &Daemon::hold_state_folder},
    StartStep{"open store", &Daemon::open_store},
    StartStep{"start API", &Daemon::start_api},
    StartStep{"start the scan worker", &Daemon::start_scan_worker},
    StartStep{"start the alert worker", &Daemon::start_alert_worker},
    StartStep{"follow the directory", &Daemon::follow_directory},
    StartStep{"signals", &Daemon::handle_signals},
    StartStep{"log watches", &Daemon::watch_logs},
    StartStep{"watchdog", &Daemon::start_watchdog},
    StartStep{"timers", &Daemon::start_timers},
    StartStep{"first scan", &Daemon::first_scan},
};

// The daemon's stop, in order, once the event loop has ended.
constexpr std::array k_stop{
    StopStep{"notify stopping", &Daemon::notify_stopping},
    StopStep{"stop following the directory", &Daemon::stop_follower},
    StopStep{"stop the scan worker", &Daemon::stop_scan_worker},
    StopStep{"stop the alert worker", &Daemon::stop_alert_worker},
    StopStep{"release the state folder", &Daemon::release_state_folder},
};

}  // namespace

// The start steps in order until one says stop, the event loop, the stop steps. A start that
// stops early leaves what it began to the destructors.
int command_daemon(const DaemonOptions& options, std::ostream& err) {
  const auto log = logger("daemon");
  // What the start prints (the config's problems, why it stopped) goes to the journal with the
  // priority of each line under systemd, as the log does.
  const bool journal = stderr_is_journal();
  std::ostringstream said;
  const auto relay = [&] {
    std::istringstream lines(said.str());
    for (std::string line; std::getline(lines, line);) {
      if (journal) err << (line.find("warning:") != std::string::npos ? "<4>" : "<3>");
      err << line << '\n';
    }
    said.str("");
  };
  Daemon daemon(options);
  for (const auto& step : k_start) {
    log->debug("start: {}", step.name);
    const auto result = (daemon.*step.run)(said);
    relay();
    if (result.goes_on()) continue;
    if (result.error()) said << message_line("secondsight: ", result.error()->message);
    relay();
    return result.exit_code();
  }
  daemon.run();
  for (const auto& step : k_stop) {
    log->debug("stop: {}", step.name);
    (daemon.*step.run)();
  }
  return k_exit_ok;
}

}  // namespace secondsight::app
