// A person's page (/people/ID): who they are, their end, their grants with the groups that give
// them, their activity per system over the last 90 days, their findings and their checklist.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "html.hpp"
#include "pages.hpp"
#include "parts.hpp"
#include "secondsight/store/activity_store.hpp"
#include "secondsight/store/findings_store.hpp"

namespace secondsight::app::dashboard {

using findings::FindingStatus;
using findings::StoredFinding;

namespace {

std::string fact(std::string_view label, std::string_view value_html) {
  return "<dt>" + std::string(label) + "</dt><dd>" + std::string(value_html) + "</dd>\n";
}

std::string join_escaped(const std::vector<std::string>& values, std::string_view separator) {
  std::string out;
  for (const auto& value : values)
    out += (out.empty() ? "" : std::string(separator)) + html::escape(value);
  return out;
}

std::string facts(const View& view, const Person& person) {
  const Zone zone = zone_of(view);
  std::string out = "<dl class=\"facts\">\n";
  out += fact("Id", html::escape(person.id));
  out += fact("Kind", person.kind.empty() ? "—" : html::escape(person.kind));
  out += fact("Seconded", person.seconded ? "yes" : "no");
  out += fact("Agency", agency_link(person.agency));
  out += fact("Engagements",
              person.engagements.empty() ? "none" : join_escaped(person.engagements, ", "));
  std::string contact = "—";
  if (!person.contact_id.empty() && view.person(person.contact_id))
    contact = person_link(view, person.contact_id);
  else if (!person.contact.empty())
    contact = html::escape(person.contact);
  out += fact("Internal contact", contact);
  std::string end = person.stated_end.empty() ? "none" : html::escape(person.stated_end);
  if (!person.end_problem.empty())
    end += " <span class=\"problem\">(" + html::escape(person.end_problem) + ")</span>";
  out += fact("Stated end", end);
  out += fact("Rights end",
              person.rights_end ? html::escape(format_local(*person.rights_end, zone)) : "—");
  out +=
      fact("Days left", person.days_left ? html::escape(days_left_text(*person.days_left)) : "—");
  if (person.notice_opens)
    out += fact("Notice opens", html::escape(format_local(*person.notice_opens, zone)));
  out += fact("Account", person.account == AccountState::active ? "active" : "disabled");
  out += "</dl>\n";
  return out;
}

std::string grants_section(const Person& person) {
  std::string out = "<h2 id=\"grants\">Grants</h2>\n";
  if (person.grants.empty()) return out + "<p>No effective grants.</p>\n";
  std::string table =
      "<table class=\"grants\"><caption>Effective grants and the groups that give "
      "them</caption>\n<thead><tr><th scope=\"col\">System</th><th scope=\"col\">Need to "
      "know</th><th scope=\"col\">Group path</th></tr></thead>\n<tbody>\n";
  for (const auto& grant : person.grants) {
    table += "<tr><td>" +
             html::link(html::system_path(grant.system_id),
                        grant.system_name.empty() ? grant.system_id : grant.system_name) +
             "</td><td>" +
             (grant.need_to_know ? std::string("yes") : std::string("<strong>no</strong>")) +
             "</td><td>";
    if (grant.paths.empty()) table += "—";
    for (const auto& path : grant.paths) {
      table += "<div class=\"path\">" + join_escaped(path.group_names, " → ");
      if (!path.group_dns.empty())
        table += "<br><span class=\"dn\">" + join_escaped(path.group_dns, " → ") + "</span>";
      table += "</div>";
    }
    table += "</td></tr>\n";
  }
  table += "</tbody></table>\n";
  return out + scroll(table);
}

struct SystemDays {
  std::vector<int> days;
  std::uint64_t events = 0;
  std::string last_day;
};

Result<std::string> activity_section(const PageContext& context, const Person& person) {
  const Zone zone = zone_of(context.view);
  const date::local_days today{local_date(context.now, zone)};
  const date::local_days first = today - date::days{k_window_days - 1};
  const std::string first_day = format_date(date::year_month_day{first});
  const std::string last_day = format_date(date::year_month_day{today});
  auto counts = store::ActivityStore(context.database, zone).daily_of(person.id, first_day);
  if (!counts) return counts.error();

  // Granted systems first, in the policy's order, then any other system with activity.
  std::vector<std::string> order;
  std::map<std::string, SystemDays> by_system;
  for (const auto& grant : person.grants)
    if (by_system.emplace(grant.system_id, SystemDays{}).second) order.push_back(grant.system_id);
  for (const auto& count : *counts) {
    if (count.day > last_day) continue;
    auto day = parse_iso_date(count.day);
    if (!day) continue;
    if (by_system.emplace(count.system, SystemDays{}).second) order.push_back(count.system);
    auto& entry = by_system[count.system];
    entry.days.push_back(static_cast<int>((date::local_days{*day} - first).count()));
    entry.events += count.events;
    entry.last_day = std::max(entry.last_day, count.day);
  }

  const auto label = [&](const std::string& system) {
    if (system.empty()) return std::string("(no system's rules match)");
    const System* known = context.view.system(system);
    return known ? known->name : system;
  };
  std::vector<svg::TimelineRow> rows;
  for (const auto& system : order) rows.push_back({label(system), by_system[system].days});
  std::optional<int> end_day;
  if (person.rights_end)
    end_day =
        static_cast<int>((date::local_days{local_date(*person.rights_end, zone)} - first).count());

  std::string out = "<h2 id=\"activity\">Activity over the last " + std::to_string(k_window_days) +
                    " days</h2>\n";
  if (rows.empty()) return out + "<p>No grants and no activity in this window.</p>\n";
  out += "<figure>" + svg::activity_timeline(
                          "activity", "Active days per system, " + first_day + " to " + last_day,
                          rows, k_window_days, end_day, first_day, last_day);
  if (end_day && *end_day >= 0 && *end_day < k_window_days)
    out += "<figcaption>The red line marks the rights end, " +
           html::escape(format_local(*person.rights_end, zone)) + ".</figcaption>";
  out += "</figure>\n";
  std::string table =
      "<table class=\"activity\"><caption>Activity per system</caption>\n<thead><tr><th "
      "scope=\"col\">System</th><th scope=\"col\">Active days</th><th "
      "scope=\"col\">Events</th><th scope=\"col\">Last active day</th></tr></thead>\n<tbody>\n";
  for (const auto& system : order) {
    const auto& entry = by_system[system];
    table += "<tr><th scope=\"row\">" +
             (system.empty() ? html::escape(label(system)) : system_link(context.view, system)) +
             "</th><td>" + std::to_string(entry.days.size()) + "</td><td>" +
             std::to_string(entry.events) + "</td><td>" +
             (entry.last_day.empty() ? "none" : html::escape(entry.last_day)) + "</td></tr>\n";
  }
  table += "</tbody></table>\n";
  return out + scroll(table);
}

}  // namespace

Page person_page(const PageContext& context, std::string_view person_id) {
  const Person* person = context.view.person(person_id);
  if (!person)
    return no_such_page(context, "No such external", "No external has the id", person_id, "/",
                        "overview");
  auto findings = store::FindingsStore(context.database).of_person(person->id);
  if (!findings) return database_error_page(context, findings.error());
  auto activity = activity_section(context, *person);
  if (!activity) return database_error_page(context, activity.error());

  const std::string path = html::person_path(person->id);
  std::string body = "<h1>" + html::escape(person->name) + "</h1>\n";
  body += facts(context.view, *person);
  if (const auto* list = context.view.checklist(person->id)) {
    std::size_t done = 0;
    for (const auto& item : list->items) done += item.done ? 1 : 0;
    body += "<p class=\"checklist\">Offboarding checklist: " + std::to_string(done) + " of " +
            std::to_string(list->items.size()) + " items done (as of the last scan). " +
            html::link(html::checklist_path(person->id), "Open the checklist") + "</p>\n";
  }
  body += grants_section(*person);
  body += *activity;
  body += "<h2 id=\"findings\">Findings</h2>\n";
  body += findings_table(context, current_findings(std::move(*findings), context.now),
                         "Open and recently resolved findings", path);
  return session_page(context, person->name, body);
}

}  // namespace secondsight::app::dashboard
