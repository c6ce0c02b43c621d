// The checklist page (/checklists/ID: the printable checklist inside the dashboard's layout),
// the page for an address that names nothing, and the login form.
#include "html.hpp"
#include "pages.hpp"
#include "parts.hpp"
#include "secondsight/checklist/render.hpp"
#include "secondsight/store/checklist_rows.hpp"

namespace secondsight::app::dashboard {

Page checklist_page(const PageContext& context, std::string_view person_id) {
  const checklist::Checklist* kept = context.view.checklist(person_id);
  if (!kept)
    return no_such_page(context, "No such checklist",
                        "The last scan kept no offboarding checklist for", person_id, "/",
                        "overview");
  // Items ticked since the scan (by hand, or by a later scan) show as done.
  auto rows = store::ChecklistRows(context.database).items(kept->person);
  if (!rows) return database_error_page(context, rows.error());
  checklist::Checklist list = *kept;
  for (auto& item : list.items) {
    if (item.done) continue;
    for (const auto& row : *rows) {
      if (row.item != item.id || !row.done_at) continue;
      item.done = true;
      item.done_at = row.done_at;
      item.done_how = row.done_how;
    }
  }
  std::string body = "<div class=\"checklist\">\n" +
                     checklist::render_html_body(list, zone_of(context.view)) + "</div>\n";
  const std::string name = list.name.empty() ? list.person : list.name;
  if (context.view.person(list.person))
    body +=
        "<p class=\"back\">" + html::link(html::person_path(list.person), name) + "’s page</p>\n";
  return session_page(context, "Checklist of " + name, body);
}

Page not_found_page(const PageContext& context) {
  return session_page(context, "Not found",
                      "<h1>Not found</h1>\n<p>No page has this address. See the <a "
                      "href=\"/\">overview</a>.</p>\n",
                      404);
}

namespace {

// Only a path of this site: "/" then anything but a second "/" or "\" (which browsers read as
// another host), and nothing that is not printable ASCII.
bool local_path(std::string_view next) {
  if (next.empty() || next.front() != '/') return false;
  if (next.size() > 1 && (next[1] == '/' || next[1] == '\\')) return false;
  for (char c : next)
    if (c <= ' ' || c > '~' || c == '\\') return false;
  return true;
}

}  // namespace

std::string login_page(std::string_view error, std::string_view next) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>Log in · secondsight</title>\n<link rel=\"stylesheet\" href=\"/dashboard.css\">\n"
      "</head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to the content</a>\n"
      "<main id=\"main\">\n<div class=\"login\">\n<h1>Log in to secondsight</h1>\n";
  if (!error.empty()) out += "<p class=\"error\" role=\"alert\">" + html::escape(error) + "</p>\n";
  out +=
      "<form method=\"post\" action=\"/login\">\n<label for=\"token\">Access token</label>\n"
      "<input type=\"password\" name=\"token\" id=\"token\" required "
      "autocomplete=\"current-password\">\n<input type=\"hidden\" name=\"next\" value=\"";
  out += html::escape(local_path(next) ? next : "/");
  out +=
      "\">\n<button type=\"submit\">Log in</button>\n</form>\n</div>\n</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace secondsight::app::dashboard
