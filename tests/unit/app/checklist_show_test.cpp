// `secondsight checklist PERSON` shows and changes nothing: no log read, no row stored, no file
// written, no alert queued, whoever the person is; a state that is not there is refused, not
// made. With --done it scans, ticks and keeps the checklist. On the bundled sample, at
// 2026-06-01: anna is an employee, eva's end (2026-06-19) is within the 21-day notice, gerrit's
// (2026-12-31) is not, fatima has no end date, dirk's (2026-05-15) is past.
#include <gmock/gmock.h>

#include <map>

#include "fixtures/scenario.hpp"
#include "secondsight/app/commands.hpp"
#include "secondsight/store/database.hpp"

namespace secondsight::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

const std::string k_now = "2026-06-01T10:00:00Z";

struct Printed {
  int code;
  std::string out;
  std::string err;
};

class ChecklistShow : public ::testing::Test {
 protected:
  void SetUp() override { m_sample = copy_sample(); }
  void TearDown() override { fs::remove_all(m_sample); }

  fs::path config() const { return m_sample / "config.yaml"; }
  fs::path state() const { return m_sample / "state"; }

  void scan() {
    app::ScanOptions options;
    options.config = config();
    options.now = k_now;
    options.format = app::OutputFormat::json;
    std::ostringstream out, err;
    ASSERT_EQ(app::command_scan(options, out, err), 0) << err.str();
  }

  Printed checklist(const std::string& person, app::ChecklistFormat format,
                    std::vector<std::string> done = {}) {
    app::ChecklistCommandOptions options{config(), person, k_now, format, std::move(done)};
    std::ostringstream out, err;
    int code = app::command_checklist(options, out, err);
    return {code, out.str(), err.str()};
  }

  nlohmann::json json(const std::string& person) {
    auto printed = checklist(person, app::ChecklistFormat::json);
    EXPECT_EQ(printed.code, 0) << printed.err;
    auto parsed = nlohmann::json::parse(printed.out, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << printed.out;
    return parsed;
  }

  // Rows per table of what a scan stores, and the checklist files: all a look may not change.
  std::map<std::string, std::string> state_summary() {
    std::map<std::string, std::string> out;
    summarise(out);
    return out;
  }
  void summarise(std::map<std::string, std::string>& out) {
    auto db = store::Database::open(state() / "secondsight.db", store::Missing::refuse);
    ASSERT_TRUE(db) << db.error().message;
    // Every row of every table, each value quoted, in order.
    auto tables = db->prepare("SELECT name FROM sqlite_schema WHERE type = 'table'");
    ASSERT_TRUE(tables);
    auto names = tables->column_texts();
    ASSERT_TRUE(names);
    for (const auto& table : *names) {
      auto columns = db->prepare("SELECT name FROM pragma_table_info('" + table + "')");
      ASSERT_TRUE(columns) << table;
      auto column_names = columns->column_texts();
      ASSERT_TRUE(column_names) << table;
      std::string row = "''";
      for (const auto& column : *column_names) row += " || ',' || quote(\"" + column + "\")";
      auto rows = db->prepare("SELECT " + row + " FROM \"" + table + "\" ORDER BY 1");
      ASSERT_TRUE(rows) << table;
      auto texts = rows->column_texts();
      ASSERT_TRUE(texts) << table;
      for (const auto& text : *texts) out[table] += text + "\n";
    }
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(state() / "checklists", ec))
      out["file " + entry.path().filename().string()] = read_file(entry.path());
  }

  fs::path m_sample;
};

TEST_F(ChecklistShow, AnEmployeesChecklistIsShownAndNothingChanges) {
  scan();
  // A line a scan would read: the look must leave it for the next scan.
  std::ofstream(m_sample / "logs" / "auth.log", std::ios::app)
      << "Jun  1 11:30:00 jump-2 sshd[7001]: Accepted password for dirk from 10.20.9.77 port "
         "60311 ssh2\n";
  const auto before = state_summary();
  ASSERT_FALSE(before.empty());

  auto shown = json("anna");
  EXPECT_EQ(shown["person"], "anna");
  EXPECT_EQ(shown["standing"], "employee");
  auto markdown = checklist("anna", app::ChecklistFormat::markdown);
  EXPECT_EQ(markdown.code, 0) << markdown.err;
  EXPECT_THAT(markdown.out, HasSubstr("| Standing | employee: no checklist is kept for employees"));
  auto html = checklist("anna", app::ChecklistFormat::html);
  EXPECT_EQ(html.code, 0) << html.err;
  EXPECT_THAT(html.out, HasSubstr("<th>Standing</th><td>employee"));

  EXPECT_EQ(state_summary(), before);
  EXPECT_FALSE(fs::exists(state() / "checklists" / "anna.md"));
}

TEST_F(ChecklistShow, SaysWhatEachPersonIs) {
  scan();
  const auto before = state_summary();
  EXPECT_EQ(json("eva")["standing"], "near_end");
  auto gerrit = json("gerrit");
  EXPECT_EQ(gerrit["standing"], "not_near_end");
  // 21 local days before the rights end: 2026-12-31, the day through, and one day's grace.
  EXPECT_EQ(gerrit["notice_opens"], "2026-12-11T23:00:00Z");
  EXPECT_EQ(json("fatima")["standing"], "no_end");
  EXPECT_EQ(json("dirk")["standing"], "ended");
  auto markdown = checklist("gerrit", app::ChecklistFormat::markdown);
  EXPECT_THAT(
      markdown.out,
      HasSubstr("seconded, not near the end: scans keep this checklist from 2026-12-12 00:00"));
  EXPECT_EQ(state_summary(), before);
}

TEST_F(ChecklistShow, ShowsTheProgressAScanKept) {
  scan();
  // eva is within the notice: the scan kept her checklist; a tick is stored with --done.
  auto ticked = checklist("eva", app::ChecklistFormat::json, {"policy:1"});
  ASSERT_EQ(ticked.code, 0) << ticked.err;
  const auto before = state_summary();
  auto shown = json("eva");
  bool found = false;
  for (const auto& item : shown["items"])
    if (item["id"] == "policy:1") {
      found = true;
      EXPECT_EQ(item["done"], true);
    }
  EXPECT_TRUE(found) << shown.dump();
  EXPECT_EQ(state_summary(), before);
}

TEST_F(ChecklistShow, DoneScansTicksAndWritesTheFiles) {
  scan();
  EXPECT_FALSE(fs::exists(state() / "checklists" / "gerrit.md"));
  auto ticked = checklist("gerrit", app::ChecklistFormat::json, {"policy:2"});
  ASSERT_EQ(ticked.code, 0) << ticked.err;
  EXPECT_TRUE(fs::exists(state() / "checklists" / "gerrit.md"));
  EXPECT_THAT(read_file(state() / "checklists" / "gerrit.md"), HasSubstr("ticked by"));
}

TEST_F(ChecklistShow, AStateThatIsNotThereIsRefusedAndNotMade) {
  auto shown = checklist("anna", app::ChecklistFormat::markdown);
  EXPECT_EQ(shown.code, app::k_exit_usage);
  EXPECT_THAT(shown.err, HasSubstr(state().string()));
  EXPECT_THAT(shown.err, HasSubstr("does not exist"));
  EXPECT_THAT(shown.out, IsEmpty());
  EXPECT_FALSE(fs::exists(state()));
}

TEST_F(ChecklistShow, AFolderWithoutADatabaseIsRefusedAndLeftEmpty) {
  fs::create_directories(state());
  fs::permissions(state(), fs::perms::owner_all);
  auto shown = checklist("anna", app::ChecklistFormat::markdown);
  EXPECT_EQ(shown.code, app::k_exit_usage);
  EXPECT_THAT(shown.err, HasSubstr("no state database"));
  EXPECT_TRUE(fs::is_empty(state()));
}

// Every command that reads what scans stored refuses a state folder that is not there.
TEST_F(ChecklistShow, ReadingCommandsRefuseAMissingStateFolder) {
  std::ostringstream out, err;
  app::FindingsListOptions list;
  list.config = config();
  EXPECT_EQ(app::command_findings_list(list, out, err), app::k_exit_usage);
  EXPECT_THAT(err.str(), HasSubstr(state().string() + " does not exist"));
  EXPECT_THAT(out.str(), Not(HasSubstr("0 findings")));

  app::FindingsHistoryOptions history;
  history.config = config();
  history.all = true;
  std::ostringstream out2, err2;
  EXPECT_EQ(app::command_findings_history(history, out2, err2), app::k_exit_usage);
  EXPECT_THAT(err2.str(), HasSubstr("does not exist"));

  app::FindingsAckOptions ack{config(), "0123456789abcdef", "2099-01-01", "known"};
  std::ostringstream out3, err3;
  EXPECT_EQ(app::command_findings_ack(ack, out3, err3), app::k_exit_usage);
  EXPECT_THAT(err3.str(), HasSubstr("does not exist"));
  EXPECT_FALSE(fs::exists(state()));
}

}  // namespace
}  // namespace secondsight::testing
