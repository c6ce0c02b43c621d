#include "svg.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "html.hpp"
#include "secondsight/core/text.hpp"

namespace secondsight::app::dashboard::svg {
namespace {

// Inline in HTML, an <svg> is in the SVG namespace without an xmlns attribute. Coordinates are
// in the viewBox's units; the stylesheet scales the picture to the page width.
constexpr int k_label_width = 220;
constexpr int k_row_height = 22;
constexpr std::size_t k_label_chars = 30;

std::string open_svg(std::string_view id, std::string_view title, int width, int height) {
  const std::string title_id = html::escape(std::string(id) + "-title");
  return fmt::format(
      "<svg class=\"chart\" role=\"img\" aria-labelledby=\"{0}\" viewBox=\"0 0 {1} {2}\" "
      "preserveAspectRatio=\"xMinYMin meet\">"
      "<title id=\"{0}\">{3}</title>\n",
      title_id, width, height, html::escape(title));
}

std::string text_at(int x, int y, std::string_view text, std::string_view anchor = "start") {
  return fmt::format(
      "<text x=\"{}\" y=\"{}\" text-anchor=\"{}\" font-size=\"12\" fill=\"currentColor\">{}</text>",
      x, y, anchor, html::escape(text));
}

}  // namespace

std::string shorten(std::string_view text, std::size_t max) {
  std::size_t at = 0;
  for (std::size_t count = 0; at < text.size() && count < max; ++count)
    at += text_unit_at(text, at).length;
  if (at >= text.size()) return std::string(text);
  return std::string(text.substr(0, at)) + "\xE2\x80\xA6";
}

std::string open_findings_chart(std::string_view id, const std::vector<DayCount>& days) {
  constexpr int k_left = 50, k_top = 10, k_plot_height = 160, k_bar = 8;
  const int n = static_cast<int>(days.size());
  const int width = k_left + n * k_bar + 10;
  const int height = k_top + k_plot_height + 30;
  std::int64_t highest = 0;
  for (const auto& day : days) highest = std::max(highest, day.count);
  std::string title = "Open findings per day";
  if (!days.empty()) title += ", " + days.front().day + " to " + days.back().day;
  std::string out = open_svg(id, title, width, height);
  const int base = k_top + k_plot_height;
  out += fmt::format(
      "<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"currentColor\" "
      "stroke-width=\"1\"/>",
      k_left, base, width - 10);
  out += text_at(k_left - 6, base, "0", "end");
  out += text_at(k_left - 6, k_top + 12, std::to_string(highest), "end");
  for (int i = 0; i < n; ++i) {
    const auto count = days[static_cast<std::size_t>(i)].count;
    if (count <= 0) continue;
    const int h = static_cast<int>(
        std::max<std::int64_t>(1, count * k_plot_height / std::max<std::int64_t>(1, highest)));
    out += fmt::format(
        "<rect class=\"day\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#8a3b12\">"
        "<title>{}: {}</title></rect>",
        k_left + i * k_bar, base - h, k_bar - 1, h,
        html::escape(days[static_cast<std::size_t>(i)].day), count);
  }
  if (!days.empty()) {
    out += text_at(k_left, base + 20, days.front().day);
    out += text_at(width - 10, base + 20, days.back().day, "end");
  }
  out += "</svg>\n";
  return out;
}

std::string activity_timeline(std::string_view id, std::string_view title,
                              const std::vector<TimelineRow>& rows, int days,
                              std::optional<int> end_day, std::string_view first_day,
                              std::string_view last_day) {
  constexpr int k_day = 8, k_top = 6;
  const int n_rows = static_cast<int>(rows.size());
  const int width = k_label_width + days * k_day + 10;
  const int height = k_top + n_rows * k_row_height + 30;
  std::string out = open_svg(id, title, width, height);
  for (int r = 0; r < n_rows; ++r) {
    const auto& row = rows[static_cast<std::size_t>(r)];
    const int y = k_top + r * k_row_height;
    out += text_at(0, y + 15, shorten(row.label, k_label_chars));
    out += fmt::format(
        "<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#bbbbbb\" stroke-width=\"1\"/>",
        k_label_width, y + k_row_height - 2, width - 10);
    for (int day : row.active_days) {
      if (day < 0 || day >= days) continue;
      out += fmt::format(
          "<rect class=\"mark\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#1f5f8b\"/>",
          k_label_width + day * k_day, y + 4, k_day - 2, k_row_height - 8);
    }
  }
  const int bottom = k_top + n_rows * k_row_height;
  if (end_day && *end_day >= 0 && *end_day < days) {
    const int x = k_label_width + *end_day * k_day;
    out += fmt::format(
        "<line class=\"end\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#b00020\" "
        "stroke-width=\"2\"><title>rights end</title></line>",
        x, k_top, bottom);
  }
  out += text_at(k_label_width, bottom + 20, first_day);
  out += text_at(width - 10, bottom + 20, last_day, "end");
  out += "</svg>\n";
  return out;
}

std::string bar_chart(std::string_view id, std::string_view title, const std::vector<Bar>& bars) {
  constexpr int k_plot = 500, k_top = 4;
  const int width = k_label_width + k_plot + 60;
  const int height = k_top + static_cast<int>(bars.size()) * k_row_height + 6;
  std::int64_t highest = 0;
  for (const auto& bar : bars) highest = std::max(highest, bar.value);
  std::string out = open_svg(id, title, width, height);
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const int y = k_top + static_cast<int>(i) * k_row_height;
    const auto value = std::max<std::int64_t>(0, bars[i].value);
    const int w = static_cast<int>(value * k_plot / std::max<std::int64_t>(1, highest));
    out += text_at(0, y + 15, shorten(bars[i].label, k_label_chars));
    out += fmt::format(
        "<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#1f5f8b\"/>",
        k_label_width, y + 3, std::max(w, value > 0 ? 1 : 0), k_row_height - 6);
    out += text_at(k_label_width + w + 6, y + 15, std::to_string(value));
  }
  out += "</svg>\n";
  return out;
}

}  // namespace secondsight::app::dashboard::svg
