#include "secondsight/config/handovers.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test_files.hpp"

namespace secondsight::config {
namespace {

using ::testing::ElementsAre;
using testing::formatted;
using ::testing::IsEmpty;
using testing::TempDir;

Policy policy_with(std::initializer_list<const char*> systems) {
  Policy policy;
  for (const char* id : systems) {
    System system;
    system.id = id;
    policy.systems.push_back(system);
  }
  return policy;
}

TEST(Handovers, NoFileConfiguredIsNoRecord) {
  Diagnostics diagnostics;
  auto records = load_handovers(Config{}, policy_with({}), diagnostics);
  ASSERT_TRUE(records);
  EXPECT_THAT(*records, IsEmpty());
}

TEST(Handovers, ReadsTheTestCompanysExport) {
  Config config;
  config.handovers_file =
      std::string(SECONDSIGHT_SOURCE_DIR) + "/tests/scenarios/harbour/handovers.yaml";
  Diagnostics diagnostics;
  auto records = load_handovers(config, policy_with({"billing-engine", "telemetry"}), diagnostics);
  ASSERT_TRUE(records) << ::testing::PrintToString(formatted(diagnostics));
  ASSERT_EQ(records->size(), 3u);
  const auto& first = (*records)[0];
  EXPECT_EQ(first.person, "ilse");
  EXPECT_EQ(first.system, "billing-engine");
  EXPECT_EQ(first.receiver, "lotte");
  EXPECT_EQ(first.date, "2026-05-12");
  EXPECT_EQ(first.doc, "https://wiki.harbour.example/billing/runbook");
  EXPECT_THAT(first.origin, ::testing::EndsWith("handovers.yaml:2"));
  EXPECT_EQ((*records)[1].doc, "");
}

TEST(Handovers, EveryProblemAtItsPlace) {
  TempDir dir;
  Config config;
  config.handovers_file =
      dir.write("handovers.yaml",
                "- { person: a, system: payments, receiver: b, date: 2026-13-01 }\n"
                "- { person: a, system: paymnts, receiver: b, date: 2026-03-01 }\n"
                "- { person: a, system: payments, date: 2026-03-01 }\n"
                "- { person: a, system: payments, receiver: b, date: 2026-03-01, "
                "note: x }\n"
                "- just text\n");
  Diagnostics diagnostics;
  auto records = load_handovers(config, policy_with({"payments"}), diagnostics);
  EXPECT_FALSE(records);
  const std::string f = dir.str() + "/handovers.yaml";
  const auto messages = formatted(diagnostics);
  ASSERT_EQ(messages.size(), 5u) << ::testing::PrintToString(messages);
  EXPECT_THAT(messages[0], ::testing::StartsWith(f + ":1:"));
  EXPECT_THAT(messages[0], ::testing::HasSubstr("'date' must be a date (YYYY-MM-DD)"));
  EXPECT_THAT(messages[1], ::testing::StartsWith(f + ":2:"));
  EXPECT_THAT(messages[1],
              ::testing::HasSubstr("unknown system 'paymnts'; did you mean 'payments'?"));
  EXPECT_THAT(messages[2], ::testing::StartsWith(f + ":3:"));
  EXPECT_THAT(messages[2], ::testing::HasSubstr("receiver"));
  EXPECT_THAT(messages[3], ::testing::StartsWith(f + ":4:"));
  EXPECT_THAT(messages[3], ::testing::HasSubstr("note"));
  EXPECT_THAT(messages[4], ::testing::StartsWith(f + ":5:"));
}

TEST(Handovers, AMissingFileIsAnError) {
  Config config;
  config.handovers_file = "/nonexistent/handovers.yaml";
  Diagnostics diagnostics;
  EXPECT_FALSE(load_handovers(config, policy_with({}), diagnostics));
  ASSERT_EQ(diagnostics.all().size(), 1u);
  EXPECT_THAT(diagnostics.all()[0].format(), ::testing::StartsWith("/nonexistent/handovers.yaml"));
}

TEST(Handovers, AnEmptyFileHasNoRecords) {
  TempDir dir;
  Config config;
  config.handovers_file = dir.write("handovers.yaml", "# none yet\n");
  Diagnostics diagnostics;
  auto records = load_handovers(config, policy_with({}), diagnostics);
  ASSERT_TRUE(records);
  EXPECT_THAT(*records, IsEmpty());
}

}  // namespace
}  // namespace secondsight::config
