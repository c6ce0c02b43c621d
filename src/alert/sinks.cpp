#include <algorithm>
#include <array>
#include <iterator>
#include <set>

#include "secondsight/alert/sink.hpp"
#include "sink_types.hpp"

namespace secondsight::alert {

namespace {

// Every sink type, in one place: the config's `type` and how to set one up.
struct SinkType {
  std::string_view type;
  Result<std::unique_ptr<Sink>> (*make)(const config::AlertSinkConfig&);
};

constexpr SinkType k_sink_types[] = {
    {"journal", make_journal_sink},
    {"jsonl", make_jsonl_sink},
    {"webhook", make_webhook_sink},
};

// The names above, for the config reader's "expected one of".
constexpr auto k_sink_type_names = [] {
  std::array<std::string_view, std::size(k_sink_types)> names{};
  for (std::size_t i = 0; i < names.size(); ++i) names[i] = k_sink_types[i].type;
  return names;
}();

std::string where(const config::AlertSinkConfig& sink) {
  if (sink.where.file.empty()) return "alerts";
  return sink.where.file + ":" + std::to_string(sink.where.line);
}

}  // namespace

std::span<const std::string_view> sink_type_names() {
  return k_sink_type_names;
}

std::string sink_key(const config::AlertSinkConfig& sink) {
  if (sink.type == "jsonl") return "jsonl:" + sink.path.lexically_normal().string();
  if (sink.type == "webhook") return "webhook:" + sink.url;
  return sink.type;
}

std::string describe_sink(std::string_view key) {
  constexpr std::string_view webhook = "webhook:";
  if (key.substr(0, webhook.size()) != webhook) return std::string(key);
  std::string_view url = key.substr(webhook.size());
  auto scheme = url.find("://");
  auto path = url.find_first_of("/?#", scheme == std::string_view::npos ? 0 : scheme + 3);
  if (path == std::string_view::npos) return "webhook " + std::string(url);
  return "webhook " + std::string(url.substr(0, path)) + "/...";
}

std::vector<findings::AlertRoute> alert_routes(const std::vector<config::AlertSinkConfig>& sinks) {
  std::vector<findings::AlertRoute> out;
  for (const auto& sink : sinks) {
    findings::AlertRoute route{sink_key(sink), sink.min_severity};
    auto same = std::find_if(out.begin(), out.end(),
                             [&](const findings::AlertRoute& r) { return r.sink == route.sink; });
    // The same receiver twice gets each alert once, at the lower of the two thresholds.
    if (same == out.end())
      out.push_back(std::move(route));
    else
      same->min_severity = std::min(same->min_severity, route.min_severity);
  }
  return out;
}

std::vector<ConfiguredSink> make_sinks(const std::vector<config::AlertSinkConfig>& sinks) {
  std::vector<ConfiguredSink> out;
  std::set<std::string> seen;
  for (const auto& sink : sinks) {
    ConfiguredSink configured;
    configured.key = sink_key(sink);
    if (!seen.insert(configured.key).second) continue;
    configured.where = where(sink);
    const auto* type = std::find_if(std::begin(k_sink_types), std::end(k_sink_types),
                                    [&](const SinkType& t) { return t.type == sink.type; });
    if (type == std::end(k_sink_types)) {
      configured.error = configured.where + ": unknown alert type '" + sink.type + "'";
    } else if (auto made = type->make(sink)) {
      configured.sink = std::move(*made);
    } else {
      configured.error = configured.where + ": " + made.error().message;
    }
    out.push_back(std::move(configured));
  }
  return out;
}

}  // namespace secondsight::alert
