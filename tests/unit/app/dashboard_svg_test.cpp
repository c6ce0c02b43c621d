// The dashboard's pictures: one mark per datum, accessible names, no style and no script.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/dashboard/svg.hpp"
#include "secondsight/core/text.hpp"

namespace secondsight::app::dashboard {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::size_t count(const std::string& text, std::string_view what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

void expect_clean(const std::string& svg) {
  EXPECT_THAT(svg, HasSubstr("role=\"img\""));
  EXPECT_THAT(svg, HasSubstr("aria-labelledby=\""));
  EXPECT_THAT(svg, HasSubstr("<title id=\""));
  EXPECT_THAT(svg, Not(HasSubstr("style")));
  EXPECT_THAT(svg, Not(HasSubstr("<script")));
  EXPECT_THAT(svg, Not(HasSubstr("\xE2\x80\xAE")));
  EXPECT_TRUE(is_valid_utf8(svg));
}

TEST(DashboardSvg, OpenFindingsChartHasABarPerDayWithOpenFindings) {
  std::vector<svg::DayCount> days;
  for (int i = 0; i < 90; ++i) days.push_back({"2026-01-" + std::to_string(i), i % 3 == 0 ? 0 : i});
  const auto svg = svg::open_findings_chart("open", days);
  expect_clean(svg);
  EXPECT_EQ(count(svg, "<rect class=\"day\""), 60u);
  EXPECT_THAT(svg, HasSubstr("aria-labelledby=\"open-title\""));
  EXPECT_THAT(svg, HasSubstr(">89</text>"));  // the scale's top
}

TEST(DashboardSvg, TimelineHasAMarkPerActiveDayAndTheEndLineInRange) {
  const std::vector<svg::TimelineRow> rows{
      {"Payments API", {0, 5, 89}}, {"<script>\u202E", {3}}, {"wiki", {}}};
  auto svg = svg::activity_timeline("t", "Activity", rows, 90, 40, "2026-01-01", "2026-03-31");
  expect_clean(svg);
  EXPECT_EQ(count(svg, "<rect class=\"mark\""), 4u);
  EXPECT_EQ(count(svg, "class=\"end\""), 1u);
  EXPECT_THAT(svg, HasSubstr("&lt;script&gt;\\u{202e}"));

  svg = svg::activity_timeline("t", "Activity", rows, 90, 95, "2026-01-01", "2026-03-31");
  EXPECT_EQ(count(svg, "class=\"end\""), 0u);
  svg = svg::activity_timeline("t", "Activity", rows, 90, std::nullopt, "a", "b");
  EXPECT_EQ(count(svg, "class=\"end\""), 0u);
}

TEST(DashboardSvg, BarChartHasABarPerAuthor) {
  const auto svg =
      svg::bar_chart("files", "Files per author",
                     {{"frank", 40}, {"git:eve <eve@x>", 10}, {"\"><img onerror=x>", 1}});
  expect_clean(svg);
  EXPECT_EQ(count(svg, "<rect class=\"bar\""), 3u);
  EXPECT_THAT(svg, Not(HasSubstr("<img")));
  EXPECT_THAT(svg, HasSubstr("git:eve &lt;eve@x&gt;"));
}

TEST(DashboardSvg, ShortenCutsOnCodePoints) {
  EXPECT_EQ(svg::shorten("abc", 5), "abc");
  EXPECT_EQ(svg::shorten("日本語テキスト", 3), "日本語…");
  EXPECT_TRUE(is_valid_utf8(svg::shorten("ééééé", 2)));
}

}  // namespace
}  // namespace secondsight::app::dashboard
