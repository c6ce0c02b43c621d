// The journal sink: one structured entry per alert through sd_journal_sendv, so that
// `journalctl -o json` (and whatever reads the journal) carries its fields.
#include <sys/uio.h>
#include <systemd/sd-journal.h>

#include <cstring>

#include "secondsight/alert/sink.hpp"
#include "secondsight/core/severity.hpp"
#include "secondsight/core/text.hpp"
#include "sink_types.hpp"

namespace secondsight::alert {

namespace {

int priority_of(const std::string& severity_name, const std::string& change) {
  int priority = 6;  // LOG_INFO, also for a severity this version does not know
  if (auto severity = parse_severity(severity_name)) {
    switch (*severity) {
      case Severity::critical: priority = 2; break;
      case Severity::high: priority = 3; break;
      case Severity::medium: priority = 4; break;
      case Severity::low: priority = 5; break;
      case Severity::info: priority = 6; break;
    }
  }
  // Good news is no emergency: a resolution is at most a notice.
  if (change == "resolved") priority = std::max(priority, 5);
  return priority;
}

std::string text_of(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return {};
  return json_text(value);
}

// The alert's "text" is escaped for Slack; the journal shows it as it is.
std::string unescape_slack(std::string text) {
  for (const auto& [from, to] : {std::pair<std::string_view, std::string_view>{"&lt;", "<"},
                                 {"&gt;", ">"},
                                 {"&amp;", "&"}}) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
      text.replace(at, from.size(), to);
  }
  return text;
}

class JournalSink final : public Sink {
 public:
  Delivery deliver(const store::OutboxEntry& alert, Deadline) override {
    auto json = nlohmann::json::parse(alert.payload, nullptr, false);
    if (json.is_discarded() || !json.is_object())
      return {Delivery::Outcome::refused, "journal: the queued alert is not a JSON object", {}};
    auto fields = journal_fields(json);
    std::vector<iovec> iov;
    iov.reserve(fields.size());
    for (auto& field : fields) iov.push_back(iovec{field.data(), field.size()});
    int rc = sd_journal_sendv(iov.data(), static_cast<int>(iov.size()));
    if (rc < 0) return Delivery::failed("journal: cannot send: " + std::string(std::strerror(-rc)));
    return Delivery::ok();
  }
};

}  // namespace

std::vector<std::string> journal_fields(const nlohmann::json& alert) {
  auto field = [&](const char* key) {
    return alert.contains(key) ? text_of(alert[key]) : std::string();
  };
  const std::string severity = field("severity");
  const std::string change = field("change");
  std::vector<std::string> out;
  out.push_back("MESSAGE=" + unescape_slack(field("text")));
  out.push_back("PRIORITY=" + std::to_string(priority_of(severity, change)));
  out.push_back("SYSLOG_IDENTIFIER=secondsight");
  out.push_back(std::string("MESSAGE_ID=") + k_journal_message_id);
  out.push_back("SECONDSIGHT_KIND=" + field("kind"));
  if (alert.contains("person") && !alert["person"].is_null())
    out.push_back("SECONDSIGHT_PERSON=" + field("person"));
  if (alert.contains("system") && !alert["system"].is_null())
    out.push_back("SECONDSIGHT_SYSTEM=" + field("system"));
  out.push_back("SECONDSIGHT_SEVERITY=" + severity);
  out.push_back("SECONDSIGHT_FINGERPRINT=" + field("fingerprint"));
  out.push_back("SECONDSIGHT_CHANGE=" + change);
  out.push_back("SECONDSIGHT_ALERT_ID=" + field("id"));
  out.push_back("SECONDSIGHT_SUMMARY=" + field("summary"));
  if (alert.contains("evidence_log") && alert["evidence_log"].contains("seq"))
    out.push_back("SECONDSIGHT_EVIDENCE_SEQ=" + text_of(alert["evidence_log"]["seq"]));
  out.push_back("SECONDSIGHT_ALERT=" + json_text(alert));
  return out;
}

Result<std::unique_ptr<Sink>> make_journal_sink(const config::AlertSinkConfig&) {
  return std::unique_ptr<Sink>(std::make_unique<JournalSink>());
}

}  // namespace secondsight::alert
