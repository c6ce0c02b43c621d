// The dashboard's pages, rendered from a view built by hand and a real state database with
// findings, their history, acks and activity.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <set>

#include "app/dashboard/pages.hpp"
#include "app/dashboard/parts.hpp"
#include "fixtures/findings.hpp"
#include "fixtures/temp_dir.hpp"
#include "secondsight/app/findings_update.hpp"
#include "secondsight/checklist/render.hpp"
#include "secondsight/core/text.hpp"
#include "secondsight/store/activity_store.hpp"
#include "secondsight/store/checklist_rows.hpp"
#include "secondsight/store/findings_store.hpp"

namespace secondsight::app::dashboard {
namespace {

using findings::Finding;
using findings::ReconcileScope;
using findings::Severity;
using secondsight::testing::make_finding;
using secondsight::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::Not;

using namespace std::chrono_literals;

const Instant k_now = Instant{date::sys_days{date::March / 16 / 2026}} + 12h;
const ReconcileScope k_all{{"access_after_end", "need_to_know_violation", "missing_end_date",
                            "unused_access", "single_point_of_knowledge"}};

std::size_t count(const std::string& text, std::string_view what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// Every element closed, in order (void elements and self-closed SVG elements aside); an
// unescaped "<" in a value would show here too.
void expect_balanced(const std::string& html) {
  static const std::set<std::string, std::less<>> k_void{"meta", "link", "input",
                                                         "br",   "img",  "hr"};
  std::vector<std::string> open;
  for (auto at = html.find('<'); at != std::string::npos; at = html.find('<', at + 1)) {
    if (html.compare(at, 2, "<!") == 0) continue;
    const auto end = html.find('>', at);
    ASSERT_NE(end, std::string::npos) << html.substr(at, 40);
    const bool closing = html[at + 1] == '/';
    const auto name_at = at + (closing ? 2 : 1);
    const auto name_end = html.find_first_of(" >/\n", name_at);
    const std::string name = html.substr(name_at, name_end - name_at);
    if (closing) {
      ASSERT_FALSE(open.empty()) << "</" << name << "> closes nothing";
      ASSERT_EQ(open.back(), name) << "near " << html.substr(at > 80 ? at - 80 : 0, 160);
      open.pop_back();
    } else if (!k_void.count(name) && html[end - 1] != '/') {
      open.push_back(name);
    }
  }
  EXPECT_TRUE(open.empty()) << "not closed: " << (open.empty() ? "" : open.back());
}

// What every page must be: a whole document, no inline style, no script, nothing from outside.
void expect_safe_document(const std::string& html) {
  EXPECT_THAT(html, HasSubstr("<!DOCTYPE html>\n<html lang=\"en\">"));
  EXPECT_THAT(html, HasSubstr("<meta charset=\"utf-8\">"));
  EXPECT_THAT(html, HasSubstr("<link rel=\"stylesheet\" href=\"/dashboard.css\">"));
  EXPECT_THAT(html, HasSubstr("<main id=\"main\">"));
  EXPECT_THAT(html, HasSubstr("<a class=\"skip\" href=\"#main\">"));
  EXPECT_THAT(html, Not(HasSubstr("style=")));
  EXPECT_THAT(html, Not(HasSubstr("<style")));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("http://"))) << "no external URL";
  EXPECT_THAT(html, Not(HasSubstr("https://")));
  EXPECT_THAT(html, Not(HasSubstr("\xE2\x80\xAE")));
  EXPECT_TRUE(is_valid_utf8(html));
  expect_balanced(html);
}

class DashboardPages : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::Database::open(m_dir / "secondsight.db");
    ASSERT_TRUE(db) << db.error().message;
    m_db.emplace(std::move(*db));
    m_view.zone = m_zone;
    m_view.built_at = k_now - 1h;
    m_view.directory_source = "ldif:people.ldif";

    Person mallory;
    mallory.id = "mallory";
    mallory.name = "Mallory Meier";
    mallory.kind = "contractor";
    mallory.agency = "Flexforce IT";
    mallory.seconded = true;
    mallory.engagements = {"payments-rebuild"};
    mallory.need_to_know = {"wiki"};
    mallory.contact = "Alice A";
    mallory.contact_id = "alice";
    mallory.stated_end = "2026-03-13";
    mallory.rights_end = k_now - 2 * 24h;
    mallory.days_left = -2;
    mallory.grants = {Grant{"payments-api",
                            "Payments API",
                            false,
                            {GrantPath{{"contractors", "payments-dev"},
                                       {"cn=contractors,ou=groups,dc=example,dc=com",
                                        "cn=payments-dev,ou=groups,dc=example,dc=com"}}}}};
    Person trent;
    trent.id = "trent 2";
    trent.name = "Trent";
    trent.seconded = true;
    Person alice;
    alice.id = "alice";
    alice.name = "Alice A";
    m_view.people = {mallory, trent, alice};

    System payments;
    payments.id = "payments-api";
    payments.name = "Payments API";
    payments.criticality = "critical";
    payments.repositories = {"payments-api.git @ 1234abcd"};
    payments.truck_factor = 2;
    payments.files = 50;
    payments.holders = {
        Holder{"mallory", "mallory (Flexforce IT)", true, true, true, 30, 0.6, 0.4, 1},
        Holder{"alice", "Alice A", false, true, false, 20, 0.4, 0.2, std::nullopt}};
    payments.files_per_author = {{"mallory (Flexforce IT)", "mallory", 30},
                                 {"Alice A", "alice", 20},
                                 {"git:eve <eve@example.com>", "", 3}};
    payments.operator_ids = {"mallory"};
    payments.operator_labels = {"mallory (Flexforce IT)"};
    payments.docs_by_leavers = {DocsTouched{"mallory",
                                            "mallory (Flexforce IT)",
                                            "past the end since 2026-03-14",
                                            {"docs/runbook.md", "README.md"}}};
    m_view.systems = {payments};

    Agency flexforce;
    flexforce.name = "Flexforce IT";
    flexforce.contractor_ids = {"mallory"};
    flexforce.current = 1;
    flexforce.access_after_end = std::chrono::hours(51);
    flexforce.past_end_with_access = 1;
    flexforce.handovers_owed = 1;
    Agency none;
    none.contractor_ids = {"trent 2"};
    none.current = 1;
    none.missing_end_dates = 1;
    m_view.agencies = {flexforce, none};

    checklist::Checklist list;
    list.now = k_now - 1h;
    list.person = "mallory";
    list.name = "Mallory Meier";
    list.agency = "Flexforce IT";
    list.account = "enabled";
    list.standing = checklist::Standing::ended;
    checklist::Item account;
    account.id = "account";
    account.section = checklist::Section::access;
    account.text = "Disable the account";
    account.due_rule = "at the end";
    account.automatic = true;
    checklist::Item laptop;
    laptop.id = "policy:1";
    laptop.section = checklist::Section::other;
    laptop.text = "Collect the laptop";
    laptop.due_rule = "at the end";
    laptop.done = true;
    list.items = {account, laptop};
    m_view.checklists = {list};
    m_view.index();

    // Findings: two open 10 days ago; then one resolves and another opens 5 days ago; the
    // resolved one reopens 2 days ago.
    record({m_access, m_ntk}, k_now - 10 * 24h);
    record({m_ntk, m_missing}, k_now - 5 * 24h);
    record({m_access, m_ntk, m_missing}, k_now - 2 * 24h);
    findings::AckRequest ack{m_ntk.fingerprint(), k_now + 7 * 24h, "waiting for <the agency>",
                             "carol", k_now - 1h};
    ASSERT_TRUE(store::FindingsStore(*m_db).ack(ack));

    // Activity: three days on payments-api and one unattributed in the window, one before it.
    store::ActivityBatch batch;
    for (const char* day : {"2026-03-10", "2026-03-11", "2026-03-14"})
      batch.days[{"mallory", "payments-api", day}] = {5, k_now, k_now};
    batch.days[{"mallory", "", "2026-03-12"}] = {1, k_now, k_now};
    batch.days[{"mallory", "payments-api", "2025-11-01"}] = {7, k_now, k_now};
    auto transaction = store::Transaction::begin(*m_db);
    ASSERT_TRUE(transaction);
    ASSERT_TRUE(store::ActivityStore(*m_db, m_zone).add(batch));
    ASSERT_TRUE(transaction->commit());
  }

  void record(const std::vector<Finding>& seen, Instant at) {
    auto result = record_findings(*m_db, seen, k_all, at);
    ASSERT_TRUE(result) << result.error().message;
  }

  PageContext context() { return PageContext{m_view, *m_db, k_now, "carol", "tok\"en", ""}; }

  TempDir m_dir;
  Zone m_zone = *find_zone("Europe/Amsterdam");
  std::optional<store::Database> m_db;
  View m_view;
  Finding m_access = make_finding("access_after_end", "mallory", std::nullopt, Severity::critical);
  Finding m_ntk = make_finding("need_to_know_violation", "mallory", "payments-api", Severity::high);
  Finding m_missing = make_finding("missing_end_date", "trent 2", std::nullopt, Severity::high);
};

TEST_F(DashboardPages, OpenFindingsPerDayFollowTheHistory) {
  auto days = open_findings_per_day(*m_db, k_now, m_zone, 90);
  ASSERT_TRUE(days) << days.error().message;
  ASSERT_EQ(days->size(), 90u);
  EXPECT_EQ(days->back().day, "2026-03-16");
  EXPECT_EQ(days->front().day, "2025-12-17");
  EXPECT_EQ((*days)[78].count, 0);  // 11 days ago
  EXPECT_EQ((*days)[79].count, 2);  // two opened
  EXPECT_EQ((*days)[83].count, 2);
  EXPECT_EQ((*days)[84].count, 2);  // one resolved, one opened
  EXPECT_EQ((*days)[86].count, 2);
  EXPECT_EQ((*days)[87].count, 3);  // reopened
  EXPECT_EQ((*days)[89].count, 3);

  // A window that starts after the first changes counts them as open before it.
  auto later = open_findings_per_day(*m_db, k_now, m_zone, 3);
  ASSERT_TRUE(later);
  EXPECT_EQ((*later)[0].count, 3);
}

TEST_F(DashboardPages, OverviewCountsAndListsOpenFindingsNewestFirst) {
  const Page page = overview_page(context());
  EXPECT_EQ(page.status, 200u);
  expect_safe_document(page.html);
  const auto& html = page.html;
  EXPECT_THAT(html, HasSubstr("<nav aria-label=\"Main\">"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/\">Overview</a>"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/agencies\">Agencies</a>"));
  EXPECT_THAT(html, HasSubstr("signed in as carol"));
  EXPECT_THAT(html, HasSubstr("<form method=\"post\" action=\"/logout\""));
  EXPECT_THAT(html, HasSubstr("name=\"csrf\" value=\"tok&quot;en\""));
  EXPECT_THAT(html, HasSubstr("<h1>Overview</h1>"));

  // Counts: 1 critical, 2 high; per agency.
  EXPECT_THAT(html, HasSubstr("severity-critical\">critical</span></th><td>1</td>"));
  EXPECT_THAT(html, HasSubstr("severity-high\">high</span></th><td>2</td>"));
  EXPECT_THAT(html,
              HasSubstr("<a href=\"/agencies/Flexforce%20IT\">Flexforce IT</a></th><td>2</td>"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/agencies/-\">(no agency)</a></th><td>1</td>"));
  EXPECT_THAT(html, HasSubstr(">missing_end_date</th><td>1</td>"));

  // The list: newest first (the reopened one, then the one opened 5 days ago, then 10).
  EXPECT_THAT(html, HasSubstr("<table class=\"findings\"><caption>"));
  EXPECT_EQ(count(html, "<tr data-fingerprint="), 3u);
  const auto access = html.find("data-fingerprint=\"" + m_access.fingerprint() + "\"");
  const auto missing = html.find("data-fingerprint=\"" + m_missing.fingerprint() + "\"");
  const auto ntk = html.find("data-fingerprint=\"" + m_ntk.fingerprint() + "\"");
  ASSERT_NE(access, std::string::npos);
  EXPECT_LT(access, missing);
  EXPECT_LT(missing, ntk);
  EXPECT_THAT(html, HasSubstr("<a href=\"/people/mallory\">Mallory Meier</a>"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/people/trent%202\">Trent</a>"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/systems/payments-api\">Payments API</a>"));
  EXPECT_THAT(html, HasSubstr("<td class=\"summary\">access_after_end summary</td>"));

  // Ack forms for the open findings that are not acked; the acked one says until/by/reason.
  EXPECT_EQ(count(html, "class=\"ack\""), 2u);
  EXPECT_THAT(html, HasSubstr("<form method=\"post\" action=\"/findings/" + m_access.fingerprint() +
                              "/ack\" class=\"ack\">"));
  EXPECT_THAT(html, HasSubstr("<label for=\"until-" + m_access.fingerprint() +
                              "\">Until</label><input type=\"date\" name=\"until\" required"));
  EXPECT_THAT(html, HasSubstr("<input type=\"text\" name=\"reason\" required maxlength=\"500\""));
  EXPECT_THAT(html, HasSubstr("<input type=\"hidden\" name=\"next\" value=\"/\">"));
  EXPECT_THAT(html, HasSubstr("<button type=\"submit\">Ack</button>"));
  EXPECT_THAT(html, HasSubstr("acked until 2026-03-23 13:00 CET by carol: waiting for &lt;the "
                              "agency&gt;"));

  // The picture and its table.
  EXPECT_THAT(html, HasSubstr("<svg class=\"chart\" role=\"img\""));
  EXPECT_EQ(count(html, "<rect class=\"day\""), 11u);
  EXPECT_THAT(html, HasSubstr("<tr><th scope=\"row\">2026-03-14</th><td>3</td></tr>"));
}

TEST_F(DashboardPages, ALongListOfFindingsComesAPageAtATime) {
  std::vector<Finding> seen{m_access, m_ntk, m_missing};
  for (int i = 0; i < 247; ++i)
    seen.push_back(
        make_finding("missing_end_date", "p" + std::to_string(i), std::nullopt, Severity::medium));
  record(seen, k_now - 1h);
  auto c = context();
  const std::string first = overview_page(c).html;
  expect_balanced(first);
  EXPECT_EQ(count(first, "<tr data-fingerprint="), 100u);
  EXPECT_THAT(first, HasSubstr("Page 1 of 3: findings 1 to 100 of 250."));
  EXPECT_THAT(first, HasSubstr("<span>First</span> <span>Previous</span>"));
  EXPECT_THAT(first, HasSubstr("<a href=\"/?page=2\" rel=\"next\">Next</a>"));
  EXPECT_THAT(first, HasSubstr("<a href=\"/?page=3\">Last</a>"));
  EXPECT_THAT(first, HasSubstr("<input type=\"hidden\" name=\"next\" value=\"/\">"));
  // The counts are of every open finding, not of the page.
  EXPECT_THAT(first, HasSubstr(">missing_end_date</th><td>248</td>"));

  c.list_page = 3;
  const std::string last = overview_page(c).html;
  expect_balanced(last);
  EXPECT_EQ(count(last, "<tr data-fingerprint="), 50u);
  EXPECT_THAT(last, HasSubstr("Page 3 of 3: findings 201 to 250 of 250."));
  // Newest first: the three older findings are on the last page, and an ack comes back to it.
  EXPECT_THAT(last, HasSubstr("data-fingerprint=\"" + m_access.fingerprint() + "\""));
  EXPECT_THAT(first, Not(HasSubstr("data-fingerprint=\"" + m_access.fingerprint() + "\"")));
  EXPECT_THAT(last, HasSubstr("<input type=\"hidden\" name=\"next\" value=\"/?page=3\">"));
  EXPECT_THAT(last, HasSubstr("<a href=\"/\">First</a> <a href=\"/?page=2\" rel=\"prev\">"));
  EXPECT_THAT(last, HasSubstr("<span>Next</span> <span>Last</span>"));

  c.list_page = 99;  // past the last page: the last
  EXPECT_EQ(overview_page(c).html, last);
}

TEST_F(DashboardPages, OverviewBeforeTheFirstScanStillShowsStoredFindings) {
  View empty;
  empty.index();
  const Page page = overview_page(PageContext{empty, *m_db, k_now, "carol", "t", ""});
  EXPECT_EQ(page.status, 200u);
  EXPECT_THAT(page.html, HasSubstr("no scan has finished yet"));
  EXPECT_EQ(count(page.html, "<tr data-fingerprint="), 3u);
  EXPECT_THAT(page.html, HasSubstr("<a href=\"/people/trent%202\">trent 2</a>"));
}

TEST_F(DashboardPages, NoticeIsShownEscaped) {
  auto c = context();
  c.notice = "acked <b>it</b>";
  EXPECT_THAT(overview_page(c).html, HasSubstr("role=\"status\">acked &lt;b&gt;it&lt;/b&gt;</p>"));
}

TEST_F(DashboardPages, PersonPageShowsFactsGrantsActivityFindingsAndChecklist) {
  const Page page = person_page(context(), "mallory");
  EXPECT_EQ(page.status, 200u);
  expect_safe_document(page.html);
  const auto& html = page.html;
  EXPECT_THAT(html, HasSubstr("<h1>Mallory Meier</h1>"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/agencies/Flexforce%20IT\">Flexforce IT</a>"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/people/alice\">Alice A</a>"));  // the contact
  EXPECT_THAT(html, HasSubstr("2 days past the end"));
  EXPECT_THAT(html, HasSubstr("payments-rebuild"));
  EXPECT_THAT(html, HasSubstr("<dd>active</dd>"));
  // The grant with its path, names and DNs.
  EXPECT_THAT(html, HasSubstr("contractors → payments-dev"));
  EXPECT_THAT(html, HasSubstr("cn=contractors,ou=groups,dc=example,dc=com → "
                              "cn=payments-dev,ou=groups,dc=example,dc=com"));
  EXPECT_THAT(html, HasSubstr("<strong>no</strong>"));  // not in need-to-know
  // Activity: a mark per active day in the window, the end line, and the table.
  EXPECT_EQ(count(html, "<rect class=\"mark\""), 4u);
  EXPECT_EQ(count(html, "class=\"end\""), 1u);
  EXPECT_THAT(html, HasSubstr("<a href=\"/systems/payments-api\">Payments API</a></th><td>3</td>"
                              "<td>15</td><td>2026-03-14</td>"));
  // Findings: its two open ones, the ack form coming back here.
  EXPECT_EQ(count(html, "<tr data-fingerprint="), 2u);
  EXPECT_THAT(html, HasSubstr("name=\"next\" value=\"/people/mallory\""));
  // Checklist progress.
  EXPECT_THAT(html, HasSubstr("1 of 2 items done"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/checklists/mallory\">"));
}

TEST_F(DashboardPages, PersonPageListsRecentlyResolvedFindings) {
  record({m_ntk, m_missing}, k_now - 1h);  // access_after_end resolves
  const Page page = person_page(context(), "mallory");
  EXPECT_EQ(count(page.html, "<tr data-fingerprint="), 2u);
  EXPECT_THAT(page.html, HasSubstr("resolved 2026-03-16 12:00 CET"));
  EXPECT_EQ(count(page.html, "class=\"ack\""), 0u);  // the other one is acked
}

TEST_F(DashboardPages, UnknownIdsAre404PagesWithTheHeader) {
  for (const Page& page : {person_page(context(), "<nobody>\u202E"),
                           system_page(context(), "nothing"), agency_page(context(), "Nobody Ltd"),
                           checklist_page(context(), "trent 2"), not_found_page(context())}) {
    EXPECT_EQ(page.status, 404u);
    expect_safe_document(page.html);
    EXPECT_THAT(page.html, HasSubstr("<nav aria-label=\"Main\">"));
    EXPECT_THAT(page.html, HasSubstr("<a href=\"/\">"));
  }
  EXPECT_THAT(
      person_page(context(), "<nobody>\u202E").html,
      HasSubstr("No such external</h1>\n<p>No external has the id “&lt;nobody&gt;\\u{202e}”"));
}

TEST_F(DashboardPages, SystemPageShowsKnowledgeOperatorsFindingsAndDocs) {
  const Page page = system_page(context(), "payments-api");
  EXPECT_EQ(page.status, 200u);
  expect_safe_document(page.html);
  const auto& html = page.html;
  EXPECT_THAT(html, HasSubstr("<h1>Payments API</h1>"));
  EXPECT_THAT(html, HasSubstr("<dd>critical</dd>"));
  EXPECT_THAT(html, HasSubstr("payments-api.git @ 1234abcd"));
  EXPECT_THAT(html,
              HasSubstr("<dt>Truck factor</dt><dd>2<br>1 without <a href=\"/people/mallory\">"));
  EXPECT_THAT(html, HasSubstr("<td>30</td><td>60%</td><td>40%</td><td>1</td>"));
  EXPECT_EQ(count(html, "<rect class=\"bar\""), 3u);
  EXPECT_THAT(html, HasSubstr("git:eve &lt;eve@example.com&gt;"));
  EXPECT_THAT(html, HasSubstr("<li><a href=\"/people/mallory\">mallory (Flexforce IT)</a></li>"));
  EXPECT_EQ(count(html, "<tr data-fingerprint="), 1u);
  EXPECT_THAT(html, HasSubstr("<code>docs/runbook.md</code>"));
  EXPECT_THAT(html, HasSubstr("past the end since 2026-03-14"));
}

TEST_F(DashboardPages, AgenciesPageHasTheFiguresOfEachAgency) {
  const Page page = agencies_page(context());
  EXPECT_EQ(page.status, 200u);
  expect_safe_document(page.html);
  EXPECT_THAT(page.html,
              HasSubstr("<a href=\"/agencies/Flexforce%20IT\">Flexforce IT</a></th><td>1</td><td>1"
                        "</td><td>2 days 3 hours</td><td>1</td><td>0</td><td>1</td><td>2</td>"));
  EXPECT_THAT(page.html,
              HasSubstr("<a href=\"/agencies/-\">(no agency)</a></th><td>1</td><td>1"
                        "</td><td>0 seconds</td><td>0</td><td>1</td><td>0</td><td>1</td>"));
}

TEST_F(DashboardPages, AgencyPageListsContractorsAndOpenFindings) {
  Page page = agency_page(context(), "Flexforce IT");
  EXPECT_EQ(page.status, 200u);
  expect_safe_document(page.html);
  EXPECT_THAT(page.html, HasSubstr("<h1>Flexforce IT</h1>"));
  EXPECT_THAT(page.html,
              HasSubstr("<a href=\"/people/mallory\">Mallory Meier</a></th><td>2026-03-13"
                        "</td><td>2 days past the end</td><td>active</td><td>2</td>"));
  EXPECT_EQ(count(page.html, "<tr data-fingerprint="), 2u);
  EXPECT_THAT(page.html, HasSubstr("name=\"next\" value=\"/agencies/Flexforce%20IT\""));

  page = agency_page(context(), "-");
  EXPECT_EQ(page.status, 200u);
  EXPECT_THAT(page.html, HasSubstr("<h1>(no agency)</h1>"));
  EXPECT_THAT(page.html, HasSubstr("<a href=\"/people/trent%202\">Trent</a>"));
  EXPECT_EQ(count(page.html, "<tr data-fingerprint="), 1u);
}

TEST_F(DashboardPages, ChecklistPageIsTheChecklistInTheLayout) {
  const Page page = checklist_page(context(), "mallory");
  EXPECT_EQ(page.status, 200u);
  expect_safe_document(page.html);
  const auto body = checklist::render_html_body(m_view.checklists[0], m_zone);
  EXPECT_THAT(page.html, HasSubstr(body));
  EXPECT_THAT(page.html, HasSubstr("<h1>Offboarding checklist: mallory (Mallory Meier)</h1>"));
  EXPECT_THAT(page.html, HasSubstr("<a href=\"/people/mallory\">"));
}

TEST_F(DashboardPages, ChecklistPageShowsItemsTickedSinceTheScan) {
  auto transaction = store::Transaction::begin(*m_db);
  ASSERT_TRUE(transaction);
  ASSERT_TRUE(store::ChecklistRows(*m_db).write(
      "mallory",
      {store::ChecklistItemRow{"account", "access", "Disable the account", "{}", std::nullopt,
                               "at the end", true, std::nullopt, ""}},
      k_now - 1h));
  ASSERT_TRUE(transaction->commit());
  ASSERT_TRUE(
      store::ChecklistRows(*m_db).mark_done("mallory", "account", k_now - 30min, "ticked by bob"));
  EXPECT_THAT(checklist_page(context(), "mallory").html, HasSubstr("ticked by bob"));
}

TEST(DashboardChecklist, RenderHtmlIsTheBodyInItsDocument) {
  checklist::Checklist list;
  list.person = "p";
  list.account = "enabled";
  const Zone zone = *find_zone("UTC");
  const std::string whole = checklist::render_html(list, zone);
  const std::string body = checklist::render_html_body(list, zone);
  ASSERT_THAT(whole, HasSubstr("</style></head><body>\n" + body + "</body></html>\n"));
  EXPECT_EQ(whole.rfind("<!DOCTYPE html>\n", 0), 0u);
  EXPECT_EQ(body.rfind("<h1>Offboarding checklist: p</h1>\n", 0), 0u);
}

TEST_F(DashboardPages, HostileValuesStayText) {
  const std::string hostile = "<script>alert(1)</script>\"><img src=x onerror=alert(1)>\u202E\xff";
  View view;
  view.zone = m_zone;
  view.built_at = k_now;
  view.directory_source = hostile;
  Person person;
  person.id = hostile;
  person.name = hostile;
  person.kind = hostile;
  person.agency = hostile;
  person.seconded = true;
  person.engagements = {hostile};
  person.contact = hostile;
  person.stated_end = hostile;
  person.end_problem = hostile;
  person.grants = {Grant{hostile, hostile, false, {GrantPath{{hostile}, {hostile}}}}};
  view.people = {person};
  System system;
  system.id = hostile;
  system.name = hostile;
  system.criticality = hostile;
  system.repositories = {hostile};
  system.holders = {Holder{hostile, hostile, true, true, true, 1, 1, 1, 0}};
  system.files_per_author = {{hostile, hostile, 1}};
  system.operator_ids = {hostile};
  system.operator_labels = {hostile};
  system.docs_by_leavers = {DocsTouched{hostile, hostile, hostile, {hostile}}};
  view.systems = {system};
  Agency agency;
  agency.name = hostile;
  agency.contractor_ids = {hostile};
  view.agencies = {agency};
  checklist::Checklist list;
  list.person = hostile;
  list.name = hostile;
  list.agency = hostile;
  list.account = hostile;
  checklist::Item item;
  item.id = "account";
  item.text = hostile;
  item.due_rule = hostile;
  list.items = {item};
  view.checklists = {list};
  view.index();

  Finding finding = make_finding(hostile, hostile, hostile, Severity::critical);
  finding.summary = hostile;
  record({finding}, k_now - 1h);
  ASSERT_TRUE(store::FindingsStore(*m_db).ack(
      {finding.fingerprint(), k_now + 24h, hostile, hostile, k_now - 30min}));
  record({finding, m_missing}, k_now - 20min);

  const PageContext c{view, *m_db, k_now, hostile, hostile, hostile};
  const std::vector<Page> pages{overview_page(c),
                                person_page(c, hostile),
                                system_page(c, hostile),
                                agencies_page(c),
                                agency_page(c, hostile),
                                checklist_page(c, hostile),
                                person_page(c, hostile + "x"),
                                not_found_page(c)};
  for (const auto& page : pages) {
    expect_safe_document(page.html);
    EXPECT_THAT(page.html, Not(HasSubstr("<img")));
    EXPECT_THAT(page.html, Not(HasSubstr("\xff")));
    EXPECT_THAT(page.html, Not(HasSubstr("\" onerror")));
    // Every onerror= is inside escaped text, after the escaped <img.
    for (auto at = page.html.find("onerror="); at != std::string::npos;
         at = page.html.find("onerror=", at + 1))
      EXPECT_EQ(page.html.substr(at - 14, 14), "&lt;img src=x ");
  }
  EXPECT_EQ(pages[1].status, 200u);
  EXPECT_EQ(pages[2].status, 200u);
  EXPECT_EQ(pages[4].status, 200u);
  EXPECT_EQ(pages[5].status, 200u);
  EXPECT_THAT(pages[0].html,
              HasSubstr("href=\"/people/%3Cscript%3Ealert%281%29%3C%2Fscript%3E%22%3E"
                        "%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E%E2%80%AE%FF\""));
  EXPECT_THAT(pages[0].html,
              HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x "
                        "onerror=alert(1)&gt;\\u{202e}\xEF\xBF\xBD"));
}

TEST(DashboardLogin, FormWithTokenNextAndAlert) {
  std::string html = login_page("wrong <token>", "/people/mallory");
  expect_safe_document(html);
  EXPECT_THAT(html, HasSubstr("<form method=\"post\" action=\"/login\">"));
  EXPECT_THAT(html, HasSubstr("<label for=\"token\">"));
  EXPECT_THAT(html, HasSubstr("<input type=\"password\" name=\"token\" id=\"token\""));
  EXPECT_THAT(html, HasSubstr("<input type=\"hidden\" name=\"next\" value=\"/people/mallory\">"));
  EXPECT_THAT(html, HasSubstr("<p class=\"error\" role=\"alert\">wrong &lt;token&gt;</p>"));
  EXPECT_THAT(html, HasSubstr("<button type=\"submit\">"));

  for (const char* elsewhere : {"https://evil.example/", "//evil.example/x", "/\\evil.example",
                                "javascript:alert(1)", "/a\nb", ""})
    EXPECT_THAT(login_page("", elsewhere), HasSubstr("name=\"next\" value=\"/\">")) << elsewhere;
  EXPECT_THAT(login_page("", ""), Not(HasSubstr("role=\"alert\"")));
}

TEST(DashboardCss, CalmAndSelfContained) {
  const std::string css(dashboard_css());
  EXPECT_THAT(css, HasSubstr("@media print"));
  EXPECT_THAT(css, HasSubstr(".scroll"));
  EXPECT_THAT(css, HasSubstr(":focus"));
  EXPECT_THAT(css, Not(HasSubstr("url(")));
  EXPECT_THAT(css, Not(HasSubstr("@import")));
}

}  // namespace
}  // namespace secondsight::app::dashboard
