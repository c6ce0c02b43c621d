// The dashboard's HTTP side against a real state database: logging in and out, what a request
// without a session gets, the CSRF and origin checks, acknowledging a finding, and the tokens
// file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <optional>
#include <string>

#include "app/dashboard/routes.hpp"
#include "fixtures/findings.hpp"
#include "fixtures/temp_dir.hpp"
#include "secondsight/app/findings_update.hpp"
#include "secondsight/store/evidence_log.hpp"
#include "secondsight/store/findings_store.hpp"

namespace secondsight::app::dashboard {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;
using ::testing::StartsWith;

constexpr const char* k_api_token = "api-token-0123456789";
constexpr const char* k_alice_token = "alice-token-0123456789";

std::string header(const ApiResponse& response, std::string_view name) {
  for (const auto& [key, value] : response.headers)
    if (key == name) return value;
  return {};
}

class DashboardRoutes : public ::testing::Test {
 protected:
  void SetUp() override {
    auto database = store::Database::open(m_folder.path() / "state.db");
    ASSERT_TRUE(database) << database.error().message;
    m_database.emplace(std::move(*database));
    m_dashboard.set_tokens(k_api_token, {{"alice", k_alice_token}});
    auto view = std::make_shared<View>();
    view->zone = date::locate_zone("Europe/Amsterdam");
    Person frank;
    frank.id = "frank";
    frank.name = "Frank";
    frank.agency = "Flexforce";
    view->people.push_back(frank);
    view->index();
    m_dashboard.set_view(view);
  }

  ApiRequest request(std::string method, std::string target, std::string body = {}) {
    ApiRequest asked{std::move(method), std::move(target)};
    asked.host = "127.0.0.1:9477";
    asked.peer = "127.0.0.1";
    asked.accept = "text/html";
    asked.body = std::move(body);
    if (!asked.body.empty()) asked.content_type = "application/x-www-form-urlencoded";
    if (!m_cookie.empty()) asked.cookie = "other=1; " + m_cookie;
    return asked;
  }

  ApiResponse ask(const ApiRequest& asked) {
    auto answer = m_dashboard.answer(asked, *m_database, m_now);
    EXPECT_TRUE(answer) << asked.target;
    return answer ? *answer : ApiResponse{};
  }

  ApiResponse log_in(const std::string& token) {
    auto answer = ask(request("POST", "/login", "token=" + token + "&next=%2Fpeople%2Ffrank"));
    const std::string cookie = header(answer, "Set-Cookie");
    if (answer.status == 303) m_cookie = cookie.substr(0, cookie.find(';'));
    return answer;
  }

  // The session's CSRF token, as the page's forms carry it.
  std::string csrf() {
    auto page = ask(request("GET", "/"));
    const auto at = page.body.find("name=\"csrf\" value=\"");
    EXPECT_NE(at, std::string::npos) << page.body;
    if (at == std::string::npos) return {};
    const auto start = at + std::string_view("name=\"csrf\" value=\"").size();
    return page.body.substr(start, page.body.find('"', start) - start);
  }

  std::vector<store::EvidenceEntry> evidence() {
    auto entries = store::EvidenceLog(*m_database).entries(std::nullopt);
    EXPECT_TRUE(entries) << entries.error().message;
    return entries ? *entries : std::vector<store::EvidenceEntry>{};
  }

  testing::TempDir m_folder;
  std::optional<store::Database> m_database;
  Dashboard m_dashboard;
  Instant m_now = *parse_rfc3339("2026-03-16T12:00:00Z");
  std::string m_cookie;
};

TEST_F(DashboardRoutes, OnlyItsOwnPathsAreAnswered) {
  for (const char* path : {"/healthz", "/metrics", "/api/v1/findings", "/favicon.ico", "/login2"})
    EXPECT_FALSE(m_dashboard.answer(request("GET", path), *m_database, m_now)) << path;
}

TEST_F(DashboardRoutes, WithoutASessionABrowserIsSentToLoginAndAnythingElseGets401) {
  for (const char* path : {"/", "/people/frank", "/systems/billing", "/agencies",
                           "/agencies/Flexforce", "/checklists/frank", "/people/nobody"}) {
    auto answer = ask(request("GET", path));
    EXPECT_EQ(answer.status, 303u) << path;
    EXPECT_EQ(header(answer, "Location"), "/login?next=" + std::string(path)) << path;
    EXPECT_THAT(answer.body, Not(HasSubstr("rank"))) << path;

    auto api_client = request("GET", path);
    api_client.accept = "application/json";
    answer = ask(api_client);
    EXPECT_EQ(answer.status, 401u) << path;
    EXPECT_THAT(answer.body, Not(HasSubstr("rank"))) << path;
  }
  // The API's bearer token is no session.
  auto with_bearer = request("GET", "/people/frank");
  with_bearer.bearer = true;
  EXPECT_EQ(ask(with_bearer).status, 303u);
  EXPECT_EQ(ask(request("POST", "/findings/abc/ack", "csrf=x&until=2027-01-01&reason=r")).status,
            401u);
  // The stylesheet and the login form are for everyone.
  EXPECT_EQ(ask(request("GET", "/dashboard.css")).status, 200u);
  EXPECT_EQ(ask(request("GET", "/login")).status, 200u);
}

TEST_F(DashboardRoutes, ALoginSetsAStrictCookieGoesOnAndIsInTheEvidenceLog) {
  auto answer = log_in(k_alice_token);
  ASSERT_EQ(answer.status, 303u) << answer.body;
  EXPECT_EQ(header(answer, "Location"), "/people/frank");
  const std::string cookie = header(answer, "Set-Cookie");
  EXPECT_THAT(cookie, StartsWith(std::string(k_session_cookie) + "="));
  for (const char* flag : {"; Path=/", "; HttpOnly", "; SameSite=Strict", "; Max-Age=43200"})
    EXPECT_THAT(cookie, HasSubstr(flag));
  EXPECT_THAT(cookie, Not(HasSubstr("Secure")));  // plain HTTP on loopback
  EXPECT_EQ(m_cookie.size(), std::string(k_session_cookie).size() + 1 + 64);

  auto page = ask(request("GET", "/"));
  EXPECT_EQ(page.status, 200u);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_THAT(page.body, HasSubstr("alice"));
  EXPECT_EQ(ask(request("GET", "/people/frank")).status, 200u);
  EXPECT_EQ(ask(request("GET", "/people/nobody")).status, 404u);
  EXPECT_EQ(ask(request("GET", "/people/fr%ank")).status, 404u);
  EXPECT_EQ(ask(request("GET", "/people/frank/more")).status, 404u);
  EXPECT_EQ(ask(request("POST", "/")).status, 405u);
  // Logged in already: the form sends the browser on.
  EXPECT_EQ(ask(request("GET", "/login?next=/agencies")).status, 303u);

  const auto entries = evidence();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].change, store::k_dashboard_login);
  EXPECT_EQ(entries[0].fingerprint, store::k_dashboard_key);
  EXPECT_THAT(entries[0].payload, HasSubstr("\"by\":\"alice\""));
  EXPECT_THAT(entries[0].payload, HasSubstr("\"from\":\"127.0.0.1\""));

  // Over TLS the cookie is Secure too.
  m_cookie.clear();
  auto tls = request("POST", "/login", std::string("token=") + k_api_token);
  tls.tls = true;
  auto secure = ask(tls);
  EXPECT_EQ(secure.status, 303u);
  EXPECT_EQ(header(secure, "Location"), "/");
  EXPECT_THAT(header(secure, "Set-Cookie"), HasSubstr("; Secure"));
  EXPECT_THAT(evidence().back().payload, HasSubstr("\"by\":\"api\""));
}

TEST_F(DashboardRoutes, AWrongTokenIsRefusedAndGuessingIsBraked) {
  for (int i = 0; i < LoginThrottle::k_failures; ++i) {
    auto answer = log_in("wrong-token-0123456789");
    EXPECT_EQ(answer.status, 401u);
    EXPECT_THAT(answer.body, HasSubstr("not valid"));
    EXPECT_EQ(header(answer, "Set-Cookie"), "");
  }
  auto braked = log_in(k_alice_token);  // even the right one, for a while
  EXPECT_EQ(braked.status, 429u);
  EXPECT_EQ(header(braked, "Retry-After"), "60");
  // Another address is not braked.
  auto elsewhere = request("POST", "/login", std::string("token=") + k_alice_token);
  elsewhere.peer = "127.0.0.2";
  EXPECT_EQ(ask(elsewhere).status, 303u);
  // After the window, the first address may try again.
  m_now += LoginThrottle::k_window;
  EXPECT_EQ(log_in(k_alice_token).status, 303u);
  EXPECT_TRUE(evidence().size() == 2u);  // the two logins, no failure
}

TEST_F(DashboardRoutes, APostFromAnotherSiteOrWithoutTheSessionsTokenIsRefused) {
  ASSERT_EQ(log_in(k_alice_token).status, 303u);
  const std::string token = csrf();
  ASSERT_EQ(token.size(), 64u);

  auto foreign = request("POST", "/login", std::string("token=") + k_alice_token);
  foreign.origin = "https://evil.example";
  EXPECT_EQ(ask(foreign).status, 403u);
  auto cross_site = request("POST", "/logout", "csrf=" + token);
  cross_site.fetch_site = "cross-site";
  EXPECT_EQ(ask(cross_site).status, 403u);
  EXPECT_EQ(ask(request("POST", "/logout", "csrf=" + token + "0")).status, 403u);
  EXPECT_EQ(ask(request("POST", "/logout")).status, 403u);
  // Still logged in.
  EXPECT_EQ(ask(request("GET", "/")).status, 200u);

  // A browser's own form under Referrer-Policy no-referrer: Origin null, same-origin.
  auto null_origin = request("POST", "/logout", "csrf=" + token);
  null_origin.origin = "null";
  null_origin.fetch_site = "cross-site";
  EXPECT_EQ(ask(null_origin).status, 403u);
  auto same = request("POST", "/logout", "csrf=" + token);
  same.origin = "null";
  same.fetch_site = "same-origin";
  auto out = ask(same);
  EXPECT_EQ(out.status, 303u);
  EXPECT_EQ(header(out, "Location"), "/login");
  EXPECT_THAT(header(out, "Set-Cookie"), HasSubstr("Max-Age=0"));
  EXPECT_EQ(ask(request("GET", "/")).status, 303u);
  EXPECT_EQ(m_dashboard.sessions(), 0u);
  EXPECT_EQ(evidence().back().change, store::k_dashboard_logout);
}

TEST_F(DashboardRoutes, AnAckFromThePageIsRecordedWithTheLoggedInName) {
  auto recorded = record_findings(
      *m_database,
      {testing::make_finding("missing_end_date", "frank", std::nullopt, Severity::high)}, {},
      m_now);
  ASSERT_TRUE(recorded) << recorded.error().message;
  ASSERT_EQ(recorded->open.size(), 1u);
  const std::string fingerprint = recorded->open[0].fingerprint;
  ASSERT_EQ(log_in(k_alice_token).status, 303u);
  const std::string token = csrf();
  const std::string path = "/findings/" + fingerprint + "/ack";

  EXPECT_EQ(ask(request("POST", path, "until=2026-04-01&reason=contract+extended")).status, 403u);
  // Values the rules refuse: nothing acked, and the page says why.
  for (const char* bad :
       {"until=2026-03-01&reason=r", "until=soon&reason=r", "until=2026-04-01&reason=+++"}) {
    auto answer =
        ask(request("POST", path, "csrf=" + token + "&" + bad + "&next=%2Fpeople%2Ffrank"));
    EXPECT_EQ(answer.status, 303u) << bad;
    EXPECT_EQ(header(answer, "Location"), "/people/frank");
    EXPECT_THAT(ask(request("GET", "/")).body, HasSubstr("Not acked")) << bad;
  }
  auto unknown =
      ask(request("POST", "/findings/0000/ack", "csrf=" + token + "&until=2026-04-01&reason=r"));
  EXPECT_EQ(unknown.status, 303u);
  EXPECT_THAT(ask(request("GET", "/")).body, HasSubstr("Not acked"));

  auto acked = ask(request(
      "POST", path, "csrf=" + token + "&until=2026-04-01&reason=contract+extended&next=//x"));
  EXPECT_EQ(acked.status, 303u);
  EXPECT_EQ(header(acked, "Location"), "/");
  auto page = ask(request("GET", "/")).body;
  EXPECT_THAT(page, HasSubstr("Acked missing_end_date frank"));
  // The notice is shown once.
  EXPECT_THAT(ask(request("GET", "/")).body, Not(HasSubstr("Acked")));

  auto stored = store::FindingsStore(*m_database).get(fingerprint);
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->ack_by, "alice");
  EXPECT_EQ((*stored)->ack_reason, "contract extended");
  EXPECT_EQ(format_rfc3339(*(*stored)->acked_until), "2026-04-01T22:00:00Z");
  EXPECT_EQ(evidence().back().change, "acked");
}

TEST_F(DashboardRoutes, EveryAckBetweenPagesIsWrittenForOtherReadersToSee) {
  std::vector<findings::Finding> seen;
  for (const char* person : {"frank", "gina", "hugo"})
    seen.push_back(testing::make_finding("missing_end_date", person, std::nullopt, Severity::high));
  auto recorded = record_findings(*m_database, seen, {}, m_now);
  ASSERT_TRUE(recorded) << recorded.error().message;
  ASSERT_EQ(log_in(k_alice_token).status, 303u);
  int acked = 0;
  for (const auto& finding : recorded->open) {
    for (const char* page : {"/", "/people/frank", "/agencies", "/agencies/Flexforce"})
      EXPECT_LT(ask(request("GET", page)).status, 500u) << page;
    const std::string token = csrf();
    ask(request("POST", "/findings/" + finding.fingerprint + "/ack",
                "csrf=" + token + "&until=2026-04-01&reason=r"));
    ++acked;
    // Another connection, as the command line would read it.
    auto other = store::Database::open(m_folder.path() / "state.db");
    ASSERT_TRUE(other) << other.error().message;
    auto entries = store::EvidenceLog(*other).entries(std::nullopt);
    ASSERT_TRUE(entries);
    EXPECT_EQ(std::count_if(entries->begin(), entries->end(),
                            [](const auto& e) { return e.change == "acked"; }),
              acked);
  }
}

TEST_F(DashboardRoutes, SessionsEndWhenIdleWhenOldAndWhenTheirTokenGoes) {
  ASSERT_EQ(log_in(k_alice_token).status, 303u);
  m_now += Sessions::k_idle - std::chrono::seconds(1);
  EXPECT_EQ(ask(request("GET", "/")).status, 200u);
  m_now += Sessions::k_idle;
  EXPECT_EQ(ask(request("GET", "/")).status, 303u);

  // Used every 50 minutes, a session still ends 12 hours after the login.
  ASSERT_EQ(log_in(k_alice_token).status, 303u);
  const Instant opened = m_now;
  const auto step = std::chrono::minutes(50);
  while (m_now + step - opened < Sessions::k_lifetime) {
    m_now += step;
    ASSERT_EQ(ask(request("GET", "/")).status, 200u);
  }
  m_now += step;
  EXPECT_EQ(ask(request("GET", "/")).status, 303u);

  ASSERT_EQ(log_in(k_alice_token).status, 303u);
  m_dashboard.set_tokens(k_api_token, {{"bob", "bob-token-0123456789"}});
  EXPECT_EQ(ask(request("GET", "/")).status, 303u);
  EXPECT_EQ(log_in(k_alice_token).status, 401u);
}

TEST(DashboardForms, PathsAndFormsAreDecodedStrictly) {
  EXPECT_EQ(percent_decode("a%2Fb%20c+d", false), "a/b c+d");
  EXPECT_EQ(percent_decode("a+b", true), "a b");
  for (const char* broken : {"%", "%2", "%zz", "a%2"}) EXPECT_FALSE(percent_decode(broken, false));
  auto form = parse_form("token=a%3Db&next=%2F&empty=&flag");
  ASSERT_TRUE(form);
  EXPECT_THAT(*form, Contains(Pair("token", "a=b")));
  EXPECT_THAT(*form, Contains(Pair("empty", "")));
  EXPECT_THAT(*form, Contains(Pair("flag", "")));
  EXPECT_FALSE(parse_form("a=%G0"));

  EXPECT_EQ(safe_next("/people/frank"), "/people/frank");
  for (const char* foreign :
       {"", "//evil.example/", "https://evil.example/", "/\\evil.example", "people", "/a\nb"})
    EXPECT_EQ(safe_next(foreign), "/") << foreign;
}

class TokensFile : public ::testing::Test {
 protected:
  Result<std::vector<NamedToken>> read(const std::string& text, mode_t mode = 0600) {
    const auto path = m_folder.path() / "tokens";
    std::ofstream(path) << text;
    ::chmod(path.c_str(), mode);
    return read_tokens_file(path);
  }
  testing::TempDir m_folder;
};

TEST_F(TokensFile, NamedTokensAreReadAndEveryMistakeNamesItsLineButNeverAToken) {
  auto tokens =
      read("# who may look\n\nalice: alice-token-0123456789\n  bob :bob-token-0123456789\r\n");
  ASSERT_TRUE(tokens) << tokens.error().message;
  ASSERT_EQ(tokens->size(), 2u);
  EXPECT_EQ((*tokens)[1].name, "bob");
  EXPECT_EQ((*tokens)[1].token, "bob-token-0123456789");
  EXPECT_EQ(name_of_token(*tokens, "bob-token-0123456789"), "bob");
  EXPECT_EQ(name_of_token(*tokens, "bob-token-012345678"), "");

  const std::string secret = "secret-token-0123456789";
  const std::pair<std::string, std::string> refused[] = {
      {"alice " + secret + "\n", ":1: expected NAME: TOKEN"},
      {"ok: " + secret + "\nal ice: x" + secret + "\n", ":2: a name is"},
      {"api: " + secret + "\n", ":1: 'api' is the name of the API's own token"},
      {"alice: short\n", ":1: the token of alice must be 16"},
      {"alice: " + secret + " x\n", ":1: the token of alice"},
      {"alice: " + secret + "\nalice: x" + secret + "\n", ":2: alice is named twice"},
      {"alice: " + secret + "\nbob: " + secret + "\n", ":2: bob has the same token as alice"},
  };
  for (const auto& [text, message] : refused) {
    auto read_back = read(text);
    ASSERT_FALSE(read_back) << text;
    EXPECT_THAT(read_back.error().message, HasSubstr(message)) << text;
    EXPECT_THAT(read_back.error().message, Not(HasSubstr("secret"))) << text;
  }
  auto open = read("alice: " + secret + "\n", 0640);
  ASSERT_FALSE(open);
  EXPECT_THAT(open.error().message, HasSubstr("may be read by others"));
  EXPECT_FALSE(read_tokens_file(m_folder.path() / "missing"));
}

}  // namespace
}  // namespace secondsight::app::dashboard
