// Delivery of the outbox: each sink gets its alerts one at a time, in order, each marked
// delivered in its own small transaction; a failed alert is retried with capped exponential
// backoff and blocks the ones after it, so a receiver that was down gets everything once, in
// order, when it is back. All state is in the database: a restart loses nothing.
//
// How to drive it:
// - `secondsight scan`: after reconcile, one deliver_due(now, deadline) with a short deadline;
//   whatever is left stays queued for the next scan or the daemon.
// - the daemon: a Dispatcher on a thread of its own, with its own Database connection (one
//   per thread), so detection never waits for a receiver. Loop: next = deliver_due(now());
//   then wait until next->next_due (nothing queued: until woken) or until a scan that queued
//   alerts wakes it (e.g. a steady_timer on that thread's io_context, cancelled through
//   post()); on stop, let the current pass end (its deadline bounds it).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "secondsight/alert/sink.hpp"
#include "secondsight/core/time.hpp"
#include "secondsight/store/database.hpp"
#include "secondsight/store/outbox.hpp"

namespace secondsight::alert {

struct RetryPolicy {
  std::chrono::seconds first{1};  // after the first failure
  std::chrono::seconds cap{300};  // doubling up to this; refusals (4xx) wait this long
  // Jitter, a number in [0, 1): each wait is shortened by up to a quarter. Default: random.
  std::function<double()> random;
};

// How long to wait after the `failures`-th failure in a row (1, 2, ...) before trying again.
std::chrono::seconds retry_delay(const RetryPolicy& policy, std::int64_t failures, double random);

struct DeliveryPass {
  std::size_t delivered = 0;
  std::size_t failed = 0;  // attempts that failed
  // The same, per sink key.
  std::map<std::string, std::size_t> delivered_by_sink;
  std::map<std::string, std::size_t> failed_by_sink;
  std::optional<Instant> next_due;    // when to run again; nullopt: nothing is waiting
  bool out_of_time = false;           // the deadline ended the pass with alerts still due
  std::vector<std::string> problems;  // failures, sinks that cannot deliver; each logged once here
};

class Dispatcher {
 public:
  Dispatcher(store::Database& db, std::vector<ConfiguredSink> sinks, RetryPolicy policy = {});

  // Delivers, sink by sink, every queued alert that is due at `now` (in each sink's order,
  // stopping at a sink's first failure), until `deadline`. `now` is the delivering clock:
  // attempts are stamped with it and retries scheduled from it.
  // Alerts of sinks that cannot deliver (not set up, no longer configured) are named in the
  // pass's problems and stay queued.
  Result<DeliveryPass> deliver_due(Instant now, Deadline deadline = Deadline::max());

 private:
  store::Outbox m_outbox;
  std::vector<ConfiguredSink> m_sinks;
  RetryPolicy m_policy;
};

}  // namespace secondsight::alert
