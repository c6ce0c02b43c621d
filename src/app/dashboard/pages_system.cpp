// A system's page (/systems/ID): its criticality and repositories, its truck factor now and
// without each seconded holder, who holds its knowledge, files per author, operators, its
// findings, and the documentation that people who leave touched.
#include <fmt/format.h>

#include "html.hpp"
#include "pages.hpp"
#include "parts.hpp"
#include "secondsight/store/findings_store.hpp"

namespace secondsight::app::dashboard {

namespace {

std::string percent(double share) {
  return fmt::format("{:.0f}%", share * 100.0);
}

std::string yes_no(bool value) {
  return value ? "yes" : "no";
}

// A person linked when the view has their page, else their label as text.
std::string holder_cell(const View& view, std::string_view person_id, std::string_view label) {
  if (!person_id.empty() && view.person(person_id))
    return html::link(html::person_path(person_id), label.empty() ? person_id : label);
  return html::escape(label.empty() ? person_id : label);
}

std::string holders_section(const View& view, const System& system) {
  std::string out = "<h2 id=\"holders\">Knowledge holders</h2>\n";
  if (system.holders.empty()) return out + "<p>No current person holds its knowledge.</p>\n";
  std::string table =
      "<table class=\"holders\"><caption>Knowledge holders, most files first</caption>\n"
      "<thead><tr><th scope=\"col\">Person</th><th scope=\"col\">Seconded</th><th "
      "scope=\"col\">Author</th><th scope=\"col\">Operates</th><th scope=\"col\">Files</th><th "
      "scope=\"col\">Share</th><th scope=\"col\">Share lost if they leave</th><th "
      "scope=\"col\">Truck factor without them</th></tr></thead>\n<tbody>\n";
  for (const auto& holder : system.holders) {
    table += "<tr><th scope=\"row\">" + holder_cell(view, holder.person_id, holder.label) +
             "</th><td>" + yes_no(holder.seconded) + "</td><td>" + yes_no(holder.author) +
             "</td><td>" + yes_no(holder.operates) + "</td><td>" + std::to_string(holder.files) +
             "</td><td>" + percent(holder.share) + "</td><td>" + percent(holder.share_lost) +
             "</td><td>" +
             (holder.truck_factor_without ? std::to_string(*holder.truck_factor_without)
                                          : std::string("—")) +
             "</td></tr>\n";
  }
  table += "</tbody></table>\n";
  return out + scroll(table);
}

std::string authors_section(const View& view, const System& system) {
  std::string out = "<h2 id=\"authors\">Files per author</h2>\n";
  if (system.files_per_author.empty()) return out + "<p>No authors of its code.</p>\n";
  std::vector<svg::Bar> bars;
  for (const auto& author : system.files_per_author) bars.push_back({author.author, author.files});
  out += "<figure>" +
         svg::bar_chart("files-per-author", "Files per author of " + system.name, bars) +
         "</figure>\n";
  std::string table =
      "<table class=\"authors\"><caption>Files per author</caption>\n<thead><tr><th "
      "scope=\"col\">Author</th><th scope=\"col\">Files</th></tr></thead>\n<tbody>\n";
  for (const auto& author : system.files_per_author)
    table += "<tr><th scope=\"row\">" + holder_cell(view, author.person_id, author.author) +
             "</th><td>" + std::to_string(author.files) + "</td></tr>\n";
  table += "</tbody></table>\n";
  return out + scroll(table);
}

std::string operators_section(const View& view, const System& system) {
  std::string out = "<h2 id=\"operators\">Operators</h2>\n";
  if (system.operator_ids.empty()) return out + "<p>No operators.</p>\n";
  out += "<ul class=\"operators\">\n";
  for (std::size_t i = 0; i < system.operator_ids.size(); ++i) {
    const std::string& label =
        i < system.operator_labels.size() ? system.operator_labels[i] : system.operator_ids[i];
    out += "<li>" + holder_cell(view, system.operator_ids[i], label) + "</li>\n";
  }
  return out + "</ul>\n";
}

std::string docs_section(const View& view, const System& system) {
  std::string out = "<h2 id=\"docs\">Documentation touched by people who leave</h2>\n";
  if (system.docs_by_leavers.empty()) return out + "<p>None.</p>\n";
  out += "<ul class=\"docs\">\n";
  for (const auto& touched : system.docs_by_leavers) {
    out += "<li>" + holder_cell(view, touched.person_id, touched.label) + " (" +
           html::escape(touched.why) + ")<ul>";
    for (const auto& path : touched.paths)
      out += "<li><code>" + html::escape(path) + "</code></li>";
    out += "</ul></li>\n";
  }
  return out + "</ul>\n";
}

}  // namespace

Page system_page(const PageContext& context, std::string_view system_id) {
  const System* system = context.view.system(system_id);
  if (!system)
    return no_such_page(context, "No such system", "No system has the id", system_id, "/",
                        "overview");
  auto findings = store::FindingsStore(context.database).of_system(system->id);
  if (!findings) return database_error_page(context, findings.error());

  std::string body = "<h1>" + html::escape(system->name) + "</h1>\n<dl class=\"facts\">\n";
  body += "<dt>Id</dt><dd>" + html::escape(system->id) + "</dd>\n";
  body += "<dt>Criticality</dt><dd>" + html::escape(system->criticality) + "</dd>\n";
  body += "<dt>Repositories</dt><dd>";
  if (system->repositories.empty()) body += "none";
  for (std::size_t i = 0; i < system->repositories.size(); ++i)
    body += (i ? "<br>" : "") + std::string("<code>") + html::escape(system->repositories[i]) +
            "</code>";
  body += "</dd>\n<dt>Files</dt><dd>" + std::to_string(system->files) + "</dd>\n";
  body +=
      "<dt>Truck factor</dt><dd>" + (system->truck_factor ? std::to_string(*system->truck_factor)
                                                          : std::string("no code to measure"));
  for (const auto& holder : system->holders)
    if (holder.seconded && holder.truck_factor_without)
      body += "<br>" + std::to_string(*holder.truck_factor_without) + " without " +
              holder_cell(context.view, holder.person_id, holder.label);
  body += "</dd>\n</dl>\n";
  body += holders_section(context.view, *system);
  body += authors_section(context.view, *system);
  body += operators_section(context.view, *system);
  body += "<h2 id=\"findings\">Findings</h2>\n";
  body += findings_table(context, current_findings(std::move(*findings), context.now),
                         "Open and recently resolved findings", html::system_path(system->id));
  body += docs_section(context.view, *system);
  return session_page(context, system->name, body);
}

}  // namespace secondsight::app::dashboard
