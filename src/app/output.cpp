#include "secondsight/app/output.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <vector>

#include "secondsight/core/terminal.hpp"
#include "secondsight/core/text.hpp"

namespace secondsight::app {
namespace {

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// A severity's cell, padded, in its colour on a terminal (SGR codes; the reset after the
// padding keeps the columns).
std::string severity_cell(Severity severity, std::size_t width, bool colour) {
  std::string cell = pad_right(upper(to_string(severity)), width);
  if (!colour) return cell;
  const char* code = "";
  switch (severity) {
    case Severity::critical: code = "\x1b[1;31m"; break;
    case Severity::high: code = "\x1b[31m"; break;
    case Severity::medium: code = "\x1b[33m"; break;
    case Severity::low: code = "\x1b[36m"; break;
    case Severity::info: return cell;
  }
  return code + cell + "\x1b[0m";
}

}  // namespace

nlohmann::json finding_json(const findings::StoredFinding& stored) {
  return findings::json_of(stored);
}

nlohmann::json report_json(const ScanReport& report) {
  nlohmann::json findings = nlohmann::json::array();
  for (const auto& finding : report.findings) findings.push_back(finding_json(finding));
  nlohmann::json directory = {{"people", report.directory.people},
                              {"groups", report.directory.groups},
                              {"complete", report.directory.complete}};
  if (!report.directory.complete) directory["error"] = report.directory.error;
  nlohmann::json sources = nlohmann::json::array();
  for (const auto& source : report.sources) {
    nlohmann::json one = {{"name", source.name},
                          {"format", source.format},
                          {"lines", source.lines},
                          {"events", source.events},
                          {"skipped", source.skipped},
                          {"unresolved", source.unresolved},
                          {"unattributed", source.unattributed}};
    if (!source.ok) one["error"] = source.error;
    sources.push_back(std::move(one));
  }
  nlohmann::json repositories = nlohmann::json::array();
  for (const auto& repository : report.repositories) {
    nlohmann::json one = {
        {"repository", repository.repository},
        {"path", repository.path},
        {"head", repository.head.empty() ? nlohmann::json() : nlohmann::json(repository.head)},
        {"read", repository.read}};
    if (!repository.error.empty()) one["error"] = repository.error;
    repositories.push_back(std::move(one));
  }
  nlohmann::json out = {{"now", format_rfc3339(report.now)},
                        {"findings", findings},
                        {"sources", sources},
                        {"directory", directory},
                        {"repositories", repositories}};
  if (!report.handovers_error.empty()) out["handovers_error"] = report.handovers_error;
  return out;
}

void write_jsonl(std::ostream& out, const ScanReport& report) {
  for (const auto& finding : report.findings) out << json_text(finding_json(finding)) << '\n';
}

void write_json(std::ostream& out, const ScanReport& report) {
  out << json_text(report_json(report), 2) << '\n';
}

void write_table(std::ostream& out, const ScanReport& report, Zone zone, bool colour) {
  std::map<std::string, findings::ChangeKind> changed;
  for (const auto& change : report.changes) changed[change.after.fingerprint] = change.kind;

  out << fmt::format("secondsight scan at {} ({})\n\n", format_local(report.now, zone),
                     format_rfc3339(report.now));
  if (report.findings.empty()) out << "No open findings.\n";

  std::size_t kind_width = 4, person_width = 6, system_width = 6;
  for (const auto& s : report.findings) {
    kind_width = std::max(kind_width, display_width(s.finding.kind));
    person_width =
        std::max(person_width, display_width(escape_terminal(s.finding.person.value_or("-"))));
    system_width =
        std::max(system_width, display_width(escape_terminal(s.finding.system.value_or("-"))));
  }
  if (!report.findings.empty())
    out << pad_right("ID", k_short_fingerprint) << "  " << pad_right("SEVERITY", 8) << "  "
        << pad_right("KIND", kind_width) << "  " << pad_right("PERSON", person_width) << "  "
        << pad_right("SYSTEM", system_width) << "  SUMMARY\n";
  std::map<Severity, std::size_t> by_severity;
  std::size_t opened = 0;
  for (const auto& s : report.findings) {
    const auto& f = s.finding;
    ++by_severity[f.severity];
    auto change = changed.find(s.fingerprint);
    bool is_new = change != changed.end() && (change->second == findings::ChangeKind::opened ||
                                              change->second == findings::ChangeKind::reopened);
    if (is_new) ++opened;
    out << pad_right(s.fingerprint.substr(0, k_short_fingerprint), k_short_fingerprint) << "  "
        << severity_cell(f.severity, 8, colour) << "  " << pad_right(f.kind, kind_width) << "  "
        << pad_right(escape_terminal(f.person.value_or("-")), person_width) << "  "
        << pad_right(escape_terminal(f.system.value_or("-")), system_width) << "  "
        << escape_terminal(f.summary)
        << (is_new                                         ? "  [new]"
            : s.acked_until && report.now < *s.acked_until ? "  [acked]"
                                                           : "")
        << '\n';
  }
  std::size_t resolved = 0;
  for (const auto& change : report.changes)
    if (change.kind == findings::ChangeKind::resolved) {
      if (resolved++ == 0) out << "\nResolved in this scan:\n";
      const auto& f = change.after.finding;
      out << fmt::format("  {}  {}  {}\n", f.kind, escape_terminal(f.person.value_or("-")),
                         escape_terminal(f.system.value_or("-")));
    }

  std::string counts;
  for (auto severity :
       {Severity::critical, Severity::high, Severity::medium, Severity::low, Severity::info})
    if (by_severity[severity] > 0)
      counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", by_severity[severity],
                            to_string(severity));
  out << fmt::format("\n{} open finding{}{}{}; {} new, {} resolved in this scan\n",
                     report.findings.size(), report.findings.size() == 1 ? "" : "s",
                     counts.empty() ? "" : ": ", counts, opened, resolved);
  if (report.directory.complete)
    out << fmt::format("directory {}: {} people, {} groups, complete\n",
                       escape_terminal(report.directory.source), report.directory.people,
                       report.directory.groups);
  else
    out << fmt::format("directory {}: INCOMPLETE ({}); nothing was opened or resolved\n",
                       escape_terminal(report.directory.source),
                       escape_terminal(report.directory.error));
  for (const auto& source : report.sources) {
    if (source.ok)
      out << fmt::format(
          "{} ({}): {} lines, {} events, {} skipped, {} unresolved, {} unattributed\n",
          escape_terminal(source.name), source.format, source.lines, source.events, source.skipped,
          source.unresolved, source.unattributed);
    else
      out << fmt::format("{} ({}): FAILED ({})\n", escape_terminal(source.name), source.format,
                         escape_terminal(source.error));
  }
  for (const auto& repository : report.repositories) {
    if (repository.error.empty())
      out << fmt::format("repository {}: {} ({})\n", escape_terminal(repository.repository),
                         repository.head.substr(0, 12),
                         repository.read ? "history read" : "unchanged");
    else
      out << fmt::format("repository {}: FAILED ({})\n", escape_terminal(repository.repository),
                         escape_terminal(repository.error));
  }
  if (!report.handovers_error.empty())
    out << fmt::format("handovers: FAILED ({})\n", escape_terminal(report.handovers_error));
}

void write_aligned_table(std::ostream& out, const TableRow& header,
                         const std::vector<TableRow>& rows) {
  if (rows.empty()) return;
  std::vector<std::size_t> width(header.size());
  for (std::size_t i = 0; i < header.size(); ++i) width[i] = display_width(header[i]);
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size() && i < width.size(); ++i)
      width[i] = std::max(width[i], display_width(row[i]));
  auto line = [&](const TableRow& cells) {
    std::string text;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i + 1 == cells.size()) {
        text += cells[i];
      } else {
        text += pad_right(cells[i], width[i]) + "  ";
      }
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out << text << '\n';
  };
  line(header);
  for (const auto& row : rows) line(row);
}

void write_findings_table(std::ostream& out, const std::vector<findings::StoredFinding>& findings,
                          Instant now, Zone zone) {
  const TableRow header{"FINGERPRINT", "STATUS", "SEVERITY", "KIND",
                        "PERSON",      "SYSTEM", "SINCE",    "ACK"};
  std::vector<TableRow> rows;
  for (const auto& stored : findings) {
    const auto& f = stored.finding;
    std::string ack;
    if (stored.acked_until && now < *stored.acked_until)
      ack = "until " + format_local(*stored.acked_until, zone) + " by " + stored.ack_by + ": " +
            stored.ack_reason;
    rows.push_back({stored.fingerprint, std::string(to_string(stored.status)),
                    std::string(to_string(f.severity)), f.kind,
                    escape_terminal(f.person.value_or("-")),
                    escape_terminal(f.system.value_or("-")), format_local(stored.first_seen, zone),
                    escape_terminal(ack)});
  }
  write_aligned_table(out, header, rows);
  out << findings.size() << " finding" << (findings.size() == 1 ? "" : "s") << '\n';
}

nlohmann::json handover_json(const ListedHandover& listed) {
  const auto& h = listed.handover;
  const auto& r = h.record;
  const bool stored = listed.source == HandoverSource::store;
  const auto text_or_null = [](const std::string& text) {
    return text.empty() ? nlohmann::json() : nlohmann::json(text);
  };
  const auto time_or_null = [](const std::optional<Instant>& at) {
    return at ? nlohmann::json(format_rfc3339(*at)) : nlohmann::json();
  };
  return {{"id", stored ? nlohmann::json(h.id) : nlohmann::json()},
          {"source", stored ? "store" : "file"},
          {"file", stored ? nlohmann::json() : nlohmann::json(r.origin)},
          {"person", r.person},
          {"system", r.system},
          {"receiver", r.receiver},
          {"date", r.date},
          {"doc", text_or_null(r.doc)},
          {"recorded_by", stored ? nlohmann::json(h.recorded_by) : nlohmann::json()},
          {"recorded_at", stored ? time_or_null(h.recorded_at) : nlohmann::json()},
          {"revoked", h.revoked_at.has_value()},
          {"revoked_at", time_or_null(h.revoked_at)},
          {"revoked_by", h.revoked_at ? nlohmann::json(h.revoked_by) : nlohmann::json()},
          {"revoked_reason", h.revoked_at ? nlohmann::json(h.revoked_reason) : nlohmann::json()}};
}

void write_handovers_table(std::ostream& out, const std::vector<ListedHandover>& handovers,
                           Zone zone) {
  const TableRow header{"ID",   "SOURCE", "PERSON",   "SYSTEM", "RECEIVER",
                        "DATE", "DOC",    "RECORDED", "REVOKED"};
  std::vector<TableRow> rows;
  std::size_t revoked = 0;
  for (const auto& listed : handovers) {
    const auto& h = listed.handover;
    const auto& r = h.record;
    const bool stored = listed.source == HandoverSource::store;
    std::string revocation = "-";
    if (h.revoked_at) {
      ++revoked;
      revocation =
          format_local(*h.revoked_at, zone) + " by " + h.revoked_by + ": " + h.revoked_reason;
    }
    rows.push_back(
        {stored ? std::to_string(h.id) : "-", escape_terminal(stored ? "store" : r.origin),
         escape_terminal(r.person), escape_terminal(r.system), escape_terminal(r.receiver),
         escape_terminal(r.date), escape_terminal(r.doc.empty() ? "-" : r.doc),
         stored ? escape_terminal(format_local(h.recorded_at, zone) + " by " + h.recorded_by) : "-",
         escape_terminal(revocation)});
  }
  write_aligned_table(out, header, rows);
  out << handovers.size() << " handover" << (handovers.size() == 1 ? "" : "s");
  if (revoked > 0) out << ", " << revoked << " revoked";
  out << '\n';
}

}  // namespace secondsight::app
