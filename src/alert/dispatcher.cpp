#include "secondsight/alert/dispatcher.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <random>

#include "secondsight/core/logging.hpp"

namespace secondsight::alert {

namespace {

// Delivered alerts are kept this long (for `findings history`); the evidence log keeps all.
constexpr std::chrono::days k_keep_delivered{30};

std::function<double()> default_random() {
  auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
  return [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
}

}  // namespace

std::chrono::seconds retry_delay(const RetryPolicy& policy, std::int64_t failures, double random) {
  using std::chrono::seconds;
  seconds delay = policy.first;
  for (std::int64_t i = 1; i < failures && delay < policy.cap; ++i) delay *= 2;
  delay = std::min(delay, policy.cap);
  // Up to a quarter shorter, so that senders that failed together do not retry together;
  // whole seconds, at least one.
  const double factor = 1.0 - 0.25 * std::clamp(random, 0.0, 1.0);
  auto jittered = seconds(static_cast<seconds::rep>(static_cast<double>(delay.count()) * factor));
  return std::max(jittered, seconds(1));
}

Dispatcher::Dispatcher(store::Database& db, std::vector<ConfiguredSink> sinks, RetryPolicy policy)
    : m_outbox(db), m_sinks(std::move(sinks)), m_policy(std::move(policy)) {
  if (!m_policy.random) m_policy.random = default_random();
}

Result<DeliveryPass> Dispatcher::deliver_due(Instant now, Deadline deadline) {
  auto log = logger("alert");
  DeliveryPass pass;
  auto waiting = m_outbox.undelivered();
  if (!waiting) return waiting.error();
  std::map<std::string, std::int64_t> queued;
  for (const auto& backlog : *waiting) queued[backlog.sink] = backlog.count;
  auto due_at = [&](Instant at) {
    pass.next_due = pass.next_due ? std::min(*pass.next_due, at) : at;
  };

  for (const auto& configured : m_sinks) {
    auto count = queued.find(configured.key);
    if (count == queued.end()) continue;
    const std::string name = describe_sink(configured.key);
    const std::int64_t waiting_here = count->second;
    queued.erase(count);
    if (!configured.sink) {
      pass.problems.push_back(fmt::format("{} alert{} for {} stay queued: {}", waiting_here,
                                          waiting_here == 1 ? "" : "s", name, configured.error));
      log->warn("{}", pass.problems.back());
      continue;
    }
    for (;;) {
      auto head = m_outbox.head(configured.key);
      if (!head) return head.error();
      if (!*head) break;
      const store::OutboxEntry& alert = **head;
      if (alert.next_attempt_at && now < *alert.next_attempt_at) {
        due_at(*alert.next_attempt_at);
        break;
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        pass.out_of_time = true;
        due_at(now);
        return pass;
      }
      Delivery delivery = configured.sink->deliver(alert, deadline);
      if (delivery.outcome == Delivery::Outcome::delivered) {
        if (auto marked = m_outbox.mark_delivered(alert.id, now); !marked) return marked.error();
        ++pass.delivered;
        ++pass.delivered_by_sink[configured.key];
        log->debug("alert {} ({} {}) delivered to {}", alert.idempotency_key, alert.change,
                   alert.fingerprint, name);
        continue;
      }
      ++pass.failed;
      ++pass.failed_by_sink[configured.key];
      const bool refused = delivery.outcome == Delivery::Outcome::refused;
      const std::int64_t failures = alert.attempts + 1;
      std::chrono::seconds wait =
          refused ? m_policy.cap : retry_delay(m_policy, failures, m_policy.random());
      if (delivery.retry_after)
        wait = std::min(m_policy.cap, std::max(wait, *delivery.retry_after));
      const Instant next = now + wait;
      if (auto marked = m_outbox.mark_failed(alert.id, now, delivery.error, next, refused); !marked)
        return marked.error();
      due_at(next);
      std::string problem =
          fmt::format("{} (alert {} of {}, attempt {}; {} alert{} queued there; next try at {})",
                      delivery.error, alert.seq, name, failures, waiting_here,
                      waiting_here == 1 ? "" : "s", format_rfc3339(next));
      if (refused)
        log->error("{}", problem);
      else
        log->warn("{}", problem);
      pass.problems.push_back(std::move(problem));
      break;
    }
  }
  for (const auto& [sink, count] : queued) {
    pass.problems.push_back(
        fmt::format("{} alert{} for {} stay queued: that sink is no longer configured", count,
                    count == 1 ? "" : "s", describe_sink(sink)));
    log->warn("{}", pass.problems.back());
  }

  if (pass.delivered > 0) {
    if (auto pruned = m_outbox.prune_delivered(now - k_keep_delivered); !pruned)
      log->warn("cannot drop old delivered alerts: {}", pruned.error().message);
  }
  return pass;
}

}  // namespace secondsight::alert
