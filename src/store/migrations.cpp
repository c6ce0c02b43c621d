#include "secondsight/store/migrations.hpp"

#include <string>

namespace secondsight::store {

namespace {

// Append only: a released migration is never edited, a change is a new migration.
constexpr Migration k_migrations[] = {
    {1, "findings", R"sql(
CREATE TABLE findings (
  fingerprint TEXT PRIMARY KEY NOT NULL,
  kind        TEXT NOT NULL,
  person      TEXT,
  system      TEXT,
  severity    TEXT NOT NULL CHECK (severity IN ('info', 'low', 'medium', 'high', 'critical')),
  summary     TEXT NOT NULL,
  evidence    TEXT NOT NULL,  -- JSON object
  status      TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
  first_seen  TEXT NOT NULL,  -- RFC 3339 UTC, as all times here
  last_seen   TEXT NOT NULL,
  resolved_at TEXT,
  acked_until TEXT,
  ack_reason  TEXT,
  ack_by      TEXT
);
CREATE INDEX findings_by_status ON findings (status);

CREATE TABLE finding_events (
  id                INTEGER PRIMARY KEY,
  fingerprint       TEXT NOT NULL REFERENCES findings (fingerprint),
  at                TEXT NOT NULL,
  change            TEXT NOT NULL
                    CHECK (change IN ('opened', 'escalated', 'deescalated', 'resolved', 'reopened')),
  severity          TEXT NOT NULL,
  previous_severity TEXT
);
CREATE INDEX finding_events_by_fingerprint ON finding_events (fingerprint, id);
)sql"},
    {2, "activity", R"sql(
-- Where each log source was read up to; advanced in the transaction that stores what was read.
CREATE TABLE log_positions (
  source             TEXT PRIMARY KEY NOT NULL,  -- the source's name (its path as configured)
  device             INTEGER NOT NULL DEFAULT 0,
  inode              INTEGER NOT NULL DEFAULT 0,
  fingerprint        TEXT NOT NULL DEFAULT '',
  fingerprint_length INTEGER NOT NULL DEFAULT 0,
  offset             INTEGER NOT NULL DEFAULT 0,
  cursor             TEXT NOT NULL DEFAULT '',   -- journal sources
  updated_at         TEXT NOT NULL
);

-- Per person and system ('' for events no system's rules match), per local calendar day.
-- Times are Unix seconds.
CREATE TABLE activity_daily (
  person     TEXT NOT NULL,
  system     TEXT NOT NULL,
  day        TEXT NOT NULL,
  events     INTEGER NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen  INTEGER NOT NULL,
  PRIMARY KEY (person, system, day)
) WITHOUT ROWID;

-- The earliest event attributed to each system, resolved to a person or not.
CREATE TABLE system_coverage (
  system      TEXT PRIMARY KEY NOT NULL,
  first_event INTEGER NOT NULL
) WITHOUT ROWID;

-- Access events themselves, kept for evidence for a limited window; one row per system the
-- event is attributed to ('' for none). person is NULL when the identity resolved to no one.
CREATE TABLE access_events (
  time     INTEGER NOT NULL,
  day      TEXT NOT NULL,  -- local calendar day, as in activity_daily
  person   TEXT,
  identity TEXT NOT NULL,
  system   TEXT NOT NULL,
  source   TEXT NOT NULL,
  host     TEXT NOT NULL,
  action   TEXT NOT NULL,
  resource TEXT NOT NULL
);
CREATE INDEX access_events_by_time ON access_events (time);
CREATE INDEX access_events_by_person ON access_events (person, time);
CREATE INDEX access_events_by_day ON access_events (person, system, day);
)sql"},
    {3, "knowledge", R"sql(
-- The git history of each repository as read at one HEAD; read again only when HEAD moves.
CREATE TABLE repository_history (
  repository TEXT PRIMARY KEY NOT NULL,  -- the repository's path as resolved
  head       TEXT NOT NULL,
  history    TEXT NOT NULL,  -- JSON: identities, and per file its creator and changes
  read_at    TEXT NOT NULL
) WITHOUT ROWID;

-- Handovers recorded with `secondsight handover record`; handovers_file is read on each scan.
CREATE TABLE handovers (
  id          INTEGER PRIMARY KEY,
  person      TEXT NOT NULL,
  system      TEXT NOT NULL,
  receiver    TEXT NOT NULL,
  date        TEXT NOT NULL,  -- YYYY-MM-DD, the day it took place
  doc         TEXT NOT NULL DEFAULT '',
  recorded_by TEXT NOT NULL,  -- the user who ran the command
  recorded_at TEXT NOT NULL
);
CREATE INDEX handovers_by_person ON handovers (person, system);
)sql"},
    {4, "alerts and evidence", R"sql(
-- Alerts to deliver: one row per alert per sink, written in the transaction of the finding
-- change it announces. A sink gets its rows in seq order; only its first undelivered row is
-- ever tried, so row N+1 never goes out before row N.
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  sink            TEXT NOT NULL,     -- the sink's key: journal, jsonl:PATH, webhook:URL
  seq             INTEGER NOT NULL,  -- 1, 2, 3, ... per sink
  fingerprint     TEXT NOT NULL,
  change          TEXT NOT NULL,
  payload         TEXT NOT NULL,     -- the alert, JSON
  idempotency_key TEXT NOT NULL,     -- the same for every sink and every attempt of one alert
  created_at      TEXT NOT NULL,     -- the time of the change (the scan's clock)
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,              -- NULL: at once; else not before (the delivering clock)
  delivered_at    TEXT,
  failed_at       TEXT,              -- the last refusal that retrying soon would not cure
  last_error      TEXT,
  UNIQUE (sink, seq)
);
CREATE INDEX outbox_undelivered ON outbox (sink, seq) WHERE delivered_at IS NULL;
CREATE INDEX outbox_by_fingerprint ON outbox (fingerprint);

-- Every change of every finding and every ack, append-only, chained:
-- hash = SHA-256(prev_hash || entry bytes) (see evidence_log.hpp), so an edited, removed or
-- reordered entry breaks the chain.
CREATE TABLE evidence_log (
  seq         INTEGER PRIMARY KEY,  -- 1, 2, 3, ... without gaps
  at          TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  change      TEXT NOT NULL,        -- opened escalated deescalated resolved reopened acked ack_expired
  severity    TEXT NOT NULL,
  payload     TEXT NOT NULL,        -- JSON
  prev_hash   TEXT NOT NULL,        -- hex; 64 zeros for the first entry
  hash        TEXT NOT NULL         -- hex
);
CREATE INDEX evidence_log_by_fingerprint ON evidence_log (fingerprint, seq);

-- Every ack given with `secondsight findings ack`; findings.acked_until holds the current one.
CREATE TABLE acks (
  id          INTEGER PRIMARY KEY,
  fingerprint TEXT NOT NULL REFERENCES findings (fingerprint),
  until       TEXT NOT NULL,
  reason      TEXT NOT NULL,
  acked_by    TEXT NOT NULL,        -- the user who ran the command
  acked_at    TEXT NOT NULL
);
CREATE INDEX acks_by_fingerprint ON acks (fingerprint, id);
)sql"},
    {5, "checklists", R"sql(
-- Offboarding checklist items per person, once seen, and when they were seen done.
CREATE TABLE checklist_items (
  person     TEXT NOT NULL,
  item       TEXT NOT NULL,     -- stable id: account, group:<dn>, handover:<system>, policy:<n>
  position   INTEGER NOT NULL,  -- order on the checklist
  section    TEXT NOT NULL CHECK (section IN ('access', 'knowledge', 'other')),
  text       TEXT NOT NULL,
  details    TEXT NOT NULL,     -- JSON object
  due        TEXT,
  due_rule   TEXT NOT NULL,
  automatic  INTEGER NOT NULL,  -- 1: ticks itself when a scan sees it done
  first_seen TEXT NOT NULL,
  done_at    TEXT,
  done_how   TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (person, item)
) WITHOUT ROWID;
)sql"},
    {6, "skipped alerts", R"sql(
-- An alert an operator gave up on (`secondsight alerts skip`): delivered_at is set with
-- skipped_at, so the sink goes on with the next one; who and why are kept here and in the
-- evidence log.
ALTER TABLE outbox ADD COLUMN skipped_at TEXT;
ALTER TABLE outbox ADD COLUMN skipped_by TEXT;
ALTER TABLE outbox ADD COLUMN skip_reason TEXT;
)sql"},
    {7, "handover revocation", R"sql(
-- A recorded handover that was wrong is revoked, never deleted: it stays on record with who
-- revoked it, when and why, and no longer counts. NULL while the handover stands.
ALTER TABLE handovers ADD COLUMN revoked_at TEXT;
ALTER TABLE handovers ADD COLUMN revoked_by TEXT;
ALTER TABLE handovers ADD COLUMN revoked_reason TEXT;
)sql"},
    {8, "dashboard lookups", R"sql(
-- The dashboard's pages: a person's and a system's findings, and the history of open findings
-- over a window of days (the count before it summed from the index alone).
CREATE INDEX findings_by_person ON findings (person);
CREATE INDEX findings_by_system ON findings (system);
CREATE INDEX finding_events_by_time ON finding_events (at, change);
)sql"},
    {9, "directory replica", R"sql(
-- The directory as content synchronisation last left it: each entry of the people and groups
-- searches by its entryUUID, and per search its cookie and what it follows (the server and the
-- searches), so that a restart resumes from the cookie instead of reading everything.
CREATE TABLE directory_entries (
  scope TEXT NOT NULL CHECK (scope IN ('people', 'groups')),
  uuid  TEXT NOT NULL,
  entry BLOB NOT NULL,  -- the DN, then each attribute with its values, length-prefixed
  PRIMARY KEY (scope, uuid)
) WITHOUT ROWID;

CREATE TABLE directory_sync (
  scope    TEXT PRIMARY KEY NOT NULL CHECK (scope IN ('people', 'groups')),
  identity TEXT NOT NULL,
  cookie   BLOB NOT NULL
);
)sql"},
    {10, "access timeline", R"sql(
-- When each right of a seconded person was first seen, last seen and seen gone: one row per
-- stretch it was held. A held right's last sighting is the latest observation's time.
CREATE TABLE access_spans (
  person         TEXT NOT NULL,
  kind           TEXT NOT NULL CHECK (kind IN ('account', 'member', 'grant')),
  subject        TEXT NOT NULL,
  first_seen     TEXT NOT NULL,
  appeared_after TEXT,  -- the observation before first_seen; NULL at the first one ever
  last_seen      TEXT,  -- NULL while held
  gone           TEXT,  -- the first observation without it; NULL while held
  PRIMARY KEY (person, kind, subject, first_seen)
) WITHOUT ROWID;

-- The first and the latest complete observation of the directory.
CREATE TABLE access_observations (
  one    INTEGER PRIMARY KEY CHECK (one = 1),
  first  TEXT NOT NULL,
  latest TEXT NOT NULL
);
)sql"},
};

Result<int> user_version(Database& db) {
  auto stmt = db.prepare("PRAGMA user_version");
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return row.error();
  return *row ? static_cast<int>(stmt->column_int(0)) : 0;
}

}  // namespace

std::span<const Migration> schema_migrations() {
  return k_migrations;
}

int newest_schema_version() {
  return k_migrations[std::size(k_migrations) - 1].version;
}

Result<void> migrate(Database& db, std::span<const Migration> migrations) {
  const std::string where = "state database " + db.path().string();
  int newest = 0;
  for (const auto& migration : migrations) {
    if (migration.version != newest + 1)
      return make_error("internal error: migration " + std::to_string(migration.version) +
                        " is out of sequence");
    newest = migration.version;
  }

  auto version = user_version(db);
  if (!version) return make_error("cannot open " + where + ": " + version.error().message);
  if (*version > newest)
    return make_error(where + " has schema version " + std::to_string(*version) +
                      ", newer than this secondsight (" + std::to_string(newest) +
                      "); upgrade secondsight");

  for (const auto& migration : migrations) {
    if (migration.version <= *version) continue;
    auto fail = [&](const Error& error) {
      return make_error("cannot migrate " + where + " to schema version " +
                        std::to_string(migration.version) + " (" + std::string(migration.name) +
                        "): " + error.message);
    };
    auto transaction = Transaction::begin(db);
    if (!transaction) return fail(transaction.error());
    // Another process may have migrated while we waited for the write lock.
    auto current = user_version(db);
    if (!current) return fail(current.error());
    if (*current >= migration.version) continue;
    if (auto applied = db.exec(migration.sql); !applied) return fail(applied.error());
    // user_version lives in the file header, which is written in the same transaction.
    if (auto bumped = db.exec("PRAGMA user_version = " + std::to_string(migration.version));
        !bumped)
      return fail(bumped.error());
    if (auto committed = transaction->commit(); !committed) return fail(committed.error());
  }
  return {};
}

}  // namespace secondsight::store
