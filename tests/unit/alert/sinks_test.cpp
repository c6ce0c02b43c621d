// The jsonl and journal sinks: what they write. The journal is read back for real in the
// command-line tests (a journald of the test's own, where the machine allows it); here the
// mapping of an alert to journal fields is checked as the pure function it is.
#include <gmock/gmock.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "outbox_fixture.hpp"
#include "secondsight/alert/sink.hpp"

namespace secondsight::alert::testing {
namespace {

using ::testing::Contains;
using ::testing::Not;

std::vector<std::string> lines_of(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

class JsonlSinkTest : public OutboxTest {
 protected:
  config::AlertSinkConfig jsonl() {
    config::AlertSinkConfig sink;
    sink.type = "jsonl";
    sink.path = m_dir / "log" / "alerts.jsonl";
    return sink;
  }
};

TEST_F(JsonlSinkTest, AppendsOneLinePerAlertToA0640File) {
  auto sink = jsonl();
  enqueue(sink_key(sink), 1);
  enqueue(sink_key(sink), 2);
  auto pass = Dispatcher(*m_db, make_sinks({sink}), no_jitter()).deliver_due(k_t0);
  ASSERT_TRUE(pass) << pass.error().message;
  EXPECT_EQ(pass->delivered, 2u) << ::testing::PrintToString(pass->problems);
  auto lines = lines_of(sink.path);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], rows()[0].payload);
  EXPECT_EQ(nlohmann::json::parse(lines[1])["id"], "alert-2");
  struct stat st {};
  ASSERT_EQ(::stat(sink.path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
}

TEST_F(JsonlSinkTest, ALineWrittenBeforeACrashIsNotWrittenAgain) {
  auto sink = jsonl();
  enqueue(sink_key(sink), 1);
  enqueue(sink_key(sink), 2);
  // The process wrote alert 1 and died before marking it delivered; the line it was writing
  // for alert 2 was cut short.
  std::filesystem::create_directories(sink.path.parent_path());
  std::ofstream(sink.path) << rows()[0].payload << "\n" << rows()[1].payload.substr(0, 10);
  auto pass = Dispatcher(*m_db, make_sinks({sink}), no_jitter()).deliver_due(k_t0);
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->delivered, 2u);
  auto lines = lines_of(sink.path);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], rows()[0].payload);
  EXPECT_EQ(lines[1], rows()[1].payload.substr(0, 10));  // left as it was, on a line of its own
  EXPECT_EQ(lines[2], rows()[1].payload);
}

TEST_F(JsonlSinkTest, AnUnwritableFileIsRetried) {
  auto sink = jsonl();
  std::filesystem::create_directories(sink.path);  // a folder where the file should be
  enqueue(sink_key(sink), 1);
  auto pass = Dispatcher(*m_db, make_sinks({sink}), no_jitter()).deliver_due(k_t0);
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->failed, 1u);
  EXPECT_EQ(pass->next_due, k_t0 + 1s);
  EXPECT_THAT(rows()[0].last_error, ::testing::HasSubstr(sink.path.string()));
}

TEST(JournalFields, CarryTheAlertAsStructuredFields) {
  nlohmann::json alert = {{"id", "abc"},
                          {"change", "opened"},
                          {"kind", "need_to_know_violation"},
                          {"severity", "critical"},
                          {"person", "gerrit"},
                          {"system", "scada"},
                          {"fingerprint", "f00"},
                          {"summary", "gerrit holds scada"},
                          {"evidence_log", {{"seq", 12}, {"hash", "h"}}},
                          {"text", "secondsight: CRITICAL opened: a &lt;b&gt; &amp; c"}};
  auto fields = journal_fields(alert);
  for (const char* expected :
       {"MESSAGE=secondsight: CRITICAL opened: a <b> & c", "PRIORITY=2",
        "SYSLOG_IDENTIFIER=secondsight", "SECONDSIGHT_KIND=need_to_know_violation",
        "SECONDSIGHT_PERSON=gerrit", "SECONDSIGHT_SYSTEM=scada", "SECONDSIGHT_SEVERITY=critical",
        "SECONDSIGHT_FINGERPRINT=f00", "SECONDSIGHT_CHANGE=opened", "SECONDSIGHT_ALERT_ID=abc",
        "SECONDSIGHT_SUMMARY=gerrit holds scada", "SECONDSIGHT_EVIDENCE_SEQ=12"})
    EXPECT_THAT(fields, Contains(std::string(expected)));
  EXPECT_THAT(fields, Contains(std::string("MESSAGE_ID=") + k_journal_message_id));
  EXPECT_THAT(fields, Contains("SECONDSIGHT_ALERT=" + alert.dump()));
}

TEST(JournalFields, PriorityFollowsSeverityAndResolutionsAreNotices) {
  auto priority = [](const char* severity, const char* change) {
    auto fields = journal_fields({{"severity", severity}, {"change", change}, {"person", nullptr}});
    for (const auto& field : fields)
      if (field.rfind("PRIORITY=", 0) == 0) return field.substr(9);
    return std::string();
  };
  EXPECT_EQ(priority("critical", "opened"), "2");
  EXPECT_EQ(priority("high", "escalated"), "3");
  EXPECT_EQ(priority("medium", "reopened"), "4");
  EXPECT_EQ(priority("low", "opened"), "5");
  EXPECT_EQ(priority("info", "opened"), "6");
  EXPECT_EQ(priority("critical", "resolved"), "5");
  EXPECT_EQ(priority("info", "resolved"), "6");
  // No person: no SECONDSIGHT_PERSON field at all.
  auto fields = journal_fields({{"severity", "high"}, {"person", nullptr}});
  for (const auto& field : fields) EXPECT_NE(field.rfind("SECONDSIGHT_PERSON=", 0), 0u);
}

}  // namespace
}  // namespace secondsight::alert::testing
