// Application audit logs written as one JSON object per line, fields named by the source's
// config (dotted paths reach into nested objects).

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "line_text.hpp"
#include "parsers.hpp"
#include "secondsight/core/text.hpp"
#include "timestamps.hpp"

namespace secondsight::activity::parsers {
namespace {

using Json = nlohmann::json;

// The value at a dotted path. A key that itself holds dots ("user.name" as flattening
// loggers write it) wins over descending, at every level.
const Json* find_path(const Json& object, std::string_view path) {
  if (!object.is_object() || path.empty()) return nullptr;
  if (const auto it = object.find(path); it != object.end()) return &*it;
  for (auto dot = path.find('.'); dot != std::string_view::npos; dot = path.find('.', dot + 1)) {
    const auto it = object.find(path.substr(0, dot));
    if (it == object.end()) continue;
    if (const Json* found = find_path(*it, path.substr(dot + 1))) return found;
  }
  return nullptr;
}

// Epoch seconds (integer or fraction, truncated towards the past) or an RFC 3339 string.
std::optional<Instant> read_time(const Json& value) {
  if (value.is_string()) return parse_iso_stamp(value.get_ref<const std::string&>());
  if (value.is_number_integer()) {
    if (value.is_number_unsigned()) {
      const auto seconds = value.get<std::uint64_t>();
      if (seconds > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        return std::nullopt;
      return Instant{std::chrono::seconds{static_cast<std::int64_t>(seconds)}};
    }
    return Instant{std::chrono::seconds{value.get<std::int64_t>()}};
  }
  if (value.is_number_float()) {
    const double seconds = std::floor(value.get<double>());
    // Beyond ±2^62 seconds no calendar makes sense, and the cast would overflow.
    constexpr double k_limit = 4.6e18;
    if (!std::isfinite(seconds) || seconds > k_limit || seconds < -k_limit) return std::nullopt;
    return Instant{std::chrono::seconds{static_cast<std::int64_t>(seconds)}};
  }
  return std::nullopt;
}

// Strings as they are, numbers and booleans as JSON writes them; anything else is no text.
std::optional<std::string> read_text(const Json* value) {
  if (value == nullptr) return std::nullopt;
  if (value->is_string()) return value->get<std::string>();
  if (value->is_number() || value->is_boolean()) return value->dump();
  return std::nullopt;
}

class JsonlParser final : public LogParser {
 public:
  explicit JsonlParser(config::JsonlFields fields) : m_fields(std::move(fields)) {}

  LineKind parse(std::string_view line, std::vector<RawEvent>& events) override {
    line = trim_line_end(line);
    if (is_blank_or_comment(line)) return LineKind::ignored;
    // A line with bytes that are not UTF-8 is still read: those bytes become U+FFFD.
    const auto record = parse_json(line);
    if (record.is_discarded() || !record.is_object()) return LineKind::damaged;

    const Json* time_value = find_path(record, m_fields.time);
    const auto time = time_value ? read_time(*time_value) : std::nullopt;
    auto user = read_text(find_path(record, m_fields.user));
    // Without a time or a user the line can be no access event, yet the source promises both.
    if (!time || !user || user->empty()) return LineKind::damaged;

    RawEvent event;
    event.time = *time;
    event.user = std::move(*user);
    event.host = read_text(find_path(record, m_fields.host)).value_or("");
    event.action = read_text(find_path(record, m_fields.action)).value_or("");
    event.resource = read_text(find_path(record, m_fields.resource)).value_or("");
    events.push_back(std::move(event));
    return LineKind::record;
  }

 private:
  config::JsonlFields m_fields;
};

}  // namespace

std::unique_ptr<LogParser> make_jsonl_parser(const config::JsonlFields& fields) {
  return std::make_unique<JsonlParser>(fields);
}

}  // namespace secondsight::activity::parsers
