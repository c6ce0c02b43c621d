#include "secondsight/findings/change.hpp"

namespace secondsight::findings {

namespace {

nlohmann::json optional_json(const std::optional<std::string>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json();
}

}  // namespace

std::string_view to_string(FindingStatus status) {
  switch (status) {
    case FindingStatus::open: return "open";
    case FindingStatus::resolved: return "resolved";
  }
  return "open";
}

Result<FindingStatus> parse_finding_status(std::string_view text) {
  for (auto status : {FindingStatus::open, FindingStatus::resolved})
    if (to_string(status) == text) return status;
  return make_error("'" + std::string(text) + "' is not a finding status");
}

std::string_view to_string(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::opened: return "opened";
    case ChangeKind::escalated: return "escalated";
    case ChangeKind::deescalated: return "deescalated";
    case ChangeKind::resolved: return "resolved";
    case ChangeKind::reopened: return "reopened";
    case ChangeKind::ack_expired: return "ack_expired";
  }
  return "opened";
}

bool alerts_on(ChangeKind kind) {
  return kind != ChangeKind::deescalated;
}

nlohmann::json json_of(const StoredFinding& stored) {
  const auto& f = stored.finding;
  nlohmann::json out = nlohmann::json::object();
  out["fingerprint"] = stored.fingerprint;
  out["kind"] = f.kind;
  out["severity"] = to_string(f.severity);
  out["person"] = optional_json(f.person);
  out["system"] = optional_json(f.system);
  out["summary"] = f.summary;
  out["evidence"] = f.evidence;
  out["first_seen"] = format_rfc3339(stored.first_seen);
  out["last_seen"] = format_rfc3339(stored.last_seen);
  out["status"] = to_string(stored.status);
  if (stored.acked_until) {
    out["acked_until"] = format_rfc3339(*stored.acked_until);
    out["ack_reason"] = stored.ack_reason;
  }
  return out;
}

}  // namespace secondsight::findings
