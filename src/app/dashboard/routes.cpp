#include "routes.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <charconv>
#include <set>
#include <utility>

#include "pages.hpp"
#include "secondsight/app/findings_update.hpp"
#include "secondsight/core/logging.hpp"
#include "secondsight/store/evidence_log.hpp"
#include "secondsight/store/findings_store.hpp"

namespace secondsight::app::dashboard {
namespace {

constexpr std::string_view k_html = "text/html; charset=utf-8";
constexpr std::string_view k_text = "text/plain; charset=utf-8";

struct Target {
  std::string_view path;
  std::string_view query;
};

Target split_target(std::string_view target) {
  const auto mark = target.find('?');
  if (mark == std::string_view::npos) return {target, {}};
  return {target.substr(0, mark), target.substr(mark + 1)};
}

// The page paths with one segment after them.
constexpr std::array<std::string_view, 4> k_page_prefixes = {"/people/", "/systems/", "/agencies/",
                                                             "/checklists/"};

bool is_dashboard_path(std::string_view path) {
  if (path == "/" || path == "/login" || path == "/logout" || path == "/dashboard.css" ||
      path == "/agencies")
    return true;
  for (auto prefix : k_page_prefixes)
    if (path.starts_with(prefix)) return true;
  return path.starts_with("/findings/");
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The value of one cookie of a Cookie header; "" when it is not there.
std::string_view cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const auto end = header.find(';');
    std::string_view pair = header.substr(0, end);
    header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
    const auto start = pair.find_first_not_of(' ');
    if (start == std::string_view::npos) continue;
    pair = pair.substr(start);
    const auto equals = pair.find('=');
    if (equals != std::string_view::npos && pair.substr(0, equals) == name)
      return pair.substr(equals + 1);
  }
  return {};
}

std::string session_cookie(std::string_view id, bool tls, long long max_age) {
  return fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}", k_session_cookie, id,
                     max_age, tls ? "; Secure" : "");
}

std::string encode_query_value(std::string_view text) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  for (char byte : text) {
    const auto c = static_cast<unsigned char>(byte);
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += k_hex[c >> 4];
      out += k_hex[c & 0xf];
    }
  }
  return out;
}

ApiResponse redirect(std::string location) {
  return {303, std::string(k_text), "", {{"Location", std::move(location)}}};
}

ApiResponse html(unsigned status, std::string body) {
  return {status, std::string(k_html), std::move(body)};
}

ApiResponse method_not_allowed(std::string_view allowed) {
  return {405, std::string(k_text), "method not allowed\n", {{"Allow", std::string(allowed)}}};
}

ApiResponse forbidden(std::string_view why) {
  return {403, std::string(k_text), std::string(why) + "\n"};
}

// A POST that a page of this server sent. Sec-Fetch-Site, which browsers set themselves, says
// same-origin; without it (an older browser), an Origin the browser sends is this server's.
// Under Referrer-Policy no-referrer a browser sends "Origin: null" for its own forms, so null
// is no refusal by itself; the session's CSRF token still is checked.
bool from_this_site(const ApiRequest& request) {
  if (!request.fetch_site.empty()) {
    const auto site = lower(request.fetch_site);
    return site == "same-origin" || site == "none";
  }
  if (!request.origin.empty() && request.origin != "null") {
    const std::string expected = (request.tls ? "https://" : "http://") + lower(request.host);
    if (lower(request.origin) != expected) return false;
  }
  return true;
}

std::string field(const std::vector<std::pair<std::string, std::string>>& form,
                  std::string_view name) {
  for (const auto& [key, value] : form)
    if (key == name) return value;
  return {};
}

bool is_get(const ApiRequest& request) {
  return request.method == "GET" || request.method == "HEAD";
}

// An evidence log entry of a session: no finding, who and from where.
Result<void> record_session(store::Database& database, Instant now, std::string_view change,
                            const std::string& name, const std::string& peer) {
  auto transaction = store::Transaction::begin(database);
  if (!transaction) return transaction.error();
  store::EvidenceLog evidence(database);
  auto entry =
      evidence.append(now, store::k_dashboard_key, change, "info", {{"by", name}, {"from", peer}});
  if (!entry) return entry.error();
  return transaction->commit();
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = hex(text[i + 1]);
      const int low = hex(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::vector<std::pair<std::string, std::string>>> parse_form(std::string_view body) {
  std::vector<std::pair<std::string, std::string>> fields;
  while (!body.empty()) {
    const auto end = body.find('&');
    const std::string_view pair = body.substr(0, end);
    body = end == std::string_view::npos ? std::string_view() : body.substr(end + 1);
    if (pair.empty()) continue;
    const auto equals = pair.find('=');
    auto key = percent_decode(pair.substr(0, equals), true);
    auto value = percent_decode(
        equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1), true);
    if (!key || !value) return std::nullopt;
    fields.emplace_back(std::move(*key), std::move(*value));
  }
  return fields;
}

std::string safe_next(std::string_view next) {
  if (next.empty() || next.front() != '/' || next.starts_with("//")) return "/";
  for (char byte : next) {
    const auto c = static_cast<unsigned char>(byte);
    if (c == '\\' || c < 0x20 || c == 0x7f) return "/";
  }
  return std::string(next);
}

namespace {

// The page of a long list a query asks for: ?page=N, N from 1; 1 for anything else.
std::size_t list_page(std::string_view query) {
  const auto form = parse_form(query);
  if (!form) return 1;
  const std::string text = field(*form, "page");
  std::size_t page = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), page);
  if (error != std::errc{} || end != text.data() + text.size() || page == 0) return 1;
  return page;
}

}  // namespace

void Dashboard::set_tokens(const std::string& api_token, std::vector<NamedToken> named) {
  m_tokens = std::move(named);
  m_tokens.push_back({std::string(k_api_token_name), api_token});
  std::set<std::string> names;
  for (const auto& token : m_tokens) names.insert(token.name);
  m_sessions.keep_only(names);
}

std::optional<ApiResponse> Dashboard::answer(const ApiRequest& request, store::Database& database,
                                             Instant now) {
  const auto [path, query] = split_target(request.target);
  if (!is_dashboard_path(path)) return std::nullopt;

  if (path == "/dashboard.css") {
    if (!is_get(request)) return method_not_allowed("GET, HEAD");
    return ApiResponse{200, "text/css; charset=utf-8", std::string(dashboard_css())};
  }
  if (path == "/login") return login(request, database, now);

  const std::string session_id(cookie_value(request.cookie, k_session_cookie));
  Session* session = session_id.empty() ? nullptr : m_sessions.find(session_id, now);
  if (!session) {
    if (is_get(request) && request.accept.find("text/html") != std::string::npos)
      return redirect("/login?next=" + encode_query_value(path));
    return ApiResponse{401, std::string(k_text), "log in at /login\n"};
  }

  if (path == "/logout") {
    if (request.method != "POST") return method_not_allowed("POST");
    return logout(request, *session, session_id, database, now);
  }
  if (path.starts_with("/findings/")) {
    const std::string_view rest = path.substr(std::string_view("/findings/").size());
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos || rest.substr(slash) != "/ack")
      return ApiResponse{404, std::string(k_text), "not found\n"};
    if (request.method != "POST") return method_not_allowed("POST");
    return ack(request, *session, rest.substr(0, slash), database, now);
  }

  if (!is_get(request)) return method_not_allowed("GET, HEAD");
  static const View k_no_scan_yet = [] {
    View view;
    view.zone = date::locate_zone("UTC");
    return view;
  }();
  const View& view = m_view ? *m_view : k_no_scan_yet;
  const std::string notice = std::exchange(session->notice, {});
  const PageContext context{view,   database,        now, session->name, session->csrf,
                            notice, list_page(query)};
  logger("dashboard")->info("{} looked at {}", session->name, path);

  Page page;
  if (path == "/") {
    page = overview_page(context);
  } else if (path == "/agencies") {
    page = agencies_page(context);
  } else {
    page = not_found_page(context);
    for (auto prefix : k_page_prefixes) {
      if (!path.starts_with(prefix)) continue;
      const auto segment = path.substr(prefix.size());
      const auto decoded = percent_decode(segment, false);
      if (segment.empty() || segment.find('/') != std::string_view::npos || !decoded) break;
      if (prefix == "/people/")
        page = person_page(context, *decoded);
      else if (prefix == "/systems/")
        page = system_page(context, *decoded);
      else if (prefix == "/agencies/")
        page = agency_page(context, *decoded == "-" ? std::string() : *decoded);
      else
        page = checklist_page(context, *decoded);
      break;
    }
  }
  return html(page.status, std::move(page.html));
}

ApiResponse Dashboard::login(const ApiRequest& request, store::Database& database, Instant now) {
  const auto [path, query] = split_target(request.target);
  if (is_get(request)) {
    std::string next;
    if (auto form = parse_form(query)) next = safe_next(field(*form, "next"));
    const std::string session_id(cookie_value(request.cookie, k_session_cookie));
    if (!session_id.empty() && m_sessions.find(session_id, now))
      return redirect(next.empty() ? "/" : next);
    return html(200, login_page("", next));
  }
  if (request.method != "POST") return method_not_allowed("GET, HEAD, POST");
  if (!from_this_site(request)) return forbidden("a login must come from this server's page");
  auto form = parse_form(request.body);
  if (!form) return html(400, login_page("The form could not be read; try again.", "/"));
  const std::string next = safe_next(field(*form, "next"));
  if (auto wait = m_throttle.wait(request.peer, now)) {
    auto answer =
        html(429, login_page(fmt::format("Too many failed logins from your address; try again in "
                                         "{} seconds.",
                                         *wait),
                             next));
    answer.headers.emplace_back("Retry-After", std::to_string(*wait));
    return answer;
  }
  const std::string name = name_of_token(m_tokens, field(*form, "token"));
  if (name.empty()) {
    m_throttle.failed(request.peer, now);
    logger("dashboard")->warn("a failed login from {}", request.peer);
    return html(401, login_page("That token is not valid.", next));
  }
  if (auto recorded = record_session(database, now, store::k_dashboard_login, name, request.peer);
      !recorded) {
    logger("dashboard")->error("cannot record the login of {}: {}", name, recorded.error().message);
    return html(503, login_page("The state database is unavailable; logging in is not "
                                "possible now.",
                                next));
  }
  const std::string id = m_sessions.open(name, now);
  logger("dashboard")->info("{} logged in from {}", name, request.peer);
  auto answer = redirect(next);
  answer.headers.emplace_back(
      "Set-Cookie",
      session_cookie(
          id, request.tls,
          std::chrono::duration_cast<std::chrono::seconds>(Sessions::k_lifetime).count()));
  return answer;
}

ApiResponse Dashboard::logout(const ApiRequest& request, Session& session, std::string_view id,
                              store::Database& database, Instant now) {
  auto form = parse_form(request.body);
  if (!from_this_site(request) || !form || !constant_time_equal(field(*form, "csrf"), session.csrf))
    return forbidden("this form is not from your session; reload the page");
  const std::string name = session.name;
  if (auto recorded = record_session(database, now, store::k_dashboard_logout, name, request.peer);
      !recorded)
    logger("dashboard")
        ->error("cannot record the logout of {}: {}", name, recorded.error().message);
  m_sessions.close(id);
  logger("dashboard")->info("{} logged out", name);
  auto answer = redirect("/login");
  answer.headers.emplace_back("Set-Cookie", session_cookie("", request.tls, 0));
  return answer;
}

ApiResponse Dashboard::ack(const ApiRequest& request, Session& session,
                           std::string_view encoded_fingerprint, store::Database& database,
                           Instant now) {
  auto form = parse_form(request.body);
  if (!from_this_site(request) || !form || !constant_time_equal(field(*form, "csrf"), session.csrf))
    return forbidden("this form is not from your session; reload the page");
  const std::string next = safe_next(field(*form, "next"));
  const auto fingerprint = percent_decode(encoded_fingerprint, false);
  const Zone zone = m_view ? m_view->zone : date::locate_zone("UTC");
  auto until = ack_until(field(*form, "until"), now, zone);
  auto reason = ack_reason(field(*form, "reason"));
  if (!fingerprint) {
    session.notice = "Not acked: the finding's address is broken.";
  } else if (!until) {
    session.notice = "Not acked: until " + until.error().message + ".";
  } else if (!reason) {
    session.notice = "Not acked: reason: " + reason.error().message + ".";
  } else {
    store::FindingsStore findings(database);
    auto acked = findings.ack({*fingerprint, *until, field(*form, "reason"), session.name, now});
    if (!acked) {
      session.notice = "Not acked: " + acked.error().message + ".";
    } else {
      const auto& finding = acked->finding;
      session.notice =
          fmt::format("Acked {} {} {} until {}.", finding.kind, finding.person.value_or("-"),
                      finding.system.value_or("-"), format_local(*until, zone));
      logger("dashboard")
          ->info("{} acked {} until {}", session.name, *fingerprint, format_rfc3339(*until));
    }
  }
  return redirect(next);
}

}  // namespace secondsight::app::dashboard
