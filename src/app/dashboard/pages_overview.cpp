// The overview (/): open findings counted by severity, kind and agency, the open findings over
// the last 90 days, and the list of open findings, newest first.
#include <algorithm>
#include <array>

#include "html.hpp"
#include "pages.hpp"
#include "parts.hpp"
#include "secondsight/store/findings_store.hpp"

namespace secondsight::app::dashboard {

using findings::FindingStatus;
using findings::StoredFinding;

namespace {

std::string history_section(const std::vector<svg::DayCount>& days) {
  std::string out = "<h2 id=\"history\">Open findings over the last " +
                    std::to_string(k_window_days) + " days</h2>\n";
  out += "<figure>" + svg::open_findings_chart("open-per-day", days);
  if (!days.empty())
    out += "<figcaption>" + std::to_string(days.back().count) + " open on " +
           html::escape(days.back().day) + "; " + std::to_string(days.front().count) + " on " +
           html::escape(days.front().day) + ".</figcaption>";
  out += "</figure>\n<details><summary>Open findings per day, as a table</summary>\n";
  std::string table =
      "<table class=\"counts\"><caption>Open findings at the end of each day</caption>\n"
      "<thead><tr><th scope=\"col\">Day</th><th scope=\"col\">Open</th></tr></thead>\n<tbody>\n";
  for (const auto& day : days)
    table += "<tr><th scope=\"row\">" + html::escape(day.day) + "</th><td>" +
             std::to_string(day.count) + "</td></tr>\n";
  table += "</tbody></table>\n";
  out += scroll(table) + "</details>\n";
  return out;
}

}  // namespace

Page overview_page(const PageContext& context) {
  const View& view = context.view;
  auto open =
      store::FindingsStore(context.database).list(FindingStatus::open, store::Evidence::left_out);
  if (!open) return database_error_page(context, open.error());
  auto history = open_findings_per_day(context.database, context.now, zone_of(view), k_window_days);
  if (!history) return database_error_page(context, history.error());

  std::vector<StoredFinding>& rows = *open;
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.first_seen > b.first_seen; });

  std::array<std::int64_t, k_severity_names.size()> by_severity{};
  std::map<std::string, std::int64_t> by_kind;
  std::map<std::string, std::int64_t> by_agency;
  std::int64_t outside_agencies = 0;
  for (const auto& stored : rows) {
    ++by_severity[static_cast<std::size_t>(stored.finding.severity)];
    ++by_kind[stored.finding.kind];
    // Seconded people are their agency's contractors (View::agencies).
    const Person* person = stored.finding.person ? view.person(*stored.finding.person) : nullptr;
    if (person && person->seconded)
      ++by_agency[person->agency];
    else
      ++outside_agencies;
  }

  std::string body = "<h1>Overview</h1>\n";
  if (view.built_at == Instant{})
    body +=
        "<p class=\"empty\">Nothing to show of the directory: no scan has finished yet. The "
        "findings below are those the state database holds.</p>\n";
  else
    body += "<p>Last scan " + html::escape(format_local(view.built_at, zone_of(view))) +
            (view.directory_source.empty() ? std::string()
                                           : ", directory " + html::escape(view.directory_source)) +
            ". " + std::to_string(rows.size()) + " open findings.</p>\n";

  body +=
      "<h2 id=\"counts\">Open findings by severity, kind and agency</h2>\n<div class=\"cards\">\n";
  std::vector<std::pair<std::string, std::int64_t>> severity_rows;
  for (std::size_t i = k_severity_names.size(); i-- > 0;)
    severity_rows.emplace_back("<span class=\"severity severity-" +
                                   std::string(k_severity_names[i]) + "\">" +
                                   std::string(k_severity_names[i]) + "</span>",
                               by_severity[i]);
  body += counts_table("By severity", "Severity", severity_rows);
  std::vector<std::pair<std::string, std::int64_t>> kind_rows;
  for (const auto& [kind, count] : by_kind) kind_rows.emplace_back(html::escape(kind), count);
  body += counts_table("By kind", "Kind", kind_rows);
  std::vector<std::pair<std::string, std::int64_t>> agency_rows;
  for (const auto& [agency, count] : by_agency)
    agency_rows.emplace_back(agency_link(agency), count);
  if (outside_agencies > 0)
    agency_rows.emplace_back("about no external of an agency", outside_agencies);
  body += counts_table("By agency", "Agency", agency_rows);
  body += "</div>\n";

  body += history_section(*history);
  body += "<h2 id=\"open\">Open findings, newest first</h2>\n";
  body += paged_findings_table(context, rows, "Open findings", "/");
  return session_page(context, "Overview", body);
}

}  // namespace secondsight::app::dashboard
