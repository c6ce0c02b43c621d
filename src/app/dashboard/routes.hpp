// The dashboard's side of the API listener: logging in and out, the pages of a session, the
// stylesheet, and acknowledging a finding from a page. The daemon's event loop owns one
// Dashboard and asks it first; a path that is not the dashboard's is left to the JSON API.
//
//   GET  /login                 the form (public)
//   POST /login                 token, next: a session cookie and 303 to next
//   POST /logout                csrf: the session ends, 303 to /login
//   GET  /dashboard.css         the stylesheet (public)
//   GET  /  /people/ID  /systems/ID  /agencies  /agencies/NAME ("-": no agency)
//        /checklists/ID         the pages (a session)
//   POST /findings/FP/ack       csrf, until, reason, next: the ack, 303 to next
//
// Without a session a page answers a browser (Accept: text/html) with 303 to /login?next=PATH
// and anything else with 401; neither says anything about the company. A POST must come from a
// page of this server (Origin and Sec-Fetch-Site, when sent, say so) and, in a session, carry
// the session's CSRF token; else 403.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "secondsight/app/api_server.hpp"
#include "secondsight/core/time.hpp"
#include "secondsight/store/database.hpp"
#include "sessions.hpp"
#include "view.hpp"

namespace secondsight::app::dashboard {

inline constexpr std::string_view k_session_cookie = "secondsight_session";

// Percent-decoding of one path segment or form value (`plus_is_space` for forms); nullopt for
// a broken escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

// The fields of an application/x-www-form-urlencoded body; nullopt when it is not one.
std::optional<std::vector<std::pair<std::string, std::string>>> parse_form(std::string_view body);

// A path of this site to go to after a POST: `next` when it is a plain path ("/…", not "//…",
// no backslash or control character), else "/".
std::string safe_next(std::string_view next);

class Dashboard {
 public:
  // The tokens people log in with: the API's own (as "api") and dashboard_tokens_file's. The
  // sessions of names no longer among them end.
  void set_tokens(const std::string& api_token, std::vector<NamedToken> named);
  // The view of the latest scan.
  void set_view(std::shared_ptr<const View> view) { m_view = std::move(view); }

  // The answer to a request for one of the dashboard's paths; nullopt for any other path.
  std::optional<ApiResponse> answer(const ApiRequest& request, store::Database& database,
                                    Instant now);

  std::size_t sessions() const { return m_sessions.size(); }

 private:
  ApiResponse login(const ApiRequest& request, store::Database& database, Instant now);
  ApiResponse logout(const ApiRequest& request, Session& session, std::string_view id,
                     store::Database& database, Instant now);
  ApiResponse ack(const ApiRequest& request, Session& session, std::string_view fingerprint,
                  store::Database& database, Instant now);

  std::vector<NamedToken> m_tokens;
  Sessions m_sessions;
  LoginThrottle m_throttle;
  std::shared_ptr<const View> m_view;
};

}  // namespace secondsight::app::dashboard
