#include "secondsight/alert/payload.hpp"

#include <fmt/format.h>

#include <cctype>

#include "secondsight/core/text.hpp"

namespace secondsight::alert {

namespace {

using findings::ChangeKind;

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string slack_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else
      out += c;
  }
  return out;
}

std::string alert_text(const findings::FindingChange& change) {
  const auto& f = change.after.finding;
  std::string about = f.kind;
  if (f.person) about += " for " + *f.person;
  if (f.system) about += (f.person ? " on " : " on system ") + *f.system;
  const std::string severity = upper(to_string(f.severity));
  std::string line;
  switch (change.kind) {
    case ChangeKind::opened: line = fmt::format("{} opened: {}", severity, about); break;
    case ChangeKind::reopened: line = fmt::format("{} opened again: {}", severity, about); break;
    case ChangeKind::escalated:
      line = fmt::format("{} rose from {} to {}", about,
                         to_string(change.severity_before.value_or(f.severity)), severity);
      break;
    case ChangeKind::deescalated:
      line = fmt::format("{} fell from {} to {}", about,
                         to_string(change.severity_before.value_or(f.severity)),
                         to_string(f.severity));
      break;
    case ChangeKind::resolved:
      line = fmt::format("resolved: {} (was {})", about, to_string(f.severity));
      break;
    case ChangeKind::ack_expired:
      line = fmt::format("the ack of {} has ended and it is still open ({})", about, severity);
      break;
  }
  std::string text = "secondsight: " + line;
  // A resolution says only what resolved, unless it noted more (when access was removed).
  if (change.kind != ChangeKind::resolved || f.evidence.contains("access_removed"))
    text += ". " + f.summary;
  // One line, whatever the values hold, then Slack's own escaping.
  return slack_escape(escape_terminal(text));
}

nlohmann::json alert_payload(const findings::FindingChange& change,
                             const store::EvidenceEntry& entry, const std::string& id) {
  nlohmann::json out = json_of(change.after);
  out["id"] = id;
  out["change"] = to_string(change.kind);
  out["at"] = entry.at;
  if (change.severity_before) out["previous_severity"] = to_string(*change.severity_before);
  out["evidence_log"] = {{"seq", entry.seq}, {"hash", entry.hash}};
  out["text"] = alert_text(change);
  return out;
}

nlohmann::json checklist_alert_payload(const ChecklistNotice& notice, Instant now,
                                       const std::string& id) {
  std::string who = notice.person + (notice.agency.empty() ? "" : " (" + notice.agency + ")");
  std::string summary = "offboarding checklist for " + who + ": the engagement ends " +
                        (notice.end_stated.empty() ? "on no known date" : notice.end_stated) +
                        "; " + std::to_string(notice.open_items) + " of " +
                        std::to_string(notice.items) + " items to do" +
                        (notice.manager.empty() ? "" : "; internal contact " + notice.manager);
  const std::string fingerprint =
      findings::finding_fingerprint("offboarding_checklist", notice.person, std::nullopt);
  return {{"id", id},
          {"change", "opened"},
          {"at", format_rfc3339(now)},
          {"fingerprint", fingerprint},
          {"kind", "offboarding_checklist"},
          {"severity", "info"},
          {"person", notice.person},
          {"system", nullptr},
          {"summary", summary},
          {"status", "open"},
          {"text", "secondsight: INFO " + summary}};
}

}  // namespace secondsight::alert
