// The durable outbox: alerts waiting for delivery, one row per alert per sink, written in the
// transaction of the finding change they announce and marked delivered one by one, so neither
// a crash nor a receiver that is down for hours loses or reorders one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "secondsight/core/result.hpp"
#include "secondsight/core/time.hpp"
#include "secondsight/store/database.hpp"

namespace secondsight::store {

struct OutboxEntry {
  std::int64_t id = 0;
  std::string sink;
  std::int64_t seq = 0;
  std::string fingerprint;
  std::string change;
  std::string payload;  // JSON
  std::string idempotency_key;
  Instant created_at;
  std::int64_t attempts = 0;
  std::optional<Instant> next_attempt_at;  // nullopt: at once
  std::optional<Instant> delivered_at;     // also set when skipped
  std::optional<Instant> failed_at;
  std::string last_error;
  std::optional<Instant> skipped_at;  // an operator gave up on it
  std::string skipped_by;
  std::string skip_reason;

  bool settled() const { return delivered_at.has_value(); }
};

class Outbox {
 public:
  explicit Outbox(Database& db) : m_db(&db) {}

  // Queues one alert for `sink` after its last one. Call inside the Transaction of the change.
  Result<void> enqueue(const std::string& sink, const std::string& fingerprint,
                       const std::string& change, const std::string& payload,
                       const std::string& idempotency_key, Instant created_at);

  // The first undelivered alert of `sink`: the only one that may be tried.
  Result<std::optional<OutboxEntry>> head(const std::string& sink);
  // Sinks with undelivered alerts: how many each has, and when the oldest was queued.
  struct Backlog {
    std::string sink;
    std::int64_t count = 0;
    Instant oldest;
  };
  Result<std::vector<Backlog>> undelivered() const;
  // Alerts of one finding (or all), oldest first, for the history.
  Result<std::vector<OutboxEntry>> of(const std::optional<std::string>& fingerprint) const;
  // Every undelivered alert, by sink, then in the order the sink gets them.
  Result<std::vector<OutboxEntry>> queued() const;
  // One alert by its id.
  Result<std::optional<OutboxEntry>> find(std::int64_t id) const;

  // Each in its own small transaction: a delivery is recorded as soon as it is done.
  Result<void> mark_delivered(std::int64_t id, Instant at);
  // A failed attempt: attempts + 1, the error, and when to try again. `refused` marks a
  // failure that retrying soon will not cure (failed_at); the alert stays queued all the same.
  Result<void> mark_failed(std::int64_t id, Instant at, const std::string& error,
                           Instant next_attempt_at, bool refused);

  // Gives up on an undelivered alert: the sink goes on with the next one. Call inside a
  // Transaction (with the evidence entry that records it). An alert already delivered or
  // skipped is an error.
  Result<void> skip(std::int64_t id, Instant at, const std::string& by, const std::string& reason);
  // The waits of the undelivered alerts of `sink` (all sinks: nullopt) are over: each is due at
  // once. Returns how many alerts are waiting there.
  Result<std::int64_t> retry_now(const std::optional<std::string>& sink);

  // Drops delivered alerts older than `before`, keeping each sink's newest row (its seq).
  Result<void> prune_delivered(Instant before);

 private:
  Database* m_db;
  std::optional<Statement> m_next_seq;
  std::optional<Statement> m_insert;
  std::optional<Statement> m_head;
};

}  // namespace secondsight::store
