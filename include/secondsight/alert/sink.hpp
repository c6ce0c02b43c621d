// Alert sinks: where alerts go (journal, jsonl, webhook), each behind one interface and listed
// in one table (sinks.cpp). A sink delivers one alert at a time and says whether it arrived.
#pragma once

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "secondsight/config/config.hpp"
#include "secondsight/findings/change.hpp"
#include "secondsight/store/outbox.hpp"

namespace secondsight::alert {

// When a delivery attempt must have ended (the webhook's timeouts shrink to fit).
using Deadline = std::chrono::steady_clock::time_point;

struct Delivery {
  enum class Outcome {
    delivered,  // the receiver has it
    retry,      // it may get through later: down, timed out, 5xx, 408, 429
    refused,    // the receiver refuses it as it is (other 4xx, a redirect): retrying soon
                // will not help, but it stays queued, first in line, until it gets through
  };
  Outcome outcome = Outcome::delivered;
  std::string error;                                // why not, one sentence naming the receiver
  std::optional<std::chrono::seconds> retry_after;  // the receiver asked for this (Retry-After)

  static Delivery ok() { return {}; }
  static Delivery failed(std::string why) { return {Outcome::retry, std::move(why), {}}; }
};

class Sink {
 public:
  virtual ~Sink() = default;
  // Delivers one alert (its payload and idempotency key), returning by `deadline`.
  virtual Delivery deliver(const store::OutboxEntry& alert, Deadline deadline) = 0;
};

// A configured sink: its key in the outbox, and the sink, or why it could not be set up.
struct ConfiguredSink {
  std::string key;
  std::string where;  // FILE:LINE of its config, for messages
  std::unique_ptr<Sink> sink;
  std::string error;  // set when `sink` is null
};

// The outbox key of a sink: what it delivers to, so that changing min_severity keeps the
// queue and two identical entries share one. journal | jsonl:PATH | webhook:URL
std::string sink_key(const config::AlertSinkConfig& sink);

// A sink's key for people and logs: a webhook shows its scheme, host and port only, as its
// path may hold a token (Slack's incoming webhooks do).
std::string describe_sink(std::string_view key);

// Where a scan's alerts go: one route per distinct sink.
std::vector<findings::AlertRoute> alert_routes(const std::vector<config::AlertSinkConfig>& sinks);

// The `type:` of every sink in the table, for the config reader.
std::span<const std::string_view> sink_type_names();

// Sets up every configured sink through the table of sink types; a sink that cannot be set up
// (an unreadable secret) is returned with its error, and its alerts stay queued.
std::vector<ConfiguredSink> make_sinks(const std::vector<config::AlertSinkConfig>& sinks);

// ---- What each sink sends, as pure functions (tested without a receiver).

// The journal entry of an alert: FIELD=value strings for sd_journal_sendv. MESSAGE, PRIORITY
// (critical 2, high 3, medium 4, low 5, info 6; a resolution is at most notice, 5),
// SYSLOG_IDENTIFIER, MESSAGE_ID, and SECONDSIGHT_KIND, _PERSON, _SYSTEM (when there is one),
// _SEVERITY, _FINGERPRINT, _CHANGE, _ALERT_ID, _SUMMARY, _EVIDENCE_SEQ, _ALERT (the JSON).
std::vector<std::string> journal_fields(const nlohmann::json& alert);
inline constexpr const char* k_journal_message_id = "5e6c0d5a1b0f4b7e9a4f2d3c8e1b7a60";

// The webhook's X-Secondsight-Signature value: "sha256=" and the hex HMAC-SHA256 of `body`
// keyed with `secret`.
std::string webhook_signature(std::string_view secret, std::string_view body);

// What a receiver's HTTP response (its bytes as received) means for the alert sent to it:
// delivered (2xx); to retry (408, 429, 5xx), after its Retry-After read against `now`; or
// refused (a redirect, another 4xx). A response that does not parse is a failure to retry.
// `who` names the receiver in the error.
Delivery webhook_answer(std::string_view who, std::string_view response, Instant now);

struct WebhookUrl {
  std::string host;    // without brackets for IPv6
  std::string port;    // "443" when not given
  std::string target;  // path and query, "/" when empty
};
// Parses an https:// URL; plain http and user info are refused.
Result<WebhookUrl> parse_webhook_url(std::string_view url);

}  // namespace secondsight::alert
