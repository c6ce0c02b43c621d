// `alerts list`, `alerts retry` and `alerts skip`: the outbox as an operator runs it.
#include <fmt/format.h>

#include <algorithm>
#include <csignal>
#include <cstring>
#include <map>

#include "secondsight/alert/dispatcher.hpp"
#include "secondsight/alert/sink.hpp"
#include "secondsight/app/alerts.hpp"
#include "secondsight/app/commands.hpp"
#include "secondsight/app/exit_codes.hpp"
#include "secondsight/app/output.hpp"
#include "secondsight/core/text.hpp"
#include "secondsight/store/database.hpp"
#include "secondsight/store/evidence_log.hpp"
#include "secondsight/store/outbox.hpp"
#include "secondsight/store/state_lock.hpp"

namespace secondsight::app {

namespace {

// One sink's queue: what `alerts list` shows of it.
struct SinkQueue {
  std::string key;   // the outbox's
  std::string name;  // for people: a webhook's path (which may hold a token) left out
  bool configured = false;
  std::vector<store::OutboxEntry> waiting;  // in the order the sink gets them
};

// Every configured sink in config order, then those no longer configured that still have
// alerts waiting.
std::vector<SinkQueue> sink_queues(const config::Config& config,
                                   std::vector<store::OutboxEntry> queued) {
  std::vector<SinkQueue> out;
  auto queue_of = [&](const std::string& key) -> SinkQueue& {
    for (auto& queue : out)
      if (queue.key == key) return queue;
    return out.emplace_back(SinkQueue{key, alert::describe_sink(key), false, {}});
  };
  for (const auto& sink : config.alerts) queue_of(alert::sink_key(sink)).configured = true;
  for (auto& entry : queued) queue_of(entry.sink).waiting.push_back(std::move(entry));
  return out;
}

std::string sink_type(const std::string& key) {
  return key.substr(0, key.find(':'));
}

// The sinks `--sink` names: its name exactly, its type, or those whose name holds the text.
Result<std::vector<SinkQueue>> select_sinks(std::vector<SinkQueue> all, const std::string& wanted) {
  if (wanted.empty()) return all;
  std::vector<SinkQueue> exact, by_type, containing;
  std::vector<std::string> names;
  for (auto& queue : all) {
    names.push_back(queue.name);
    if (queue.name == wanted)
      exact.push_back(queue);
    else if (sink_type(queue.key) == wanted)
      by_type.push_back(queue);
    else if (queue.name.find(wanted) != std::string::npos)
      containing.push_back(queue);
  }
  if (!exact.empty()) return exact;
  if (!by_type.empty()) return by_type;
  if (!containing.empty()) return containing;
  std::string known;
  for (const auto& name : names) known += (known.empty() ? "" : ", ") + name;
  return make_error("--sink: no sink is named '" + wanted +
                        "' (the sinks: " + (known.empty() ? std::string("none") : known) + ")",
                    ErrorKind::invalid);
}

std::string payload_text(const nlohmann::json& payload, const char* key) {
  return payload.is_object() && payload.contains(key) && payload[key].is_string()
             ? payload[key].get<std::string>()
             : std::string("-");
}

// "45s", "12m", "3h 5m", "2d 4h": how long something has waited.
std::string age_text(std::chrono::seconds age) {
  const auto s = std::max<std::int64_t>(0, age.count());
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m", s / 60);
  if (s < 86400) return fmt::format("{}h {}m", s / 3600, s % 3600 / 60);
  return fmt::format("{}d {}h", s / 86400, s % 86400 / 3600);
}

nlohmann::json alert_json(const store::OutboxEntry& entry) {
  const auto payload = parse_json(entry.payload);
  nlohmann::json out = {
      {"id", entry.id},
      {"sink", alert::describe_sink(entry.sink)},
      {"seq", entry.seq},
      {"change", entry.change},
      {"fingerprint", entry.fingerprint},
      {"kind", payload.value("kind", nlohmann::json())},
      {"severity", payload.value("severity", nlohmann::json())},
      {"person", payload.value("person", nlohmann::json())},
      {"system", payload.value("system", nlohmann::json())},
      {"queued_at", format_rfc3339(entry.created_at)},
      {"attempts", entry.attempts},
      {"next_try", entry.next_attempt_at ? nlohmann::json(format_rfc3339(*entry.next_attempt_at))
                                         : nlohmann::json()},
      {"last_error",
       entry.last_error.empty() ? nlohmann::json() : nlohmann::json(entry.last_error)}};
  if (entry.failed_at) out["refused_at"] = format_rfc3339(*entry.failed_at);
  return out;
}

nlohmann::json sink_json(const SinkQueue& queue, Instant now) {
  nlohmann::json out = {
      {"sink", queue.name}, {"configured", queue.configured}, {"queued", queue.waiting.size()},
      {"oldest", nullptr},  {"oldest_age_seconds", nullptr},  {"last_error", nullptr},
      {"next_try", nullptr}};
  if (!queue.waiting.empty()) {
    const auto& head = queue.waiting.front();
    out["oldest"] = alert_json(head);
    out["oldest_age_seconds"] = std::max<std::int64_t>(0, (now - head.created_at).count());
    out["last_error"] = out["oldest"]["last_error"];
    // Nothing set: due at once.
    out["next_try"] =
        head.next_attempt_at ? format_rfc3339(*head.next_attempt_at) : format_rfc3339(now);
  }
  nlohmann::json alerts = nlohmann::json::array();
  for (const auto& entry : queue.waiting) alerts.push_back(alert_json(entry));
  out["alerts"] = std::move(alerts);
  return out;
}

void write_queue_table(std::ostream& out, const std::vector<SinkQueue>& queues, Instant now,
                       Zone zone) {
  std::vector<std::vector<std::string>> sinks;
  std::vector<std::vector<std::string>> alerts;
  std::size_t waiting = 0;
  for (const auto& queue : queues) {
    std::string name = escape_terminal(queue.name);
    if (!queue.configured) name += " (no longer configured)";
    if (queue.waiting.empty()) {
      sinks.push_back({name, "0", "-", "-", "-", "-"});
      continue;
    }
    const auto& head = queue.waiting.front();
    const bool due = !head.next_attempt_at || *head.next_attempt_at <= now;
    sinks.push_back(
        {name, std::to_string(queue.waiting.size()), format_local(head.created_at, zone),
         age_text(now - head.created_at),
         due ? std::string("now") : format_local(*head.next_attempt_at, zone),
         head.last_error.empty() ? std::string("-") : escape_terminal(head.last_error)});
    for (const auto& entry : queue.waiting) {
      ++waiting;
      const auto payload = parse_json(entry.payload);
      alerts.push_back({std::to_string(entry.id), escape_terminal(queue.name),
                        std::to_string(entry.seq), escape_terminal(entry.change),
                        entry.fingerprint.substr(0, k_short_fingerprint),
                        escape_terminal(payload_text(payload, "kind")),
                        escape_terminal(payload_text(payload, "person")),
                        escape_terminal(payload_text(payload, "system")),
                        format_local(entry.created_at, zone), std::to_string(entry.attempts)});
    }
  }
  if (queues.empty()) {
    out << "No alert sinks are configured and no alert waits.\n";
    return;
  }
  write_aligned_table(out, {"SINK", "QUEUED", "OLDEST", "AGE", "NEXT TRY", "LAST ERROR"}, sinks);
  if (!alerts.empty()) {
    out << '\n';
    write_aligned_table(out,
                        {"ID", "SINK", "SEQ", "CHANGE", "FINDING", "KIND", "PERSON", "SYSTEM",
                         "QUEUED", "ATTEMPTS"},
                        alerts);
  }
  out << fmt::format("{} alert{} waiting\n", waiting, waiting == 1 ? "" : "s");
}

}  // namespace

int command_alerts_list(const AlertsListOptions& options, std::ostream& out, std::ostream& err) {
  auto config = load_config_only(options.config, err);
  if (!config) return k_exit_usage;
  auto database = store::Database::open(database_path(*config), store::Missing::refuse);
  if (!database) return report_error(err, database.error());
  auto queued = store::Outbox(*database).queued();
  if (!queued) return report_error(err, queued.error());
  auto queues = select_sinks(sink_queues(*config, std::move(*queued)), options.sink);
  if (!queues) return report_error(err, queues.error());
  const Instant now = system_now();
  if (options.format == OutputFormat::table) {
    write_queue_table(out, *queues, now, config->zone);
    return k_exit_ok;
  }
  nlohmann::json sinks = nlohmann::json::array();
  for (const auto& queue : *queues) sinks.push_back(sink_json(queue, now));
  if (options.format == OutputFormat::json)
    out << json_text(nlohmann::json{{"now", format_rfc3339(now)}, {"sinks", sinks}}, 2) << '\n';
  else
    for (const auto& sink : sinks) out << json_text(sink) << '\n';
  return k_exit_ok;
}

int command_alerts_retry(const AlertsRetryOptions& options, std::ostream& out, std::ostream& err) {
  auto config = load_config_only(options.config, err);
  if (!config) return k_exit_usage;
  auto database = store::Database::open(database_path(*config), store::Missing::refuse);
  if (!database) return report_error(err, database.error());
  store::Outbox outbox(*database);
  auto queued = outbox.queued();
  if (!queued) return report_error(err, queued.error());
  auto queues = select_sinks(sink_queues(*config, std::move(*queued)), options.sink);
  if (!queues) return report_error(err, queues.error());

  std::size_t waiting = 0;
  for (const auto& queue : *queues) {
    if (queue.waiting.empty()) continue;
    auto due = outbox.retry_now(queue.key);
    if (!due) return report_error(err, due.error());
    waiting += static_cast<std::size_t>(*due);
  }
  if (waiting == 0) {
    out << "No alert waits for delivery.\n";
    return k_exit_ok;
  }

  auto lock = store::try_delivery_lock(config->state_dir);
  if (!lock) return report_error(err, lock.error());
  if (!lock->held()) {
    // The daemon (or a scan) delivers for this state folder: the alerts are due now, and the
    // daemon is told so.
    const auto daemon = store::running_daemon(config->state_dir);
    if (!daemon) {
      out << fmt::format(
          "{} alert{} due now; a scan is delivering for {} and sends them when it gets to them\n",
          waiting, waiting == 1 ? " is" : "s are", escape_terminal(config->state_dir.string()));
      return k_exit_ok;
    }
    if (::kill(*daemon, SIGUSR1) != 0) {
      err << message_line(fmt::format(
          "secondsight: {} alert{} due now, but the daemon (pid {}) cannot be told: {}; it tries "
          "them at its next retry, or at once after `systemctl reload secondsight`",
          waiting, waiting == 1 ? " is" : "s are", *daemon, std::strerror(errno)));
      return k_exit_ok;
    }
    out << fmt::format("{} alert{} due now; the daemon (pid {}) is delivering them\n", waiting,
                       waiting == 1 ? " is" : "s are", *daemon);
    return k_exit_ok;
  }

  // No one delivers: this command does, for the selected sinks only.
  std::vector<config::AlertSinkConfig> chosen;
  for (const auto& sink : config->alerts)
    for (const auto& queue : *queues)
      if (queue.key == alert::sink_key(sink)) chosen.push_back(sink);
  alert::Dispatcher dispatcher(*database, alert::make_sinks(chosen));
  auto pass = dispatcher.deliver_due(system_now(),
                                     std::chrono::steady_clock::now() + k_scan_delivery_budget);
  if (!pass) return report_error(err, pass.error());
  for (const auto& problem : pass->problems) err << message_line("secondsight: ", problem);
  auto left = outbox.queued();
  if (!left) return report_error(err, left.error());
  std::size_t still = 0;
  for (const auto& entry : *left)
    for (const auto& queue : *queues)
      if (queue.key == entry.sink) ++still;
  out << fmt::format("{} alert{} delivered, {} still waiting\n", pass->delivered,
                     pass->delivered == 1 ? "" : "s", still);
  return still == 0 ? k_exit_ok : k_exit_source;
}

int command_alerts_skip(const AlertsSkipOptions& options, std::ostream& out, std::ostream& err) {
  if (options.reason.find_first_not_of(" \t") == std::string::npos) {
    err << "secondsight: --reason: say why the alert is given up on\n";
    return k_exit_usage;
  }
  auto config = load_config_only(options.config, err);
  if (!config) return k_exit_usage;
  auto database = store::Database::open(database_path(*config), store::Missing::refuse);
  if (!database) return report_error(err, database.error());
  store::Outbox outbox(*database);
  auto found = outbox.find(options.id);
  if (!found) return report_error(err, found.error());
  if (!*found)
    return report_error(
        err, Error{"no alert has the id " + std::to_string(options.id) + " (see `alerts list`)",
                   ErrorKind::invalid});
  const store::OutboxEntry& entry = **found;
  if (entry.skipped_at)
    return report_error(
        err,
        Error{fmt::format("alert {} was skipped already, by {} at {}: {}", entry.id,
                          entry.skipped_by, format_rfc3339(*entry.skipped_at), entry.skip_reason),
              ErrorKind::invalid});
  if (entry.delivered_at)
    return report_error(err, Error{fmt::format("alert {} was delivered at {}", entry.id,
                                               format_rfc3339(*entry.delivered_at)),
                                   ErrorKind::invalid});

  const Instant now = system_now();
  const std::string by = invoking_user();
  const auto payload = parse_json(entry.payload);
  const std::string sink = alert::describe_sink(entry.sink);
  auto transaction = store::Transaction::begin(*database);
  if (!transaction) return report_error(err, transaction.error());
  if (auto skipped = outbox.skip(entry.id, now, by, options.reason); !skipped)
    return report_error(err, skipped.error());
  nlohmann::json record = {{"sink", sink},
                           {"alert", entry.id},
                           {"seq", entry.seq},
                           {"alert_change", entry.change},
                           {"idempotency_key", entry.idempotency_key},
                           {"kind", payload.value("kind", nlohmann::json())},
                           {"person", payload.value("person", nlohmann::json())},
                           {"system", payload.value("system", nlohmann::json())},
                           {"attempts", entry.attempts},
                           {"last_error", entry.last_error},
                           {"by", by},
                           {"reason", options.reason}};
  store::EvidenceLog log(*database);
  auto logged = log.append(now, entry.fingerprint, "alert_skipped",
                           payload.is_object() ? payload.value("severity", "") : "", record);
  if (!logged) return report_error(err, logged.error());
  if (auto committed = transaction->commit(); !committed)
    return report_error(err, committed.error());

  out << message_line(fmt::format("skipped alert {} ({} {} of {}) to {} by {}: {}", entry.id,
                                  entry.change, payload_text(payload, "kind"),
                                  entry.fingerprint.substr(0, k_short_fingerprint), sink, by,
                                  options.reason));
  // A daemon waiting on this alert's retry goes on with the next one now.
  if (auto daemon = store::running_daemon(config->state_dir)) ::kill(*daemon, SIGUSR1);
  return k_exit_ok;
}

}  // namespace secondsight::app
