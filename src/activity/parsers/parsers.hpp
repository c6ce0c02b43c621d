// The line parsers of the format table (formats.cpp), one per log format (private to
// src/activity/parsers).
#pragma once

#include <memory>

#include "secondsight/activity/parser.hpp"
#include "secondsight/config/config.hpp"

namespace secondsight::activity::parsers {

std::unique_ptr<LogParser> make_auditd_parser();
std::unique_ptr<LogParser> make_sshd_parser(const ParserContext& context);
std::unique_ptr<LogParser> make_jsonl_parser(const config::JsonlFields& fields);

}  // namespace secondsight::activity::parsers
