// The one table of log formats that have a line parser.

#include <string>

#include "parsers.hpp"
#include "secondsight/activity/parser.hpp"

namespace secondsight::activity {

Result<std::unique_ptr<LogParser>> make_parser(const config::LogSourceConfig& source,
                                               const ParserContext& context) {
  const auto where = source.where.file.empty() ? source.name : format_location(source.where);
  if (source.format == "auditd") return parsers::make_auditd_parser();
  if (source.format == "sshd") return parsers::make_sshd_parser(context);
  if (source.format == "jsonl") {
    if (source.fields.time.empty() || source.fields.user.empty())
      return make_error(where + ": a jsonl source needs the fields time and user");
    return parsers::make_jsonl_parser(source.fields);
  }
  if (source.format == "journal")
    return make_error(where + ": journal sources are read through sd-journal, not line by line");
  return make_error(where + ": unknown log format '" + source.format +
                    "' (expected auditd, sshd, jsonl or journal)");
}

}  // namespace secondsight::activity
