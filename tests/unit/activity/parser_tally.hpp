// What a parser made of some lines: counts per line kind, the damaged lines, the events.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "secondsight/activity/parser.hpp"

namespace secondsight::activity::testing {

struct Tally {
  int ignored = 0;
  int records = 0;
  int damaged = 0;
  std::vector<int> damaged_lines;  // 1-based
  std::vector<RawEvent> events;
};

inline Tally parse_lines(LogParser& parser, const std::vector<std::string>& lines) {
  Tally tally;
  int number = 0;
  for (const auto& line : lines) {
    ++number;
    switch (parser.parse(line, tally.events)) {
      case LineKind::ignored: ++tally.ignored; break;
      case LineKind::record: ++tally.records; break;
      case LineKind::damaged:
        ++tally.damaged;
        tally.damaged_lines.push_back(number);
        break;
    }
  }
  return tally;
}

// A parser for `source`, or a test failure.
inline Tally parse_lines(const config::LogSourceConfig& source, const ParserContext& context,
                         const std::vector<std::string>& lines) {
  auto parser = make_parser(source, context);
  EXPECT_TRUE(parser.ok());
  if (!parser.ok()) return {};
  return parse_lines(**parser, lines);
}

// A file's lines as the tailer gives them: LF removed, a CR before it too.
inline std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

inline Instant time_of(std::string_view rfc3339) {
  auto parsed = parse_rfc3339(rfc3339);
  EXPECT_TRUE(parsed.ok()) << rfc3339;
  return parsed.ok() ? *parsed : Instant{};
}

inline Instant at(long long seconds) {
  return Instant{std::chrono::seconds{seconds}};
}

}  // namespace secondsight::activity::testing
