// The evidence log: every change of every finding and every ack, append-only, each entry
// chained to the one before by SHA-256, so that editing, removing or reordering an entry is
// detected by `secondsight evidence verify`.
//
// The chain: hash(n) = SHA-256(raw bytes of hash(n-1) || entry bytes(n)), with 32 zero bytes
// before the first entry. The entry bytes are its fields seq (decimal), at, fingerprint,
// change, severity and payload, in that order, each written as netstring: the decimal length
// in bytes, ':', the bytes, ','. The payload is hashed as stored, byte for byte.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "secondsight/core/result.hpp"
#include "secondsight/core/time.hpp"
#include "secondsight/store/database.hpp"

namespace secondsight::store {

struct EvidenceEntry {
  std::int64_t seq = 0;
  std::string at;  // RFC 3339, as stored
  std::string fingerprint;
  std::string change;  // opened escalated deescalated resolved reopened acked ack_expired
                       // alert_skipped handover_recorded handover_revoked dashboard_login
                       // dashboard_logout
  std::string severity;
  std::string payload;    // JSON, as stored
  std::string prev_hash;  // hex
  std::string hash;       // hex
};

// A person logged in to the dashboard or out of it (payload: by, from): entries of no finding,
// under the fingerprint k_dashboard_key.
inline constexpr const char* k_dashboard_login = "dashboard_login";
inline constexpr const char* k_dashboard_logout = "dashboard_logout";
inline constexpr const char* k_dashboard_key = "dashboard";

// The hash of `entry` after an entry whose hash is `prev_hash` (hex, 64 characters).
std::string evidence_hash(std::string_view prev_hash, const EvidenceEntry& entry);

// 64 zeros: what the first entry follows.
inline constexpr std::string_view k_evidence_genesis =
    "0000000000000000000000000000000000000000000000000000000000000000";

struct EvidenceVerdict {
  std::int64_t entries = 0;  // entries read
  std::int64_t head_seq = 0;
  std::string head_hash;  // the last entry's hash: an anchor to keep elsewhere
  // The first entry that is not as written, and what is wrong with it.
  std::optional<std::int64_t> first_bad_seq;
  std::string problem;

  bool intact() const { return !first_bad_seq; }
};

class EvidenceLog {
 public:
  explicit EvidenceLog(Database& db) : m_db(&db) {}

  // Appends one entry; call inside a Transaction (the one that makes the change), so the
  // entry and the change are written together. Statements are prepared once per EvidenceLog.
  Result<EvidenceEntry> append(Instant at, std::string_view fingerprint, std::string_view change,
                               std::string_view severity, const nlohmann::json& payload);

  // Entries in seq order: of one finding, or all.
  Result<std::vector<EvidenceEntry>> entries(const std::optional<std::string>& fingerprint) const;

  // Walks the whole log and reports the first entry that was edited, removed or moved. When
  // `anchor` is given (a seq and the hash an alert or an earlier verify reported for it), an
  // entry removed from the end is caught too.
  Result<EvidenceVerdict> verify(
      const std::optional<std::pair<std::int64_t, std::string>>& anchor = std::nullopt) const;

 private:
  Database* m_db;
  std::optional<Statement> m_last;
  std::optional<Statement> m_insert;
};

}  // namespace secondsight::store
