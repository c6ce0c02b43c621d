#include "directory_follower.hpp"

#include <optional>

#include "secondsight/core/logging.hpp"
#include "secondsight/directory/entry.hpp"
#include "secondsight/directory/ldap_sync.hpp"
#include "secondsight/directory/sync.hpp"
#include "secondsight/store/database.hpp"
#include "secondsight/store/directory_replica.hpp"

namespace secondsight::app {
namespace {

using Clock = std::chrono::steady_clock;
using directory::SyncProgress;
using directory::SyncScope;

// How long one wait for the server lasts: the longest a stop waits for the thread.
constexpr std::chrono::milliseconds k_receive_wait{250};
// Changes that keep arriving are handed over at least this often.
constexpr auto k_longest_hold = std::chrono::seconds(1);
constexpr auto k_first_backoff = std::chrono::seconds(1);
constexpr auto k_longest_backoff = std::chrono::seconds(300);

}  // namespace

DirectoryFollower::DirectoryFollower(config::DirectoryConfig config, Zone zone,
                                     std::filesystem::path database,
                                     std::function<void(Report)> report)
    : m_config(std::move(config)),
      m_zone(zone),
      m_database(std::move(database)),
      m_report(std::move(report)) {}

DirectoryFollower::~DirectoryFollower() {
  stop();
}

bool DirectoryFollower::wanted(const config::DirectoryConfig& config) {
  const std::string scheme = directory::to_lower(config.uri.substr(0, config.uri.find("://")));
  return config.sync && (scheme == "ldap" || scheme == "ldaps");
}

void DirectoryFollower::start() {
  m_thread = std::thread([this] { run(); });
}

void DirectoryFollower::stop() {
  if (!m_thread.joinable()) return;
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_wake.notify_all();
  m_thread.join();
}

DirectoryFollower::Counts DirectoryFollower::counts() const {
  return {m_updates.load(), m_refreshes_whole.load(), m_refreshes_from_cookie.load(),
          m_refreshes_required.load(), m_connections_lost.load()};
}

bool DirectoryFollower::pause(std::chrono::milliseconds wait) {
  std::unique_lock lock(m_mutex);
  m_wake.wait_for(lock, wait, [this] { return m_stopping.load(); });
  return !m_stopping;
}

void DirectoryFollower::run() {
  auto log = logger("directory");
  const std::string identity = directory::sync_identity(m_config);
  directory::SyncReplica replica;

  // The replica kept by the last run, and the connection that keeps it from here on. Without
  // the database the follower still follows; every start is then a whole refresh.
  std::optional<store::Database> database;
  if (auto opened = store::Database::open(m_database); opened)
    database.emplace(std::move(*opened));
  else
    log->error("content synchronisation cannot keep its replica: {}", opened.error().message);
  auto save = [&] {
    if (!database) return;
    if (auto saved = store::DirectoryReplicaStore(*database).save(identity, replica); !saved)
      log->error("content synchronisation cannot keep its replica: {}", saved.error().message);
  };
  if (database) {
    if (auto loaded = store::DirectoryReplicaStore(*database).load(identity, replica); !loaded) {
      log->error("the kept directory replica cannot be read ({}); refreshing it whole",
                 loaded.error().message);
      replica.clear();
    }
  }

  auto backoff = std::chrono::duration_cast<std::chrono::milliseconds>(k_first_backoff);
  bool lost = false;     // said once per outage
  std::string unusable;  // why the last snapshot could not be built, said once
  std::uint64_t handed_over = ~std::uint64_t{0};
  auto lose = [&](const std::string& message) {
    ++m_connections_lost;
    if (!lost)
      log->error("{}; following again in {} s, and polling meanwhile", message,
                 std::chrono::duration_cast<std::chrono::seconds>(backoff).count());
    lost = true;
    m_report({Report::Kind::lost, nullptr, message});
  };

  while (!m_stopping) {
    auto made = directory::make_sync_session(m_config);
    if (!made) {
      log->warn("{}: cannot follow the directory ({}); polling every {} s", m_config.uri,
                made.error().message, m_config.poll_interval.count());
      m_report({Report::Kind::unsupported, nullptr, made.error().message});
      return;
    }
    auto session = std::move(*made);
    const bool from_cookie =
        !replica.cookie(SyncScope::people).empty() && !replica.cookie(SyncScope::groups).empty();
    if (!from_cookie) replica.clear();
    auto started = session->start(replica);
    if (!started) {
      lose(started.error().message);
      if (!pause(backoff)) return;
      backoff = std::min<std::chrono::milliseconds>(backoff * 2, k_longest_backoff);
      continue;
    }
    ++(from_cookie ? m_refreshes_from_cookie : m_refreshes_whole);
    handed_over = ~std::uint64_t{0};  // each refresh ends in a snapshot, changed or not
    log->debug("{}: content synchronisation started ({})", session->name(),
               from_cookie ? "from the kept cookies" : "whole");

    bool holding = false;  // changes wait to be handed over
    Clock::time_point held_since;
    while (!m_stopping) {
      auto progress = session->receive(replica, k_receive_wait);
      if (!progress) {
        save();  // what arrived before the loss, and its cookie
        lose(progress.error().message);
        if (!pause(backoff)) return;
        backoff = std::min<std::chrono::milliseconds>(backoff * 2, k_longest_backoff);
        break;
      }
      for (const auto& warning : progress->warnings) log->warn("{}", warning);
      if (progress->state == SyncProgress::State::unsupported) {
        const std::string why =
            progress->warnings.empty() ? session->name() : progress->warnings.front();
        log->warn("{}: the server does not offer content synchronisation; polling every {} s",
                  session->name(), m_config.poll_interval.count());
        m_report({Report::Kind::unsupported, nullptr, why});
        return;
      }
      if (progress->state == SyncProgress::State::refresh_required) {
        ++m_refreshes_required;
        log->info("{}: the server no longer accepts the kept cookie; refreshing whole",
                  session->name());
        replica.clear();
        save();
        break;
      }
      if (!replica.refreshed() || replica.version() == handed_over) continue;
      // Changes come in bursts: they are handed over when a wait brings nothing more, or after
      // k_longest_hold when they keep coming.
      const auto now = Clock::now();
      if (!holding) held_since = now;
      holding = true;
      if (progress->messages > 0 && now - held_since < k_longest_hold) continue;
      holding = false;
      const auto saving = Clock::now();
      save();
      const auto building = Clock::now();
      auto snapshot = directory::build_snapshot(replica, m_config, m_zone, session->name());
      handed_over = replica.version();
      const auto ms = [](Clock::duration d) {
        return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
      };
      log->debug("{}: changes kept in {} ms, snapshot built in {} ms", session->name(),
                 ms(building - saving), ms(Clock::now() - building));
      if (!snapshot) {
        // The directory as it is cannot be read as one (two people with one id): as a poll that
        // is incomplete. Following goes on; the next change may mend it.
        const std::string why = session->name() + ": " + snapshot.error().message;
        if (why != unusable) log->error("{}", why);
        unusable = why;
        m_report({Report::Kind::lost, nullptr, why});
        continue;
      }
      unusable.clear();
      if (lost) log->info("{}: following the directory's changes again", session->name());
      lost = false;
      backoff = std::chrono::duration_cast<std::chrono::milliseconds>(k_first_backoff);
      ++m_updates;
      m_report({Report::Kind::snapshot,
                std::make_shared<const directory::DirectorySnapshot>(std::move(*snapshot)),
                {}});
    }
  }
}

}  // namespace secondsight::app
