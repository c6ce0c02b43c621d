// The agencies (/agencies) and one agency (/agencies/NAME; /agencies/- for seconded people
// without an agency): access after the end, missing end dates, handovers owed and open
// findings, per agency and per contractor.
#include <algorithm>
#include <map>
#include <set>

#include "html.hpp"
#include "pages.hpp"
#include "parts.hpp"
#include "secondsight/store/findings_store.hpp"

namespace secondsight::app::dashboard {

using findings::FindingStatus;
using findings::StoredFinding;

namespace {

struct OpenByPerson {
  std::map<std::string, std::int64_t> count;
  std::vector<StoredFinding> rows;  // every open finding with a person, newest first
};

Result<OpenByPerson> open_by_person(store::Database& database) {
  auto open = store::FindingsStore(database).list(FindingStatus::open, store::Evidence::left_out);
  if (!open) return open.error();
  OpenByPerson out;
  for (auto& stored : *open) {
    if (!stored.finding.person) continue;
    ++out.count[*stored.finding.person];
    out.rows.push_back(std::move(stored));
  }
  std::stable_sort(out.rows.begin(), out.rows.end(),
                   [](const auto& a, const auto& b) { return a.first_seen > b.first_seen; });
  return out;
}

std::int64_t open_of(const std::map<std::string, std::int64_t>& open, const Agency& agency) {
  std::int64_t sum = 0;
  for (const auto& id : agency.contractor_ids)
    if (auto found = open.find(id); found != open.end()) sum += found->second;
  return sum;
}

constexpr std::string_view k_figure_heads =
    "<th scope=\"col\">Contractors</th><th scope=\"col\">Current</th><th scope=\"col\">Access "
    "after the end</th><th scope=\"col\">Past the end with access</th><th "
    "scope=\"col\">Missing end dates</th><th scope=\"col\">Handovers owed</th><th "
    "scope=\"col\">Open findings</th>";

std::string figure_cells(const Agency& agency, std::int64_t open) {
  std::string out;
  for (long long value : {static_cast<long long>(agency.contractor_ids.size()),
                          static_cast<long long>(agency.current)})
    out += "<td>" + std::to_string(value) + "</td>";
  out += "<td>" + format_duration(agency.access_after_end) + "</td>";
  for (long long value :
       {static_cast<long long>(agency.past_end_with_access),
        static_cast<long long>(agency.missing_end_dates),
        static_cast<long long>(agency.handovers_owed), static_cast<long long>(open)})
    out += "<td>" + std::to_string(value) + "</td>";
  return out;
}

}  // namespace

Page agencies_page(const PageContext& context) {
  auto open = store::FindingsStore(context.database).open_count_by_person();
  if (!open) return database_error_page(context, open.error());
  std::string body = "<h1>Agencies</h1>\n";
  if (context.view.agencies.empty()) {
    body += context.view.built_at == Instant{} ? "<p>No scan has finished yet.</p>\n"
                                               : "<p>No seconded people in the directory.</p>\n";
    return session_page(context, "Agencies", body);
  }
  std::string table =
      "<table class=\"agencies\"><caption>Seconded people per agency</caption>\n<thead><tr><th "
      "scope=\"col\">Agency</th>" +
      std::string(k_figure_heads) + "</tr></thead>\n<tbody>\n";
  for (const auto& agency : context.view.agencies)
    table += "<tr><th scope=\"row\">" + agency_link(agency.name) + "</th>" +
             figure_cells(agency, open_of(*open, agency)) + "</tr>\n";
  table += "</tbody></table>\n";
  body += scroll(table);
  return session_page(context, "Agencies", body);
}

Page agency_page(const PageContext& context, std::string_view agency_name) {
  const View& view = context.view;
  const Agency* agency = view.agency(agency_name);
  if (!agency && agency_name == html::k_no_agency_segment) agency = view.agency("");
  if (!agency)
    return no_such_page(context, "No such agency", "No seconded person has the agency", agency_name,
                        "/agencies", "agencies");
  auto open = open_by_person(context.database);
  if (!open) return database_error_page(context, open.error());

  const std::string label(html::agency_label(agency->name));
  std::string body = "<h1>" + html::escape(label) + "</h1>\n";
  body += scroll("<table class=\"agencies\"><caption>Figures</caption>\n<thead><tr>" +
                 std::string(k_figure_heads) + "</tr></thead>\n<tbody><tr>" +
                 figure_cells(*agency, open_of(open->count, *agency)) + "</tr></tbody></table>\n");

  body += "<h2 id=\"contractors\">Contractors</h2>\n";
  std::string table =
      "<table class=\"contractors\"><caption>Seconded people of " + html::escape(label) +
      "</caption>\n<thead><tr><th scope=\"col\">Name</th><th scope=\"col\">End</th><th "
      "scope=\"col\">Days left</th><th scope=\"col\">Account</th><th scope=\"col\">Open "
      "findings</th></tr></thead>\n<tbody>\n";
  std::set<std::string_view> contractors;
  for (const auto& id : agency->contractor_ids) {
    contractors.insert(id);
    const Person* person = view.person(id);
    const auto count = open->count.find(id);
    table +=
        "<tr><th scope=\"row\">" + person_link(view, id) + "</th><td>" +
        (person && !person->stated_end.empty() ? html::escape(person->stated_end)
                                               : std::string("none")) +
        "</td><td>" +
        (person && person->days_left ? html::escape(days_left_text(*person->days_left))
                                     : std::string("—")) +
        "</td><td>" +
        (person ? (person->account == AccountState::active ? "active" : "disabled") : "unknown") +
        "</td><td>" + std::to_string(count == open->count.end() ? 0 : count->second) +
        "</td></tr>\n";
  }
  if (agency->contractor_ids.empty()) table += "<tr><td colspan=\"5\">none</td></tr>\n";
  table += "</tbody></table>\n";
  body += scroll(table);

  std::vector<StoredFinding> rows;
  for (auto& stored : open->rows)
    if (contractors.count(*stored.finding.person)) rows.push_back(std::move(stored));
  body += "<h2 id=\"findings\">Open findings</h2>\n";
  body += paged_findings_table(context, rows, "Open findings of its contractors",
                               html::agency_path(agency->name));
  return session_page(context, label, body);
}

}  // namespace secondsight::app::dashboard
