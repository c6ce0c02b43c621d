// Feeding a harness's input to a log parser line by line, as the tailer does, and the
// properties every parser keeps.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "harness.hpp"
#include "secondsight/activity/parser.hpp"

namespace secondsight::fuzz {

struct ParsedLines {
  std::vector<activity::RawEvent> events;
  std::vector<activity::LineKind> kinds;
};

// One line per '\n', its CR dropped, as the tailer hands them over.
inline ParsedLines parse_lines(activity::LogParser& parser, std::string_view text) {
  ParsedLines out;
  for (auto line : split_all(text, '\n')) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::size_t before = out.events.size();
    const auto kind = parser.parse(line, out.events);
    FUZZ_CHECK(kind == activity::LineKind::ignored || kind == activity::LineKind::record ||
               kind == activity::LineKind::damaged);
    // Only a record completes events; blank lines, comments and damage never do.
    if (kind != activity::LineKind::record) FUZZ_CHECK(out.events.size() == before);
    out.kinds.push_back(kind);
  }
  return out;
}

inline bool same_events(const std::vector<activity::RawEvent>& a,
                        const std::vector<activity::RawEvent>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].time != b[i].time || a[i].user != b[i].user || a[i].uid != b[i].uid ||
        a[i].host != b[i].host || a[i].action != b[i].action || a[i].resource != b[i].resource ||
        a[i].key != b[i].key)
      return false;
  }
  return true;
}

// True when `text` is valid UTF-8: what nlohmann::json can write without throwing.
inline bool is_utf8(std::string_view text) {
  try {
    (void)nlohmann::json(std::string(text)).dump();
    return true;
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

}  // namespace secondsight::fuzz
