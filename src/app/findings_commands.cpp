// `findings ack`, `findings history` and `evidence verify`: what people do with the record.
#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <map>

#include "secondsight/alert/sink.hpp"
#include "secondsight/app/commands.hpp"
#include "secondsight/app/findings_update.hpp"
#include "secondsight/app/plugins.hpp"
#include "secondsight/app/scan.hpp"
#include "secondsight/config/loader.hpp"
#include "secondsight/core/text.hpp"
#include "secondsight/store/database.hpp"
#include "secondsight/store/evidence_log.hpp"
#include "secondsight/store/findings_store.hpp"
#include "secondsight/store/knowledge_store.hpp"
#include "secondsight/store/outbox.hpp"

namespace secondsight::app {

namespace {

// A fingerprint may be given by its start, as the scan table shows it.
constexpr std::size_t k_min_prefix = k_short_fingerprint;

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// The one finding a fingerprint (or a prefix of at least 8 characters) names.
Result<std::string> resolve_fingerprint(const store::FindingsStore& findings,
                                        const std::string& given) {
  const std::string wanted = lower(given);
  if (wanted.size() < k_min_prefix)
    return make_error("'" + given + "' is too short: give the fingerprint, or at least its first " +
                          std::to_string(k_min_prefix) + " characters",
                      ErrorKind::invalid);
  auto matches = findings.fingerprints_starting(wanted);
  if (!matches) return matches.error();
  if (matches->empty())
    return make_error("no finding has the fingerprint " + given, ErrorKind::invalid);
  if (matches->size() > 1 && std::find(matches->begin(), matches->end(), wanted) == matches->end())
    return make_error("'" + given + "' is the start of " + std::to_string(matches->size()) +
                          " fingerprints; give more of it",
                      ErrorKind::invalid);
  return matches->size() == 1 ? matches->front() : wanted;
}

std::string about(const std::optional<std::string>& kind, const nlohmann::json& payload) {
  auto text = [&](const char* key) {
    return payload.contains(key) && payload[key].is_string() ? payload[key].get<std::string>()
                                                             : std::string("-");
  };
  return fmt::format("{}  {}  {}", kind.value_or(text("kind")), text("person"), text("system"));
}

}  // namespace

int command_findings_ack(const FindingsAckOptions& options, std::ostream& out, std::ostream& err) {
  auto config = load_config_only(options.config, err);
  if (!config) return k_exit_usage;
  const Instant now = system_now();
  auto until = ack_until(options.until, now, config->zone);
  if (!until) {
    err << message_line("secondsight: --until: ", until.error().message);
    return k_exit_usage;
  }
  if (auto reason = ack_reason(options.reason); !reason) {
    err << message_line("secondsight: --reason: ", reason.error().message);
    return k_exit_usage;
  }
  auto database = store::Database::open(database_path(*config), store::Missing::refuse);
  if (!database) {
    return report_error(err, database.error());
  }
  store::FindingsStore findings(*database);
  auto fingerprint = resolve_fingerprint(findings, options.fingerprint);
  if (!fingerprint) {
    return report_error(err, fingerprint.error());
  }
  auto acked = findings.ack({*fingerprint, *until, options.reason, invoking_user(), now});
  if (!acked) {
    return report_error(err, acked.error());
  }
  const auto& f = acked->finding;
  out << message_line(fmt::format("acked {} ({} {} {}, {}) until {} ({}) by {}: {}",
                                  acked->fingerprint, f.kind, f.person.value_or("-"),
                                  f.system.value_or("-"), to_string(acked->status),
                                  format_local(*until, config->zone), format_rfc3339(*until),
                                  acked->ack_by, acked->ack_reason));
  return k_exit_ok;
}

int command_findings_history(const FindingsHistoryOptions& options, std::ostream& out,
                             std::ostream& err) {
  if (options.all == !options.fingerprint.empty()) {
    err << "secondsight: findings history: give a FINGERPRINT or --all\n";
    return k_exit_usage;
  }
  auto config = load_config_only(options.config, err);
  if (!config) return k_exit_usage;
  auto database = store::Database::open(database_path(*config), store::Missing::refuse);
  if (!database) {
    return report_error(err, database.error());
  }
  store::FindingsStore findings(*database);
  std::optional<std::string> fingerprint;
  if (!options.all) {
    auto resolved = resolve_fingerprint(findings, options.fingerprint);
    if (!resolved) {
      return report_error(err, resolved.error());
    }
    fingerprint = *resolved;
  }
  store::EvidenceLog log(*database);
  auto entries = log.entries(fingerprint);
  if (!entries) {
    return report_error(err, entries.error());
  }
  store::Outbox outbox(*database);
  auto alerts = outbox.of(fingerprint);
  if (!alerts) {
    return report_error(err, alerts.error());
  }
  // Each alert carries the first 32 characters of its evidence entry's hash as its id.
  std::map<std::string, std::vector<const store::OutboxEntry*>> alerts_of;
  for (const auto& alert : *alerts) alerts_of[alert.idempotency_key].push_back(&alert);

  nlohmann::json all = nlohmann::json::array();
  for (const auto& entry : *entries) {
    auto payload = nlohmann::json::parse(entry.payload, nullptr, false);
    if (payload.is_discarded()) payload = nlohmann::json::object();
    nlohmann::json sent = nlohmann::json::array();
    for (const auto* alert : alerts_of[entry.hash.substr(0, 32)]) {
      nlohmann::json one = {{"sink", alert::describe_sink(alert->sink)},
                            {"status", alert->skipped_at     ? "skipped"
                                       : alert->delivered_at ? "delivered"
                                       : alert->failed_at    ? "refused"
                                                             : "queued"},
                            {"attempts", alert->attempts}};
      if (alert->skipped_at) {
        one["skipped_at"] = format_rfc3339(*alert->skipped_at);
        one["skipped_by"] = alert->skipped_by;
      } else if (alert->delivered_at) {
        one["delivered_at"] = format_rfc3339(*alert->delivered_at);
      }
      if (!alert->delivered_at && !alert->last_error.empty()) one["last_error"] = alert->last_error;
      sent.push_back(std::move(one));
    }
    nlohmann::json item = {{"seq", entry.seq},
                           {"at", entry.at},
                           {"fingerprint", entry.fingerprint},
                           {"change", entry.change},
                           {"severity", entry.severity},
                           {"kind", payload.value("kind", nlohmann::json())},
                           {"person", payload.value("person", nlohmann::json())},
                           {"system", payload.value("system", nlohmann::json())},
                           {"alerts", sent}};
    if (payload.contains("previous_severity"))
      item["previous_severity"] = payload["previous_severity"];
    if (payload.contains("silenced_by_ack")) item["silenced_by_ack"] = true;
    // A resolved access_after_end: when the access was seen gone, how long after the end.
    if (const auto evidence = payload.find("evidence");
        evidence != payload.end() && evidence->is_object() && evidence->contains("access_removed"))
      item["access_removed"] = (*evidence)["access_removed"];
    if (entry.change == "acked")
      item["ack"] = {{"until", payload.value("until", "")},
                     {"reason", payload.value("reason", "")},
                     {"by", payload.value("by", "")}};
    if (entry.change == "alert_skipped")
      item["skip"] = {{"sink", payload.value("sink", "")},
                      {"alert", payload.value("alert", std::int64_t{0})},
                      {"alert_change", payload.value("alert_change", "")},
                      {"reason", payload.value("reason", "")},
                      {"by", payload.value("by", "")}};
    if (entry.change == store::k_handover_recorded || entry.change == store::k_handover_revoked) {
      item["handover"] = {{"id", payload.value("handover", nlohmann::json())},
                          {"receiver", payload.value("receiver", "")},
                          {"date", payload.value("date", "")},
                          {"by", payload.value("by", "")}};
      if (entry.change == store::k_handover_revoked)
        item["handover"]["reason"] = payload.value("reason", "");
    }
    if (entry.change == store::k_dashboard_login || entry.change == store::k_dashboard_logout)
      item["session"] = {{"by", payload.value("by", "")}, {"from", payload.value("from", "")}};
    all.push_back(std::move(item));
  }

  if (options.format == OutputFormat::json) {
    out << json_text(all, 2) << '\n';
    return k_exit_ok;
  }
  if (options.format == OutputFormat::jsonl) {
    for (const auto& item : all) out << json_text(item) << '\n';
    return k_exit_ok;
  }
  // The table shows times in the configured zone, as the scan does; json keeps UTC.
  const auto local = [&](const std::string& utc) {
    const auto at = parse_rfc3339(utc);
    return at ? format_local(*at, config->zone) : utc;
  };
  for (const auto& item : all) {
    const auto& payload = item;
    std::string line =
        fmt::format("{}  #{:<5} {:<17} {:<8}", local(item["at"].get<std::string>()),
                    item["seq"].get<std::int64_t>(), item["change"].get<std::string>(),
                    item["severity"].get<std::string>());
    if (options.all)
      line += fmt::format("  {}  {}", item["fingerprint"].get<std::string>().substr(0, 12),
                          about(std::nullopt, payload));
    if (item.contains("previous_severity"))
      line += fmt::format("  (was {})", item["previous_severity"].get<std::string>());
    if (item.contains("ack"))
      line += fmt::format("  until {} by {}: {}", local(item["ack"]["until"].get<std::string>()),
                          item["ack"]["by"].get<std::string>(),
                          item["ack"]["reason"].get<std::string>());
    if (item.contains("silenced_by_ack")) line += "  (silenced by the ack)";
    if (item.contains("access_removed") && item["access_removed"].is_object())
      line += fmt::format("  (access removed {} after the end)",
                          item["access_removed"].value("after_end", std::string("?")));
    if (item.contains("skip"))
      line += fmt::format(
          "  alert {} ({}) to {} by {}: {}", item["skip"]["alert"].get<std::int64_t>(),
          item["skip"]["alert_change"].get<std::string>(), item["skip"]["sink"].get<std::string>(),
          item["skip"]["by"].get<std::string>(), item["skip"]["reason"].get<std::string>());
    if (item.contains("handover")) {
      const auto& handover = item["handover"];
      line += fmt::format("  to {} on {} by {}", handover["receiver"].get<std::string>(),
                          handover["date"].get<std::string>(), handover["by"].get<std::string>());
      if (handover.contains("reason"))
        line += fmt::format(": {}", handover["reason"].get<std::string>());
    }
    if (item.contains("session"))
      line += fmt::format("  {} from {}", item["session"]["by"].get<std::string>(),
                          item["session"]["from"].get<std::string>());
    out << message_line(line);
    for (const auto& sent : item["alerts"]) {
      line = fmt::format("{:>30}alert to {}: {}", "", sent["sink"].get<std::string>(),
                         sent["status"].get<std::string>());
      if (sent.contains("last_error"))
        line +=
            fmt::format(" after {} attempt{} ({})", sent["attempts"].get<std::int64_t>(),
                        sent["attempts"] == 1 ? "" : "s", sent["last_error"].get<std::string>());
      out << message_line(line);
    }
  }
  if (!options.all && !entries->empty()) {
    auto first = nlohmann::json::parse(entries->front().payload, nullptr, false);
    out << message_line(fmt::format("{} change{} of {} ({})", entries->size(),
                                    entries->size() == 1 ? "" : "s", *fingerprint,
                                    first.is_discarded() ? "" : about(std::nullopt, first)));
  } else {
    out << fmt::format("{} change{}\n", entries->size(), entries->size() == 1 ? "" : "s");
  }
  return k_exit_ok;
}

int command_evidence_verify(const EvidenceVerifyOptions& options, std::ostream& out,
                            std::ostream& err) {
  std::optional<std::pair<std::int64_t, std::string>> anchor;
  if (!options.anchor.empty()) {
    const auto colon = options.anchor.find(':');
    std::int64_t seq = 0;
    const std::string number = options.anchor.substr(0, colon);
    const bool numeric = !number.empty() && number.size() < 18 &&
                         number.find_first_not_of("0123456789") == std::string::npos;
    if (numeric) seq = std::stoll(number);
    if (colon == std::string::npos || seq < 1 || options.anchor.size() - colon - 1 != 64) {
      err << message_line("secondsight: --anchor: '", options.anchor,
                          "' must be SEQ:HASH, an entry's number and its 64-character hash");
      return k_exit_usage;
    }
    anchor.emplace(seq, lower(options.anchor.substr(colon + 1)));
  }
  auto config = load_config_only(options.config, err);
  if (!config) return k_exit_usage;
  const auto path = database_path(*config);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    err << message_line("secondsight: no state database at ", path.string(), ": nothing to verify");
    return k_exit_source;
  }
  auto database = store::Database::open(path, store::Missing::refuse);
  if (!database) {
    return report_error(err, database.error());
  }
  store::EvidenceLog log(*database);
  auto verdict = log.verify(anchor);
  if (!verdict) {
    return report_error(err, verdict.error());
  }
  if (!verdict->intact()) {
    out << message_line(fmt::format("evidence log {}: TAMPERED at entry {}: {}", path.string(),
                                    *verdict->first_bad_seq, verdict->problem));
    return k_exit_tampered;
  }
  std::string line = fmt::format("evidence log {}: intact, {} entr{}", path.string(),
                                 verdict->entries, verdict->entries == 1 ? "y" : "ies");
  if (verdict->entries > 0)
    line += fmt::format("; anchor for later checks (--anchor): {}:{}", verdict->head_seq,
                        verdict->head_hash);
  out << message_line(line);
  return k_exit_ok;
}

}  // namespace secondsight::app
