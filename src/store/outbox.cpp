#include "secondsight/store/outbox.hpp"

namespace secondsight::store {

namespace {

constexpr std::string_view k_columns =
    "id, sink, seq, fingerprint, change, payload, idempotency_key, created_at, attempts, "
    "next_attempt_at, delivered_at, failed_at, last_error, skipped_at, skipped_by, skip_reason";

std::optional<Instant> optional_time(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  auto at = parse_rfc3339(*text);
  if (!at) return std::nullopt;
  return *at;
}

Result<OutboxEntry> read_entry(const Statement& row) {
  OutboxEntry out;
  out.id = row.column_int(0);
  out.sink = row.column_text(1);
  out.seq = row.column_int(2);
  out.fingerprint = row.column_text(3);
  out.change = row.column_text(4);
  out.payload = row.column_text(5);
  out.idempotency_key = row.column_text(6);
  auto created = parse_rfc3339(row.column_text(7));
  if (!created)
    return make_error("state database: outbox row " + std::to_string(out.id) +
                      " has an unreadable created_at");
  out.created_at = *created;
  out.attempts = row.column_int(8);
  // An unreadable retry time means "at once": better a retry too early than never.
  out.next_attempt_at = optional_time(row.column_optional_text(9));
  out.delivered_at = optional_time(row.column_optional_text(10));
  out.failed_at = optional_time(row.column_optional_text(11));
  out.last_error = row.column_text(12);
  out.skipped_at = optional_time(row.column_optional_text(13));
  out.skipped_by = row.column_text(14);
  out.skip_reason = row.column_text(15);
  return out;
}

// Every row `stmt` gives, in its order.
Result<std::vector<OutboxEntry>> read_entries(Statement& stmt) {
  std::vector<OutboxEntry> out;
  for (;;) {
    auto row = stmt.step();
    if (!row) return row.error();
    if (!*row) break;
    auto entry = read_entry(stmt);
    if (!entry) return entry.error();
    out.push_back(std::move(*entry));
  }
  return out;
}

Result<void> run_once(Statement& stmt) {
  auto done = stmt.run();
  stmt.reset();
  return done;
}

}  // namespace

Result<void> Outbox::enqueue(const std::string& sink, const std::string& fingerprint,
                             const std::string& change, const std::string& payload,
                             const std::string& idempotency_key, Instant created_at) {
  if (!m_insert) {
    auto next = m_db->prepare("SELECT coalesce(max(seq), 0) + 1 FROM outbox WHERE sink = ?1");
    if (!next) return next.error();
    m_next_seq.emplace(std::move(*next));
    auto insert = m_db->prepare(
        "INSERT INTO outbox (sink, seq, fingerprint, change, payload, idempotency_key, "
        "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!insert) return insert.error();
    m_insert.emplace(std::move(*insert));
  }
  m_next_seq->bind(1, sink);
  auto row = m_next_seq->step();
  if (!row) {
    m_next_seq->reset();
    return row.error();
  }
  const std::int64_t seq = *row ? m_next_seq->column_int(0) : 1;
  m_next_seq->reset();
  m_insert->bind(1, sink)
      .bind(2, seq)
      .bind(3, fingerprint)
      .bind(4, change)
      .bind(5, payload)
      .bind(6, idempotency_key)
      .bind(7, format_rfc3339(created_at));
  return run_once(*m_insert);
}

Result<std::optional<OutboxEntry>> Outbox::head(const std::string& sink) {
  if (!m_head) {
    auto head = m_db->prepare("SELECT " + std::string(k_columns) +
                              " FROM outbox WHERE sink = ?1 AND delivered_at IS NULL "
                              "ORDER BY seq LIMIT 1");
    if (!head) return head.error();
    m_head.emplace(std::move(*head));
  }
  m_head->bind(1, sink);
  auto row = m_head->step();
  if (!row) {
    m_head->reset();
    return row.error();
  }
  std::optional<OutboxEntry> out;
  if (*row) {
    auto entry = read_entry(*m_head);
    if (!entry) {
      m_head->reset();
      return entry.error();
    }
    out = std::move(*entry);
  }
  m_head->reset();
  return out;
}

Result<std::vector<Outbox::Backlog>> Outbox::undelivered() const {
  auto stmt = m_db->prepare(
      "SELECT sink, count(*), min(created_at) FROM outbox WHERE delivered_at IS NULL "
      "GROUP BY sink ORDER BY sink");
  if (!stmt) return stmt.error();
  std::vector<Backlog> out;
  for (;;) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) break;
    Backlog backlog{stmt->column_text(0), stmt->column_int(1), {}};
    // RFC 3339 UTC with a fixed layout sorts as time does, so min() is the oldest.
    if (auto oldest = parse_rfc3339(stmt->column_text(2))) backlog.oldest = *oldest;
    out.push_back(std::move(backlog));
  }
  return out;
}

Result<std::vector<OutboxEntry>> Outbox::of(const std::optional<std::string>& fingerprint) const {
  auto stmt = m_db->prepare("SELECT " + std::string(k_columns) +
                            " FROM outbox WHERE ?1 IS NULL OR fingerprint = ?1 ORDER BY id");
  if (!stmt) return stmt.error();
  stmt->bind(1, fingerprint);
  return read_entries(*stmt);
}

Result<std::vector<OutboxEntry>> Outbox::queued() const {
  auto stmt = m_db->prepare("SELECT " + std::string(k_columns) +
                            " FROM outbox WHERE delivered_at IS NULL ORDER BY sink, seq");
  if (!stmt) return stmt.error();
  return read_entries(*stmt);
}

Result<std::optional<OutboxEntry>> Outbox::find(std::int64_t id) const {
  auto stmt = m_db->prepare("SELECT " + std::string(k_columns) + " FROM outbox WHERE id = ?1");
  if (!stmt) return stmt.error();
  stmt->bind(1, id);
  auto row = stmt->step();
  if (!row) return row.error();
  if (!*row) return std::optional<OutboxEntry>();
  auto entry = read_entry(*stmt);
  if (!entry) return entry.error();
  return std::optional<OutboxEntry>(std::move(*entry));
}

Result<void> Outbox::skip(std::int64_t id, Instant at, const std::string& by,
                          const std::string& reason) {
  auto stmt = m_db->prepare(
      "UPDATE outbox SET delivered_at = ?2, skipped_at = ?2, skipped_by = ?3, skip_reason = ?4, "
      "next_attempt_at = NULL WHERE id = ?1 AND delivered_at IS NULL");
  if (!stmt) return stmt.error();
  stmt->bind(1, id).bind(2, format_rfc3339(at)).bind(3, by).bind(4, reason);
  if (auto done = stmt->run(); !done) return done;
  if (m_db->changes() != 1)
    return make_error("alert " + std::to_string(id) + " is not waiting for delivery",
                      ErrorKind::invalid);
  return {};
}

Result<std::int64_t> Outbox::retry_now(const std::optional<std::string>& sink) {
  auto transaction = Transaction::begin(*m_db);
  if (!transaction) return transaction.error();
  auto stmt = m_db->prepare(
      "UPDATE outbox SET next_attempt_at = NULL "
      "WHERE delivered_at IS NULL AND (?1 IS NULL OR sink = ?1)");
  if (!stmt) return stmt.error();
  stmt->bind(1, sink);
  if (auto done = stmt->run(); !done) return done.error();
  const std::int64_t waiting = m_db->changes();
  if (auto committed = transaction->commit(); !committed) return committed.error();
  return waiting;
}

Result<void> Outbox::mark_delivered(std::int64_t id, Instant at) {
  auto transaction = Transaction::begin(*m_db);
  if (!transaction) return transaction.error();
  auto stmt = m_db->prepare(
      "UPDATE outbox SET delivered_at = ?2, attempts = attempts + 1, next_attempt_at = NULL "
      "WHERE id = ?1 AND delivered_at IS NULL");
  if (!stmt) return stmt.error();
  stmt->bind(1, id).bind(2, format_rfc3339(at));
  if (auto done = stmt->run(); !done) return done;
  return transaction->commit();
}

Result<void> Outbox::mark_failed(std::int64_t id, Instant at, const std::string& error,
                                 Instant next_attempt_at, bool refused) {
  auto transaction = Transaction::begin(*m_db);
  if (!transaction) return transaction.error();
  auto stmt = m_db->prepare(
      "UPDATE outbox SET attempts = attempts + 1, last_error = ?3, next_attempt_at = ?4, "
      "failed_at = CASE WHEN ?5 THEN ?2 ELSE failed_at END "
      "WHERE id = ?1 AND delivered_at IS NULL");
  if (!stmt) return stmt.error();
  stmt->bind(1, id)
      .bind(2, format_rfc3339(at))
      .bind(3, error)
      .bind(4, format_rfc3339(next_attempt_at))
      .bind(5, std::int64_t{refused ? 1 : 0});
  if (auto done = stmt->run(); !done) return done;
  return transaction->commit();
}

Result<void> Outbox::prune_delivered(Instant before) {
  auto transaction = Transaction::begin(*m_db);
  if (!transaction) return transaction.error();
  auto stmt = m_db->prepare(
      "DELETE FROM outbox WHERE delivered_at IS NOT NULL AND delivered_at < ?1 "
      "AND seq < (SELECT max(seq) FROM outbox AS newest WHERE newest.sink = outbox.sink)");
  if (!stmt) return stmt.error();
  stmt->bind(1, format_rfc3339(before));
  if (auto done = stmt->run(); !done) return done;
  return transaction->commit();
}

}  // namespace secondsight::store
