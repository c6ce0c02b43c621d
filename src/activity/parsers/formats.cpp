// The one table of log formats, and what asks it: which parser, whether the journal, and whether
// a policy rule can ever match a source.

#include "secondsight/activity/formats.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "parsers.hpp"
#include "secondsight/core/glob.hpp"

namespace secondsight::activity {
namespace {

// Every format's events pass here: a line whose time is outside the instants secondsight
// represents is a damaged line, whatever its format wrote there.
class InRange final : public LogParser {
 public:
  explicit InRange(std::unique_ptr<LogParser> inner) : m_inner(std::move(inner)) {}

  LineKind parse(std::string_view line, std::vector<RawEvent>& events) override {
    const std::size_t before = events.size();
    const LineKind kind = m_inner->parse(line, events);
    const auto first = events.begin() + static_cast<std::ptrdiff_t>(before);
    if (std::all_of(first, events.end(), [](const RawEvent& e) { return representable(e.time); }))
      return kind;
    events.erase(std::remove_if(first, events.end(),
                                [](const RawEvent& e) { return !representable(e.time); }),
                 events.end());
    return LineKind::damaged;
  }

 private:
  std::unique_ptr<LogParser> m_inner;
};

std::string where_of(const config::LogSourceConfig& source) {
  return source.where.file.empty() ? source.name : format_location(source.where);
}

Result<std::unique_ptr<LogParser>> auditd(const config::LogSourceConfig&, const ParserContext&) {
  return std::unique_ptr<LogParser>(parsers::make_auditd_parser());
}

Result<std::unique_ptr<LogParser>> sshd(const config::LogSourceConfig&,
                                        const ParserContext& context) {
  return std::unique_ptr<LogParser>(parsers::make_sshd_parser(context));
}

Result<std::unique_ptr<LogParser>> jsonl(const config::LogSourceConfig& source,
                                         const ParserContext&) {
  if (source.fields.time.empty() || source.fields.user.empty())
    return make_error(where_of(source) + ": a jsonl source needs the fields time and user");
  return std::unique_ptr<LogParser>(parsers::make_jsonl_parser(source.fields));
}

constexpr std::array<LogFormat, 4> k_log_formats{{
    {"auditd", LogReading::lines, auditd, false, "auditd", true, true, ""},
    {"sshd", LogReading::lines, sshd, false, "sshd", false, false, "login"},
    {"jsonl", LogReading::lines, jsonl, true, "jsonl", false, true, ""},
    {"journal", LogReading::journal, nullptr, false, "sshd", false, false, "login"},
}};

constexpr auto k_log_format_names = [] {
  std::array<config::LogFormatName, k_log_formats.size()> names{};
  for (std::size_t i = 0; i < names.size(); ++i)
    names[i] = {k_log_formats[i].name, k_log_formats[i].reading, k_log_formats[i].takes_fields};
  return names;
}();

// "auditd, sshd, jsonl or journal"
std::string listed() {
  std::string out;
  for (std::size_t i = 0; i < k_log_formats.size(); ++i) {
    if (i > 0) out += i + 1 == k_log_formats.size() ? " or " : ", ";
    out += k_log_formats[i].name;
  }
  return out;
}

// A glob that an absent field ("") satisfies, such as "*", cannot tell sources apart.
bool needs_value(const std::string& pattern) {
  return !pattern.empty() && !glob_match(pattern, "");
}

}  // namespace

std::span<const LogFormat> log_formats() {
  return k_log_formats;
}

std::span<const config::LogFormatName> log_format_names() {
  return k_log_format_names;
}

const LogFormat* find_log_format(std::string_view name) {
  const auto it = std::find_if(k_log_formats.begin(), k_log_formats.end(),
                               [&](const LogFormat& format) { return format.name == name; });
  return it == k_log_formats.end() ? nullptr : &*it;
}

bool reads_journal(const config::LogSourceConfig& source) {
  const LogFormat* format = find_log_format(source.format);
  return format && format->reading == LogReading::journal;
}

Result<std::unique_ptr<LogParser>> make_parser(const config::LogSourceConfig& source,
                                               const ParserContext& context) {
  const LogFormat* format = find_log_format(source.format);
  if (!format)
    return make_error(where_of(source) + ": unknown log format '" + source.format + "' (expected " +
                      listed() + ")");
  if (!format->make_parser)
    return make_error(where_of(source) +
                      ": journal sources are read through sd-journal, not line by line");
  auto parser = format->make_parser(source, context);
  if (!parser) return parser;
  return std::unique_ptr<LogParser>(std::make_unique<InRange>(std::move(*parser)));
}

bool rule_selects(const config::ActivityRule& rule, const config::LogSourceConfig& source) {
  if (rule.source.empty() || rule.source == source.format || rule.source == source.name)
    return true;
  const LogFormat* format = find_log_format(source.format);
  return format && rule.source == format->events;
}

std::string_view never_matches(const config::ActivityRule& rule,
                               const config::LogSourceConfig& source) {
  const LogFormat* format = find_log_format(source.format);
  if (!format) return {};
  // The key is matched even by "*": an event without one never matches a rule naming it.
  if (!rule.key.empty() && !format->has_key) return "key";
  if (needs_value(rule.resource) && !format->has_resource) return "resource";
  if (!rule.action.empty() && !format->action.empty() &&
      !glob_match(rule.action, format->action, GlobCase::fold))
    return "action";
  return {};
}

void warn_if_never_matched(const config::ActivityRule& rule,
                           std::span<const config::LogSourceConfig> logs,
                           Diagnostics& diagnostics) {
  std::vector<const config::LogSourceConfig*> selected;
  for (const auto& log : logs)
    if (rule_selects(rule, log)) selected.push_back(&log);
  if (selected.empty()) {
    diagnostics.warning(rule.where,
                        logs.empty()
                            ? std::string("no audit log is configured: this activity rule never "
                                          "matches")
                            : "no configured audit log carries '" + rule.source +
                                  "' events: this activity rule never matches");
    return;
  }
  std::string_view missing;
  for (const auto* log : selected) {
    missing = never_matches(rule, *log);
    if (missing.empty()) return;
  }
  std::string names;
  for (const auto* log : selected)
    names += (names.empty() ? "" : ", ") + log->name + " (" + log->format + ")";
  diagnostics.warning(rule.where,
                      missing == "action"
                          ? "the action pattern matches no event of " + names +
                                " (their action is always '" +
                                std::string(find_log_format(selected.back()->format)->action) +
                                "'): this activity rule never matches"
                          : "'" + std::string(missing) + "' is in no event of " + names +
                                ": this activity rule never matches");
}

}  // namespace secondsight::activity
