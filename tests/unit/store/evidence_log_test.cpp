// The evidence log's chain, and tampering done the way an intruder would: with the sqlite3
// shell on the database file.
#include "secondsight/store/evidence_log.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>

#include "temp_dir.hpp"

namespace secondsight::store {
namespace {

using namespace std::chrono_literals;
using testing::TempDir;

const Instant k_t1 = Instant{date::sys_days{date::March / 16 / 2026}} + 12h;

class EvidenceLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    open();
    auto transaction = Transaction::begin(*m_db);
    ASSERT_TRUE(transaction);
    EvidenceLog log(*m_db);
    for (int i = 1; i <= 5; ++i) {
      auto entry = log.append(k_t1 + std::chrono::hours(i), "fp" + std::to_string(i % 2),
                              i == 1 ? "opened" : "escalated", "high",
                              {{"n", i}, {"summary", "entry " + std::to_string(i)}});
      ASSERT_TRUE(entry) << entry.error().message;
      m_hashes.push_back(entry->hash);
    }
    ASSERT_TRUE(transaction->commit());
  }

  void open() {
    m_db.reset();
    auto db = Database::open(m_path);
    ASSERT_TRUE(db) << db.error().message;
    m_db.emplace(std::move(*db));
  }

  // Runs SQL through the sqlite3 shell, as someone with access to the file would.
  void tamper(const std::string& sql) {
    m_db.reset();
    std::string command = "sqlite3 '" + m_path.string() + "' \"" + sql + "\"";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
    open();
  }

  EvidenceVerdict verify(const std::optional<std::pair<std::int64_t, std::string>>& anchor = {}) {
    auto verdict = EvidenceLog(*m_db).verify(anchor);
    EXPECT_TRUE(verdict) << verdict.error().message;
    return verdict ? *verdict : EvidenceVerdict{};
  }

  TempDir m_dir;
  std::filesystem::path m_path = m_dir / "secondsight.db";
  std::optional<Database> m_db;
  std::vector<std::string> m_hashes;
};

TEST_F(EvidenceLogTest, EntriesAreChained) {
  auto entries = EvidenceLog(*m_db).entries(std::nullopt);
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 5u);
  EXPECT_EQ((*entries)[0].seq, 1);
  EXPECT_EQ((*entries)[0].prev_hash, k_evidence_genesis);
  for (std::size_t i = 1; i < entries->size(); ++i) {
    EXPECT_EQ((*entries)[i].seq, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ((*entries)[i].prev_hash, (*entries)[i - 1].hash);
    EXPECT_EQ(evidence_hash((*entries)[i].prev_hash, (*entries)[i]), (*entries)[i].hash);
  }
  EXPECT_EQ((*entries)[2].at, "2026-03-16T15:00:00Z");
  EXPECT_EQ((*entries)[2].payload, R"({"n":3,"summary":"entry 3"})");
  auto of_one = EvidenceLog(*m_db).entries(std::string("fp0"));
  ASSERT_TRUE(of_one);
  EXPECT_EQ(of_one->size(), 2u);

  auto verdict = verify();
  EXPECT_TRUE(verdict.intact()) << verdict.problem;
  EXPECT_EQ(verdict.entries, 5);
  EXPECT_EQ(verdict.head_seq, 5);
  EXPECT_EQ(verdict.head_hash, m_hashes.back());
}

TEST_F(EvidenceLogTest, TheHashIsOfTheDocumentedBytes) {
  // SHA-256(32 zero bytes || "1:1,20:2026-03-16T13:00:00Z,3:fp1,6:opened,4:high,27:{...},")
  EvidenceEntry entry{1,
                      "2026-03-16T13:00:00Z",
                      "fp1",
                      "opened",
                      "high",
                      R"({"n":1,"summary":"entry 1"})",
                      std::string(k_evidence_genesis),
                      ""};
  EXPECT_EQ(evidence_hash(k_evidence_genesis, entry), m_hashes[0]);
  const std::string expected = std::string(32, '\0') +
                               "1:1,20:2026-03-16T13:00:00Z,3:fp1,6:opened,4:high," +
                               std::to_string(entry.payload.size()) + ":" + entry.payload + ",";
  TempDir dir;
  std::ofstream(dir / "bytes", std::ios::binary) << expected;
  std::string command =
      "sha256sum '" + (dir / "bytes").string() + "' > '" + (dir / "sum").string() + "'";
  ASSERT_EQ(std::system(command.c_str()), 0);
  std::ifstream sum(dir / "sum");
  std::string hex;
  sum >> hex;
  EXPECT_EQ(hex, m_hashes[0]);
}

TEST_F(EvidenceLogTest, AnEditedPayloadIsCaught) {
  tamper("UPDATE evidence_log SET payload = replace(payload, 'entry 3', 'entry x') WHERE seq = 3");
  auto verdict = verify();
  ASSERT_FALSE(verdict.intact());
  EXPECT_EQ(*verdict.first_bad_seq, 3);
  EXPECT_EQ(verdict.problem, "entry 3 was edited: its contents do not match its hash");
}

TEST_F(EvidenceLogTest, AnEditedFieldWithARecomputedHashIsCaughtAtTheNextEntry) {
  auto entries = EvidenceLog(*m_db).entries(std::nullopt);
  ASSERT_TRUE(entries);
  EvidenceEntry forged = (*entries)[1];
  forged.severity = "low";
  const std::string hash = evidence_hash(forged.prev_hash, forged);
  tamper("UPDATE evidence_log SET severity = 'low', hash = '" + hash + "' WHERE seq = 2");
  auto verdict = verify();
  ASSERT_FALSE(verdict.intact());
  EXPECT_EQ(*verdict.first_bad_seq, 3);
  EXPECT_EQ(verdict.problem, "entry 3 does not follow entry 2: one of them was rewritten");
}

TEST_F(EvidenceLogTest, ARemovedEntryIsCaught) {
  tamper("DELETE FROM evidence_log WHERE seq = 2");
  auto verdict = verify();
  ASSERT_FALSE(verdict.intact());
  EXPECT_EQ(*verdict.first_bad_seq, 2);
  EXPECT_EQ(verdict.problem, "entry 2 is missing: removed");
}

TEST_F(EvidenceLogTest, ARemovedAndRenumberedEntryIsCaught) {
  tamper(
      "DELETE FROM evidence_log WHERE seq = 2; UPDATE evidence_log SET seq = seq - 1 WHERE "
      "seq > 2");
  auto verdict = verify();
  ASSERT_FALSE(verdict.intact());
  EXPECT_EQ(*verdict.first_bad_seq, 2);
}

TEST_F(EvidenceLogTest, SwappedEntriesAreCaught) {
  tamper(
      "UPDATE evidence_log SET seq = -3 WHERE seq = 3; UPDATE evidence_log SET seq = 3 WHERE "
      "seq = 5; UPDATE evidence_log SET seq = 5 WHERE seq = -3");
  auto verdict = verify();
  ASSERT_FALSE(verdict.intact());
  EXPECT_EQ(*verdict.first_bad_seq, 3);
  EXPECT_EQ(verdict.problem, "entry 3 holds entry 5: entries were reordered");
}

TEST_F(EvidenceLogTest, ACutOffEndIsCaughtAgainstAnAnchor) {
  tamper("DELETE FROM evidence_log WHERE seq >= 4");
  EXPECT_TRUE(verify().intact());  // the chain alone cannot tell
  auto verdict = verify(std::make_pair(std::int64_t{5}, m_hashes[4]));
  ASSERT_FALSE(verdict.intact());
  EXPECT_EQ(*verdict.first_bad_seq, 4);
  EXPECT_EQ(verdict.problem,
            "entry 4 is missing: the log ends at entry 3, but entry 5 was written");
  EXPECT_TRUE(verify(std::make_pair(std::int64_t{2}, m_hashes[1])).intact());
  EXPECT_FALSE(verify(std::make_pair(std::int64_t{2}, m_hashes[0])).intact());
}

TEST_F(EvidenceLogTest, AppendingGoesOnFromTheLastEntry) {
  auto transaction = Transaction::begin(*m_db);
  ASSERT_TRUE(transaction);
  auto entry = EvidenceLog(*m_db).append(k_t1 + 10h, "fp9", "acked", "high", {{"reason", "x"}});
  ASSERT_TRUE(entry);
  ASSERT_TRUE(transaction->commit());
  EXPECT_EQ(entry->seq, 6);
  EXPECT_EQ(entry->prev_hash, m_hashes.back());
  EXPECT_TRUE(verify().intact());
}

}  // namespace
}  // namespace secondsight::store
