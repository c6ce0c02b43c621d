// The dashboard's pages: complete HTML documents, rendered on the server, working without
// JavaScript. Every value from the directory, the logs, git or the state database is escaped;
// pictures are inline SVG drawn here; the only stylesheet is dashboard_css(), served from the
// daemon itself (/dashboard.css), so a strict Content-Security-Policy holds.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "secondsight/core/time.hpp"
#include "secondsight/store/database.hpp"
#include "view.hpp"

namespace secondsight::app::dashboard {

// What every page of a logged-in session reads.
struct PageContext {
  const View& view;  // an empty view (built_at zero) before the first scan
  store::Database& database;
  Instant now;
  std::string_view user;    // the logged-in name, shown in the header
  std::string_view csrf;    // the session's CSRF token, put into every form
  std::string_view notice;  // one line to show at the top ("acked …"); "" for none
  // Of a long list of findings, the page asked for (?page=N, counted from 1; 1 when absent or
  // not a number; past the last one, the last).
  std::size_t list_page = 1;
};

struct Page {
  unsigned status = 200;  // 404 for an unknown id (the page still has the header and links)
  std::string html;
};

Page overview_page(const PageContext& context);
Page person_page(const PageContext& context, std::string_view person_id);
Page system_page(const PageContext& context, std::string_view system_id);
Page agencies_page(const PageContext& context);
Page agency_page(const PageContext& context, std::string_view agency_name);
Page checklist_page(const PageContext& context, std::string_view person_id);
// 404 for a path that names no page, with the header and a link to the overview.
Page not_found_page(const PageContext& context);

// The login form: `error` is shown above it ("" for none); `next` is the path to go to after
// logging in (only a path of this site; anything else is dropped).
std::string login_page(std::string_view error, std::string_view next);

// The one stylesheet: screen, 200% zoom, and print.
std::string_view dashboard_css();

}  // namespace secondsight::app::dashboard
