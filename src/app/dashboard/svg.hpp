// The dashboard's pictures as inline SVG: no script, no style element or attribute (the
// Content-Security-Policy allows neither), colours as presentation attributes and classes of
// dashboard_css(). Each picture has role="img" and a <title> it is labelled by; the pages put
// the same figures next to it as a table, for those who cannot see it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace secondsight::app::dashboard::svg {

// A count on one local calendar day.
struct DayCount {
  std::string day;  // YYYY-MM-DD
  std::int64_t count = 0;
};

// Open findings per day: one bar (class "day") per day with a count above zero, oldest left.
// `id` makes the title's id unique on the page.
std::string open_findings_chart(std::string_view id, const std::vector<DayCount>& days);

// One row of a timeline: what it is about and its active days, as indexes into the window.
struct TimelineRow {
  std::string label;
  std::vector<int> active_days;  // 0 = the window's first day
};

// Activity over a window of `days` days, one row per entry of `rows`, a mark (class "mark") per
// active day, and a line (class "end") at day index `end_day` when it is in the window.
std::string activity_timeline(std::string_view id, std::string_view title,
                              const std::vector<TimelineRow>& rows, int days,
                              std::optional<int> end_day, std::string_view first_day,
                              std::string_view last_day);

struct Bar {
  std::string label;
  std::int64_t value = 0;
};

// Horizontal bars (class "bar"), one per entry, longest = the largest value.
std::string bar_chart(std::string_view id, std::string_view title, const std::vector<Bar>& bars);

// `text` cut to at most `max` code points, "…" added when cut (never inside a UTF-8 sequence).
std::string shorten(std::string_view text, std::size_t max);

}  // namespace secondsight::app::dashboard::svg
