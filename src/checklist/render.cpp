#include "secondsight/checklist/render.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>

#include "secondsight/core/text.hpp"

namespace secondsight::checklist {
namespace {

constexpr std::array k_sections{Section::access, Section::knowledge, Section::other};

std::string_view section_title(Section section) {
  switch (section) {
    case Section::access: return "Access to revoke";
    case Section::knowledge: return "Knowledge to hand over";
    case Section::other: return "To collect and confirm";
  }
  return "";
}

std::string local(std::optional<Instant> at, Zone zone) {
  return at ? format_local(*at, zone) : std::string("no end date");
}

// What the person is to offboarding, as one phrase.
std::string standing_text(const Checklist& list, Zone zone) {
  switch (list.standing) {
    case Standing::employee: return "employee: no checklist is kept for employees";
    case Standing::no_end:
      return "seconded, with no end date in the directory: no checklist is kept until one is set";
    case Standing::not_near_end:
      return "seconded, not near the end: scans keep this checklist from " +
             local(list.notice_opens, zone);
    case Standing::near_end: return "seconded, within the notice before the end";
    case Standing::ended: return "seconded, past the end";
    case Standing::gone: return "no longer in the directory";
  }
  return {};
}

std::string system_label(const std::string& system) {
  return system.empty() ? std::string("(no system's rules match)") : system;
}

std::string percent(double share) {
  return std::to_string(static_cast<int>(share * 100.0 + 0.5)) + "%";
}

std::string truck_factors(const nlohmann::json& details) {
  const auto& with = details["truck_factor"];
  const auto& without = details["truck_factor_without"];
  if (with.is_null()) return "no code to measure";
  return fmt::format("truck factor {} now, {} without them", with.get<int>(),
                     without.is_null() ? 0 : without.get<int>());
}

// Plain-text facts of a handover item, each a short line; the renderers escape them.
std::vector<std::string> handover_lines(const Item& item) {
  const auto& d = item.details;
  std::vector<std::string> lines;
  std::string role;
  if (d.value("author", false))
    role = fmt::format("author of {} files ({} of its code)", d["files"].get<int>(),
                       percent(d["share"].get<double>()));
  if (d.value("operator", false)) role += (role.empty() ? "" : "; ") + std::string("operator");
  if (!role.empty()) lines.push_back("Holds it as: " + role);
  lines.push_back(fmt::format("{}; {} of files lose their last author when they leave",
                              truck_factors(d), percent(d.value("lost_if_leaving", 0.0))));
  std::string receivers;
  for (const auto& r : d["suggested_receivers"])
    receivers += (receivers.empty() ? "" : "; ") + r["person"].get<std::string>() + " (" +
                 r["why"].get<std::string>() + ")";
  lines.push_back("Suggested receivers: " + (receivers.empty() ? "none found" : receivers));
  std::string docs;
  for (const auto& path : d["docs_touched"])
    docs += (docs.empty() ? "" : ", ") + path.get<std::string>();
  lines.push_back("Documentation they wrote or changed: " + (docs.empty() ? "none" : docs));
  for (const auto& record : d["handovers"]) {
    const std::string doc = record["doc"].get<std::string>();
    lines.push_back(fmt::format(
        "Handover to {} on {}{}: {}", record["receiver"].get<std::string>(),
        record["date"].get<std::string>(), doc.empty() ? "" : " (" + doc + ")",
        record["counts"].get<bool>() ? std::string("counts")
                                     : "does not count: " + record["problem"].get<std::string>()));
  }
  return lines;
}

// Plain-text lines of a group item: each path by which the group grants a system, from the
// group the person is in up to the system's group, then the system. The DNs are the ones in the
// findings' evidence (`group_paths`); the renderers escape them. Details stored by a version
// that kept no grants give no lines.
std::vector<std::string> grant_lines(const Item& item) {
  const auto grants = item.details.find("grants");
  if (grants == item.details.end() || !grants->is_array()) return {};
  std::vector<std::string> lines;
  for (const auto& grant : *grants) {
    const auto system = grant.find("system");
    const auto paths = grant.find("group_paths");
    if (system == grant.end() || !system->is_string() || paths == grant.end() || !paths->is_array())
      continue;
    for (const auto& path : *paths) {
      if (!path.is_array()) continue;
      std::string line = "Path: ";
      for (const auto& dn : path)
        if (dn.is_string()) line += dn.get<std::string>() + " → ";
      lines.push_back(line + system->get<std::string>());
    }
  }
  return lines;
}

// The facts under an item, plain text, one a line.
std::vector<std::string> item_lines(const Item& item) {
  if (item.section == Section::knowledge) return handover_lines(item);
  if (item.id.rfind("group:", 0) == 0) return grant_lines(item);
  return {};
}

std::string done_text(const Item& item, Zone zone) {
  if (!item.done) return {};
  return "done" + (item.done_at ? " " + format_local(*item.done_at, zone) : std::string()) +
         (item.done_how.empty() ? "" : ": " + item.done_how);
}

std::string due_text(const Item& item, Zone zone) {
  if (!item.due) return "due " + item.due_rule;
  return "due " + format_local(*item.due, zone) + " (" + item.due_rule + ")";
}

}  // namespace

std::string escape_markdown(std::string_view text) {
  // Control, invisible and bidirectional characters, and bytes that are not UTF-8, are shown
  // as \xNN or \u{NNNN} first, as on a terminal; then what Markdown reads as markup.
  const std::string visible = escape_terminal(text);
  std::string out;
  out.reserve(visible.size());
  for (char c : visible) {
    if (std::string_view("\\`*_[]<>#|~!&").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::string escape_html(std::string_view text) {
  // As for Markdown: what cannot be shown is shown escaped, then the markup is escaped.
  const std::string visible = escape_terminal(text);
  std::string out;
  out.reserve(visible.size());
  for (char c : visible) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string render_markdown(const Checklist& list, Zone zone) {
  const auto e = [](std::string_view text) { return escape_markdown(text); };
  std::string out;
  out += "# Offboarding checklist: " + e(list.person) +
         (list.name.empty() ? "" : " \\(" + e(list.name) + "\\)") + "\n\n";
  out += "| | |\n|---|---|\n";
  out += "| Agency | " + e(list.agency.empty() ? "-" : list.agency) + " |\n";
  out +=
      "| Internal contact | " +
      e(list.manager.empty() ? (list.manager_dn.empty() ? "-" : list.manager_dn) : list.manager) +
      " |\n";
  out += "| Engagement ends | " + e(list.end_stated.empty() ? "-" : list.end_stated) +
         " \\(rights end " + e(local(list.end, zone)) + "\\) |\n";
  out += "| Account | " + e(list.account) + " |\n";
  out += "| Standing | " + e(standing_text(list, zone)) + " |\n";
  out += "| Status | " + e(list.complete() ? "every item done" : "open") + " \\(as of " +
         e(format_local(list.now, zone)) + "\\) |\n\n";

  if (!list.activity_after_end.empty()) {
    out += "> **Activity after the end**\n>\n";
    for (const auto& a : list.activity_after_end)
      out += "> - " + e(system_label(a.system)) + ": " + std::to_string(a.events) + " events on " +
             std::to_string(a.days) + " days, last " + e(format_local(a.last_seen, zone)) + "\n";
    for (const auto& event : list.events_after_end)
      out += ">   - " + e(format_local(event.time, zone)) + " " + e(event.source) + " " +
             e(event.host) + " " + e(event.action) + " " + e(event.resource) + "\n";
    out += "\n";
  }

  for (auto section : k_sections) {
    bool any = false;
    for (const auto& item : list.items) {
      if (item.section != section) continue;
      if (!any) out += "## " + std::string(section_title(section)) + "\n\n";
      any = true;
      out += std::string(item.done ? "- [x] " : "- [ ] ") + e(item.text) + " — " +
             e(due_text(item, zone));
      if (item.done) out += "; **" + e(done_text(item, zone)) + "**";
      out += "\n";
      for (const auto& line : item_lines(item)) out += "  - " + e(line) + "\n";
    }
    if (any) out += "\n";
  }

  out += "## Last activity per system\n\n";
  if (list.last_activity.empty())
    out += "No activity seen.\n";
  else
    out += "| System | Events | Days | Last seen |\n|---|---|---|---|\n";
  for (const auto& a : list.last_activity)
    out += "| " + e(system_label(a.system)) + " | " + std::to_string(a.events) + " | " +
           std::to_string(a.days) + " | " + e(format_local(a.last_seen, zone)) + " |\n";
  return out;
}

std::string render_html(const Checklist& list, Zone zone) {
  std::string out = R"html(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Offboarding checklist</title>
<style>
@page { size: A4; margin: 18mm 16mm; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10.5pt;
       color: #111; margin: 0; }
h1 { font-size: 16pt; margin: 0 0 8pt; }
h2 { font-size: 12.5pt; margin: 14pt 0 6pt; border-bottom: 1px solid #999; }
table { border-collapse: collapse; width: 100%; }
td, th { text-align: left; vertical-align: top; padding: 2pt 6pt 2pt 0; }
th { font-weight: bold; border-bottom: 1px solid #999; }
.meta th { width: 32%; border: none; font-weight: normal; color: #444; }
ul.items { list-style: none; padding: 0; margin: 0; }
ul.items > li { margin: 0 0 6pt; page-break-inside: avoid; }
.box { font-size: 13pt; display: inline-block; width: 16pt; }
.done { color: #555; }
.when { color: #444; font-size: 9.5pt; }
ul.facts { margin: 2pt 0 0 16pt; padding-left: 12pt; font-size: 9.5pt; }
.alert { border: 2px solid #b00; background: #fde8e8; padding: 6pt 8pt; margin: 8pt 0; }
.alert strong { color: #b00; }
</style></head><body>
)html";
  out += render_html_body(list, zone);
  out += "</body></html>\n";
  return out;
}

std::string render_html_body(const Checklist& list, Zone zone) {
  const auto h = [](std::string_view text) { return escape_html(text); };
  std::string out = "<h1>Offboarding checklist: " + h(list.person) +
                    (list.name.empty() ? "" : " (" + h(list.name) + ")") + "</h1>\n";
  out += "<table class=\"meta\">\n";
  const auto row = [&](std::string_view label, const std::string& value) {
    out += "<tr><th>" + std::string(label) + "</th><td>" + h(value) + "</td></tr>\n";
  };
  row("Agency", list.agency.empty() ? "-" : list.agency);
  row("Internal contact",
      list.manager.empty() ? (list.manager_dn.empty() ? "-" : list.manager_dn) : list.manager);
  row("Engagement ends", (list.end_stated.empty() ? "-" : list.end_stated) + " (rights end " +
                             local(list.end, zone) + ")");
  row("Account", list.account);
  row("Standing", standing_text(list, zone));
  row("Status", std::string(list.complete() ? "every item done" : "open") + " (as of " +
                    format_local(list.now, zone) + ")");
  out += "</table>\n";

  if (!list.activity_after_end.empty()) {
    out += "<div class=\"alert\"><strong>Activity after the end</strong><ul>\n";
    for (const auto& a : list.activity_after_end)
      out += "<li>" + h(system_label(a.system)) + ": " + std::to_string(a.events) + " events on " +
             std::to_string(a.days) + " days, last " + h(format_local(a.last_seen, zone)) +
             "</li>\n";
    for (const auto& event : list.events_after_end)
      out += "<li class=\"when\">" + h(format_local(event.time, zone)) + " " + h(event.source) +
             " " + h(event.host) + " " + h(event.action) + " " + h(event.resource) + "</li>\n";
    out += "</ul></div>\n";
  }

  for (auto section : k_sections) {
    bool any = false;
    for (const auto& item : list.items) {
      if (item.section != section) continue;
      if (!any)
        out += "<h2>" + std::string(section_title(section)) + "</h2>\n<ul class=\"items\">\n";
      any = true;
      out += std::string("<li") + (item.done ? " class=\"done\"" : "") + "><span class=\"box\">" +
             (item.done ? "&#9745;" : "&#9744;") + "</span>" + h(item.text) +
             " <span class=\"when\">" + h(due_text(item, zone));
      if (item.done) out += "; <strong>" + h(done_text(item, zone)) + "</strong>";
      out += "</span>";
      if (const auto lines = item_lines(item); !lines.empty()) {
        out += "<ul class=\"facts\">";
        for (const auto& line : lines) out += "<li>" + h(line) + "</li>";
        out += "</ul>";
      }
      out += "</li>\n";
    }
    if (any) out += "</ul>\n";
  }

  out += "<h2>Last activity per system</h2>\n";
  if (list.last_activity.empty()) {
    out += "<p>No activity seen.</p>\n";
  } else {
    out += "<table><tr><th>System</th><th>Events</th><th>Days</th><th>Last seen</th></tr>\n";
    for (const auto& a : list.last_activity)
      out += "<tr><td>" + h(system_label(a.system)) + "</td><td>" + std::to_string(a.events) +
             "</td><td>" + std::to_string(a.days) + "</td><td>" +
             h(format_local(a.last_seen, zone)) + "</td></tr>\n";
    out += "</table>\n";
  }
  return out;
}

nlohmann::json render_json(const Checklist& list, Zone zone) {
  const auto time = [&](std::optional<Instant> at) {
    return at ? nlohmann::json(format_rfc3339(*at)) : nlohmann::json();
  };
  const auto opt = [](const std::string& text) {
    return text.empty() ? nlohmann::json() : nlohmann::json(text);
  };
  nlohmann::json items = nlohmann::json::array();
  for (const auto& item : list.items)
    items.push_back(
        {{"id", item.id},
         {"section", to_string(item.section)},
         {"text", item.text},
         {"due", time(item.due)},
         {"due_local", item.due ? nlohmann::json(format_local(*item.due, zone)) : nlohmann::json()},
         {"due_rule", item.due_rule},
         {"automatic", item.automatic},
         {"done", item.done},
         {"done_at", time(item.done_at)},
         {"done_how", opt(item.done_how)},
         {"details", item.details}});
  const auto activity = [&](const std::vector<SystemActivity>& all) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& a : all)
      out.push_back({{"system", opt(a.system)},
                     {"events", a.events},
                     {"days", a.days},
                     {"last_seen", format_rfc3339(a.last_seen)}});
    return out;
  };
  nlohmann::json events = nlohmann::json::array();
  for (const auto& event : list.events_after_end)
    events.push_back({{"time", format_rfc3339(event.time)},
                      {"system", opt(event.system)},
                      {"source", event.source},
                      {"host", event.host},
                      {"action", event.action},
                      {"resource", event.resource}});
  return {{"schema", "secondsight.checklist/1"},
          {"now", format_rfc3339(list.now)},
          {"person", list.person},
          {"name", opt(list.name)},
          {"dn", opt(list.dn)},
          {"agency", opt(list.agency)},
          {"manager", opt(list.manager)},
          {"manager_dn", opt(list.manager_dn)},
          {"account", list.account},
          {"standing", to_string(list.standing)},
          {"notice_opens", time(list.notice_opens)},
          {"engagements", list.engagements},
          {"end", time(list.end)},
          {"end_stated", opt(list.end_stated)},
          {"complete", list.complete()},
          {"items", items},
          {"last_activity", activity(list.last_activity)},
          {"activity_after_end", activity(list.activity_after_end)},
          {"events_after_end", events}};
}

namespace {

constexpr std::size_t k_plain_stem_bytes = 64;
constexpr std::size_t k_prefix_bytes = 32;
constexpr unsigned int k_hash_bytes = 8;  // 16 hex digits

bool plain_byte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

}  // namespace

std::string file_stem(std::string_view person) {
  if (!person.empty() && person.size() <= k_plain_stem_bytes && person.front() != '.' &&
      std::all_of(person.begin(), person.end(), plain_byte))
    return std::string(person);
  // Readable: the plain bytes, each run of others as one '_', no leading '.' (a hidden file).
  std::string out;
  for (char c : person) {
    if (out.size() == k_prefix_bytes) break;
    if (plain_byte(c)) {
      if (c == '.' && out.empty()) continue;
      out += c;
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  // Unique: the hash of the whole id, after a '~' that no plain id contains.
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(person.data(), person.size(), digest.data(), &length, EVP_sha256(), nullptr);
  static constexpr char k_hex[] = "0123456789abcdef";
  out += '~';
  for (unsigned int i = 0; i < k_hash_bytes && i < length; ++i) {
    out += k_hex[digest[i] >> 4];
    out += k_hex[digest[i] & 0xf];
  }
  return out;
}

}  // namespace secondsight::checklist
