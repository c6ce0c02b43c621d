// The one table of log formats that have a line parser.

#include <algorithm>
#include <string>

#include "parsers.hpp"
#include "secondsight/activity/parser.hpp"
#include "secondsight/config/log_formats.hpp"

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

Result<std::unique_ptr<LogParser>> in_range(std::unique_ptr<LogParser> parser) {
  return std::unique_ptr<LogParser>(std::make_unique<InRange>(std::move(parser)));
}

}  // namespace

Result<std::unique_ptr<LogParser>> make_parser(const config::LogSourceConfig& source,
                                               const ParserContext& context) {
  const auto where = source.where.file.empty() ? source.name : format_location(source.where);
  if (source.format == "auditd") return in_range(parsers::make_auditd_parser());
  if (source.format == "sshd") return in_range(parsers::make_sshd_parser(context));
  if (source.format == "jsonl") {
    if (source.fields.time.empty() || source.fields.user.empty())
      return make_error(where + ": a jsonl source needs the fields time and user");
    return in_range(parsers::make_jsonl_parser(source.fields));
  }
  if (config::reads_journal(source))
    return make_error(where + ": journal sources are read through sd-journal, not line by line");
  return make_error(where + ": unknown log format '" + source.format +
                    "' (expected auditd, sshd, jsonl or journal)");
}

}  // namespace secondsight::activity
