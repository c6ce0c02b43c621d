// A state database with alerts queued in its outbox, for the sink and dispatcher tests.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "fixtures/temp_dir.hpp"
#include "secondsight/alert/dispatcher.hpp"
#include "secondsight/store/database.hpp"
#include "secondsight/store/outbox.hpp"

namespace secondsight::alert::testing {

using namespace std::chrono_literals;

inline const Instant k_t0 = Instant{date::sys_days{date::March / 16 / 2026}} + 12h;

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = secondsight::testing::make_temp_dir("secondsight-alert");
    reopen();
  }
  void TearDown() override {
    m_db.reset();
    std::error_code ec;
    std::filesystem::remove_all(m_dir, ec);
  }

  // A new connection, as after a restart.
  void reopen() {
    m_db.reset();
    auto db = store::Database::open(m_dir / "secondsight.db");
    ASSERT_TRUE(db) << db.error().message;
    m_db.emplace(std::move(*db));
  }

  // Queues alert number `n` for `sink`; its id is "alert-<n>".
  void enqueue(const std::string& sink, int n, const std::string& severity = "high") {
    auto transaction = store::Transaction::begin(*m_db);
    ASSERT_TRUE(transaction);
    nlohmann::json payload = {{"id", "alert-" + std::to_string(n)},
                              {"n", n},
                              {"change", "opened"},
                              {"kind", "access_after_end"},
                              {"severity", severity},
                              {"person", "mallory"},
                              {"system", nullptr},
                              {"fingerprint", "fp" + std::to_string(n)},
                              {"summary", "alert " + std::to_string(n)},
                              {"text", "secondsight: alert " + std::to_string(n)}};
    ASSERT_TRUE(store::Outbox(*m_db).enqueue(sink, "fp" + std::to_string(n), "opened",
                                             payload.dump(), "alert-" + std::to_string(n), k_t0));
    ASSERT_TRUE(transaction->commit());
  }

  std::vector<store::OutboxEntry> rows() {
    auto all = store::Outbox(*m_db).of(std::nullopt);
    EXPECT_TRUE(all) << all.error().message;
    return all ? *all : std::vector<store::OutboxEntry>{};
  }

  static RetryPolicy no_jitter() {
    RetryPolicy policy;
    policy.random = [] { return 0.0; };
    return policy;
  }

  std::filesystem::path m_dir;
  std::optional<store::Database> m_db;
};

}  // namespace secondsight::alert::testing
