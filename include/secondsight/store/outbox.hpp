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
  std::optional<Instant> delivered_at;
  std::optional<Instant> failed_at;
  std::string last_error;
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
  // Sinks with undelivered alerts, and how many each has.
  Result<std::vector<std::pair<std::string, std::int64_t>>> undelivered() const;
  // Alerts of one finding (or all), oldest first, for the history.
  Result<std::vector<OutboxEntry>> of(const std::optional<std::string>& fingerprint) const;

  // Each in its own small transaction: a delivery is recorded as soon as it is done.
  Result<void> mark_delivered(std::int64_t id, Instant at);
  // A failed attempt: attempts + 1, the error, and when to try again. `refused` marks a
  // failure that retrying soon will not cure (failed_at); the alert stays queued all the same.
  Result<void> mark_failed(std::int64_t id, Instant at, const std::string& error,
                           Instant next_attempt_at, bool refused);

  // Drops delivered alerts older than `before`, keeping each sink's newest row (its seq).
  Result<void> prune_delivered(Instant before);

 private:
  Database* m_db;
  std::optional<Statement> m_next_seq;
  std::optional<Statement> m_insert;
  std::optional<Statement> m_head;
};

}  // namespace secondsight::store
