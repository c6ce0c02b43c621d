#include "secondsight/store/evidence_log.hpp"

#include <openssl/evp.h>

#include <array>
#include <map>
#include <memory>

#include "secondsight/core/text.hpp"

namespace secondsight::store {

namespace {

constexpr std::string_view k_columns =
    "seq, at, fingerprint, change, severity, payload, prev_hash, hash";

std::string hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out += k_hex[bytes[i] >> 4];
    out += k_hex[bytes[i] & 0xf];
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The raw bytes of a hex hash; a value that is no hash hashes as what it is, so a damaged
// prev_hash still yields a (wrong) hash instead of an error.
std::string unhex(std::string_view text) {
  std::string out;
  if (text.size() % 2 != 0) return std::string(text);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    int high = hex_value(text[i]), low = hex_value(text[i + 1]);
    if (high < 0 || low < 0) return std::string(text);
    out += static_cast<char>(high * 16 + low);
  }
  return out;
}

void netstring(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
  out += ',';
}

std::string entry_bytes(const EvidenceEntry& entry) {
  std::string out;
  netstring(out, std::to_string(entry.seq));
  netstring(out, entry.at);
  netstring(out, entry.fingerprint);
  netstring(out, entry.change);
  netstring(out, entry.severity);
  netstring(out, entry.payload);
  return out;
}

EvidenceEntry read_entry(const Statement& row) {
  return EvidenceEntry{row.column_int(0),  row.column_text(1), row.column_text(2),
                       row.column_text(3), row.column_text(4), row.column_text(5),
                       row.column_text(6), row.column_text(7)};
}

std::string payload_text(const nlohmann::json& payload) {
  // Text from directories and logs need not be valid UTF-8: replace bad bytes, never throw.
  return json_text(payload);
}

}  // namespace

std::string evidence_hash(std::string_view prev_hash, const EvidenceEntry& entry) {
  const std::string material = unhex(prev_hash) + entry_bytes(entry);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(material.data(), material.size(), digest.data(), &length, EVP_sha256(), nullptr);
  return hex(digest.data(), length);
}

Result<EvidenceEntry> EvidenceLog::append(Instant at, std::string_view fingerprint,
                                          std::string_view change, std::string_view severity,
                                          const nlohmann::json& payload) {
  if (!m_last) {
    auto last = m_db->prepare("SELECT seq, hash FROM evidence_log ORDER BY seq DESC LIMIT 1");
    if (!last) return last.error();
    m_last.emplace(std::move(*last));
    auto insert = m_db->prepare("INSERT INTO evidence_log (" + std::string(k_columns) +
                                ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!insert) return insert.error();
    m_insert.emplace(std::move(*insert));
  }
  // Read each time rather than cached: another EvidenceLog may have appended in between.
  EvidenceEntry entry;
  entry.seq = 1;
  entry.prev_hash = k_evidence_genesis;
  auto row = m_last->step();
  if (!row) return row.error();
  if (*row) {
    entry.seq = m_last->column_int(0) + 1;
    entry.prev_hash = m_last->column_text(1);
  }
  m_last->reset();
  entry.at = format_rfc3339(at);
  entry.fingerprint = fingerprint;
  entry.change = change;
  entry.severity = severity;
  entry.payload = payload_text(payload);
  entry.hash = evidence_hash(entry.prev_hash, entry);
  m_insert->bind(1, entry.seq)
      .bind(2, entry.at)
      .bind(3, entry.fingerprint)
      .bind(4, entry.change)
      .bind(5, entry.severity)
      .bind(6, entry.payload)
      .bind(7, entry.prev_hash)
      .bind(8, entry.hash);
  auto done = m_insert->run();
  m_insert->reset();
  if (!done) return done.error();
  return entry;
}

Result<std::vector<EvidenceEntry>> EvidenceLog::entries(
    const std::optional<std::string>& fingerprint) const {
  auto stmt = m_db->prepare("SELECT " + std::string(k_columns) +
                            " FROM evidence_log WHERE ?1 IS NULL OR fingerprint = ?1 ORDER BY seq");
  if (!stmt) return stmt.error();
  stmt->bind(1, fingerprint);
  std::vector<EvidenceEntry> out;
  for (;;) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back(read_entry(*stmt));
  }
  return out;
}

Result<EvidenceVerdict> EvidenceLog::verify(
    const std::optional<std::pair<std::int64_t, std::string>>& anchor) const {
  auto all = entries(std::nullopt);
  if (!all) return all.error();
  EvidenceVerdict verdict;
  auto fail = [&](std::int64_t seq, std::string problem) {
    if (verdict.first_bad_seq) return;
    verdict.first_bad_seq = seq;
    verdict.problem = std::move(problem);
  };
  // Which entry wrote each hash, to tell an entry moved elsewhere from one edited.
  std::map<std::string, std::int64_t> written_by;
  for (const auto& entry : *all) written_by.emplace(entry.hash, entry.seq);

  std::int64_t expected = 1;
  std::string prev(k_evidence_genesis);
  for (const auto& entry : *all) {
    ++verdict.entries;
    verdict.head_seq = entry.seq;
    verdict.head_hash = entry.hash;
    if (verdict.first_bad_seq) continue;
    const std::string n = std::to_string(entry.seq);
    if (entry.seq != expected) {
      fail(expected, entry.seq > expected
                         ? "entry " + std::to_string(expected) + " is missing: removed"
                         : "entry " + n + " is out of sequence");
      continue;
    }
    const bool self_consistent = evidence_hash(entry.prev_hash, entry) == entry.hash;
    const bool linked = entry.prev_hash == prev;
    if (!self_consistent && linked) {
      fail(entry.seq, "entry " + n + " was edited: its contents do not match its hash");
    } else if (self_consistent && !linked) {
      fail(entry.seq, "entry " + n + " does not follow entry " + std::to_string(entry.seq - 1) +
                          ": one of them was rewritten");
    } else if (!self_consistent) {
      // Written after another entry than the one before it now: was it moved here?
      auto before = written_by.find(entry.prev_hash);
      EvidenceEntry original = entry;
      if (before != written_by.end()) original.seq = before->second + 1;
      if (before != written_by.end() && evidence_hash(entry.prev_hash, original) == entry.hash)
        fail(entry.seq, "entry " + n + " holds entry " + std::to_string(original.seq) +
                            ": entries were reordered");
      else
        fail(entry.seq, "entry " + n +
                            " was edited or entries before it were removed: it "
                            "neither matches its hash nor follows entry " +
                            std::to_string(entry.seq - 1));
    }
    prev = entry.hash;
    ++expected;
  }
  if (anchor && !verdict.first_bad_seq) {
    const auto& [seq, hash] = *anchor;
    if (seq > verdict.head_seq)
      fail(verdict.head_seq + 1, "entry " + std::to_string(verdict.head_seq + 1) +
                                     " is missing: the log ends at entry " +
                                     std::to_string(verdict.head_seq) + ", but entry " +
                                     std::to_string(seq) + " was written");
    else if (seq >= 1 && (*all)[static_cast<std::size_t>(seq - 1)].hash != hash)
      fail(seq, "entry " + std::to_string(seq) + " differs from the anchor: the log was rewritten");
  }
  return verdict;
}

}  // namespace secondsight::store
