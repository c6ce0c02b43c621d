#include "parts.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "html.hpp"
#include "secondsight/store/findings_store.hpp"

namespace secondsight::app::dashboard {

using findings::FindingStatus;
using findings::StoredFinding;

Zone zone_of(const View& view) {
  if (view.zone) return view.zone;
  static const Zone utc = date::locate_zone("UTC");
  return utc;
}

std::string local_day(Instant at, Zone zone) {
  return format_date(local_date(at, zone));
}

std::string days_left_text(int days) {
  if (days == 0) return "ends today";
  if (days == 1) return "1 day";
  if (days > 0) return std::to_string(days) + " days";
  if (days == -1) return "1 day past the end";
  return std::to_string(-days) + " days past the end";
}

Page session_page(const PageContext& context, std::string_view title, std::string_view body,
                  unsigned status) {
  std::string out;
  out.reserve(body.size() + 2048);
  out +=
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>";
  out += html::escape(title);
  out +=
      " · secondsight</title>\n<link rel=\"stylesheet\" href=\"/dashboard.css\">\n</head>\n"
      "<body>\n<a class=\"skip\" href=\"#main\">Skip to the content</a>\n<header>\n"
      "<nav aria-label=\"Main\"><ul>"
      "<li><a href=\"/\">Overview</a></li><li><a href=\"/agencies\">Agencies</a></li></ul></nav>\n"
      "<p class=\"user\">signed in as ";
  out += html::escape(context.user);
  out +=
      "</p>\n<form method=\"post\" action=\"/logout\" class=\"logout\">"
      "<input type=\"hidden\" name=\"csrf\" value=\"";
  out += html::escape(context.csrf);
  out += "\"><button type=\"submit\">Log out</button></form>\n</header>\n<main id=\"main\">\n";
  if (!context.notice.empty())
    out += "<p class=\"notice\" role=\"status\">" + html::escape(context.notice) + "</p>\n";
  out += body;
  out += "</main>\n<footer><p>";
  if (context.view.built_at == Instant{})
    out += "No scan has finished yet.";
  else
    out += "Last scan " + html::escape(format_local(context.view.built_at, zone_of(context.view)));
  out += " Page made " + html::escape(format_local(context.now, zone_of(context.view))) + ".";
  out += "</p></footer>\n</body>\n</html>\n";
  return Page{status, std::move(out)};
}

Page database_error_page(const PageContext& context, const Error& error) {
  return session_page(context, "State database error",
                      "<h1>State database error</h1>\n<p role=\"alert\">The state database could "
                      "not be read: " +
                          html::escape(error.message) + "</p>\n",
                      500);
}

bool acked_now(const StoredFinding& stored, Instant now) {
  return stored.acked_until && now < *stored.acked_until;
}

std::string scroll(std::string_view table) {
  return "<div class=\"scroll\">" + std::string(table) + "</div>\n";
}

std::string person_link(const View& view, std::string_view person_id) {
  const Person* person = view.person(person_id);
  return html::link(html::person_path(person_id), person ? person->name : person_id);
}

std::string system_link(const View& view, std::string_view system_id) {
  const System* system = view.system(system_id);
  return html::link(html::system_path(system_id), system ? system->name : system_id);
}

std::string agency_link(std::string_view name) {
  return html::link(html::agency_path(name), html::agency_label(name));
}

namespace {

std::string ack_cell(const PageContext& context, const StoredFinding& stored,
                     std::string_view next) {
  const Zone zone = zone_of(context.view);
  if (stored.status == FindingStatus::resolved)
    return "resolved" + (stored.resolved_at
                             ? " " + html::escape(format_local(*stored.resolved_at, zone))
                             : std::string());
  if (acked_now(stored, context.now))
    return "acked until " + html::escape(format_local(*stored.acked_until, zone)) + " by " +
           html::escape(stored.ack_by) + ": " + html::escape(stored.ack_reason);
  const std::string fp = html::escape(stored.fingerprint);
  const std::string csrf = html::escape(context.csrf);
  return "<form method=\"post\" action=\"" + html::escape(html::ack_path(stored.fingerprint)) +
         "\" class=\"ack\"><input type=\"hidden\" name=\"csrf\" value=\"" + csrf +
         "\"><label for=\"until-" + fp + "\">Until</label><input type=\"date\" name=\"until\" " +
         "required id=\"until-" + fp + "\"><label for=\"reason-" + fp +
         "\">Reason</label><input type=\"text\" name=\"reason\" required maxlength=\"500\" " +
         "id=\"reason-" + fp + "\"><input type=\"hidden\" name=\"next\" value=\"" +
         html::escape(next) + "\"><button type=\"submit\">Ack</button></form>";
}

}  // namespace

std::string findings_table(const PageContext& context, std::span<const StoredFinding> rows,
                           std::string_view caption, std::string_view next) {
  if (rows.empty()) return "<p>" + html::escape(caption) + ": none.</p>\n";
  const Zone zone = zone_of(context.view);
  std::string out;
  out.reserve(rows.size() * 900 + 512);
  out += "<table class=\"findings\"><caption>" + html::escape(caption) + " (" +
         std::to_string(rows.size()) +
         ")</caption>\n<thead><tr><th scope=\"col\">Severity</th><th scope=\"col\">Kind</th>"
         "<th scope=\"col\">Person</th><th scope=\"col\">System</th><th "
         "scope=\"col\">Summary</th><th scope=\"col\">First seen</th><th "
         "scope=\"col\">Ack</th></tr></thead>\n<tbody>\n";
  for (const auto& stored : rows) {
    const auto& f = stored.finding;
    const std::string_view severity = to_string(f.severity);
    out += "<tr data-fingerprint=\"" + html::escape(stored.fingerprint) + "\">";
    out += "<td class=\"severity severity-" + std::string(severity) + "\">" +
           std::string(severity) + "</td>";
    out += "<td>" + html::escape(f.kind) + "</td>";
    out += "<td>" + (f.person ? person_link(context.view, *f.person) : std::string("—")) + "</td>";
    out += "<td>" + (f.system ? system_link(context.view, *f.system) : std::string("—")) + "</td>";
    out += "<td class=\"summary\">" + html::escape(f.summary) + "</td>";
    out += "<td>" + html::escape(format_local(stored.first_seen, zone)) + "</td>";
    out += "<td class=\"ack-state\">" + ack_cell(context, stored, next) + "</td></tr>\n";
  }
  out += "</tbody></table>\n";
  return scroll(out);
}

Page no_such_page(const PageContext& context, std::string_view title, std::string_view text,
                  std::string_view value, std::string_view back_path, std::string_view back) {
  return session_page(context, title,
                      "<h1>" + html::escape(title) + "</h1>\n<p>" + html::escape(text) + " “" +
                          html::escape(value) + "”. See the " + html::link(back_path, back) +
                          ".</p>\n",
                      404);
}

std::string paged_findings_table(const PageContext& context, std::span<const StoredFinding> rows,
                                 std::string_view caption, std::string_view path) {
  if (rows.size() <= k_findings_per_page) return findings_table(context, rows, caption, path);
  const std::size_t pages = (rows.size() + k_findings_per_page - 1) / k_findings_per_page;
  const std::size_t page = std::clamp<std::size_t>(context.list_page, 1, pages);
  const std::size_t first = (page - 1) * k_findings_per_page;
  const std::size_t count = std::min(k_findings_per_page, rows.size() - first);
  auto page_path = [&](std::size_t n) {
    return std::string(path) + (n == 1 ? "" : "?page=" + std::to_string(n));
  };
  const std::string here = page_path(page);
  std::string nav = "<nav class=\"pages\" aria-label=\"" + html::escape(caption) +
                    ", pages\"><p>Page " + std::to_string(page) + " of " + std::to_string(pages) +
                    ": findings " + std::to_string(first + 1) + " to " +
                    std::to_string(first + count) + " of " + std::to_string(rows.size()) + ".";
  auto step = [&](std::size_t n, std::string_view label, std::string_view rel) {
    nav +=
        " " + (n == page ? "<span>" + std::string(label) + "</span>"
                         : "<a href=\"" + html::escape(page_path(n)) + "\"" +
                               (rel.empty() ? std::string() : " rel=\"" + std::string(rel) + "\"") +
                               ">" + std::string(label) + "</a>");
  };
  step(1, "First", "");
  step(page > 1 ? page - 1 : 1, "Previous", "prev");
  step(page < pages ? page + 1 : pages, "Next", "next");
  step(pages, "Last", "");
  nav += "</p></nav>\n";
  const std::string shown = std::string(caption) + ", " + std::to_string(first + 1) + " to " +
                            std::to_string(first + count) + " of " + std::to_string(rows.size());
  return nav + findings_table(context, rows.subspan(first, count), shown, here) + nav;
}

std::string counts_table(std::string_view caption, std::string_view header,
                         const std::vector<std::pair<std::string, std::int64_t>>& rows) {
  std::string out = "<table class=\"counts\"><caption>" + html::escape(caption) +
                    "</caption>\n<thead><tr><th scope=\"col\">" + html::escape(header) +
                    "</th><th scope=\"col\">Open</th></tr></thead>\n<tbody>\n";
  for (const auto& [cell, count] : rows)
    out += "<tr><th scope=\"row\">" + cell + "</th><td>" + std::to_string(count) + "</td></tr>\n";
  if (rows.empty()) out += "<tr><td colspan=\"2\">none</td></tr>\n";
  out += "</tbody></table>\n";
  return scroll(out);
}

Result<std::vector<svg::DayCount>> open_findings_per_day(store::Database& database, Instant now,
                                                         Zone zone, int days) {
  const date::local_days today{local_date(now, zone)};
  const date::local_days first = today - date::days{days - 1};
  const Instant since = start_of_local_day(first, zone);
  auto history = store::FindingsStore(database).open_count_since(since);
  if (!history) return history.error();
  std::vector<std::int64_t> deltas(static_cast<std::size_t>(days), 0);
  for (const auto& [at, delta] : history->changes) {
    if (at > now) break;
    const auto index = (date::local_days{local_date(at, zone)} - first).count();
    if (index >= 0 && index < days) deltas[static_cast<std::size_t>(index)] += delta;
  }
  std::vector<svg::DayCount> out;
  out.reserve(static_cast<std::size_t>(days));
  std::int64_t open = history->open_before;
  for (int i = 0; i < days; ++i) {
    open += deltas[static_cast<std::size_t>(i)];
    out.push_back({format_date(date::year_month_day{first + date::days{i}}), open});
  }
  return out;
}

std::vector<StoredFinding> current_findings(std::vector<StoredFinding> all, Instant now) {
  const Instant recent = now - std::chrono::days{k_recently_resolved_days};
  std::vector<StoredFinding> out;
  for (auto& stored : all)
    if (stored.status == FindingStatus::open) out.push_back(std::move(stored));
  for (auto& stored : all)
    if (stored.status == FindingStatus::resolved && stored.resolved_at &&
        *stored.resolved_at >= recent)
      out.push_back(std::move(stored));
  return out;
}

}  // namespace secondsight::app::dashboard
