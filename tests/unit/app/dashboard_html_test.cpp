// The dashboard's HTML escaping and links: hostile directory values stay text.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/dashboard/html.hpp"
#include "secondsight/core/text.hpp"

namespace secondsight::app::dashboard {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(DashboardHtml, EscapesMarkupInTextAndAttributes) {
  EXPECT_EQ(html::escape("<b>&\"'</b>"), "&lt;b&gt;&amp;&quot;&#39;&lt;/b&gt;");
  EXPECT_EQ(html::escape("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
  const std::string attack = html::escape("\"><img src=x onerror=alert(1)>");
  EXPECT_EQ(attack, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
  EXPECT_THAT(attack, Not(HasSubstr("\"")));
  EXPECT_THAT(attack, Not(HasSubstr("<")));
}

TEST(DashboardHtml, ShowsBidiAndInvisibleCharactersAsTheTerminalDoes) {
  EXPECT_EQ(html::escape("evil\u202Egnp.exe"), "evil\\u{202e}gnp.exe");
  EXPECT_EQ(html::escape("\u2066x\u2069\u200B\uFEFF\u061C\u2028\u2029"),
            "\\u{2066}x\\u{2069}\\u{200b}\\u{feff}\\u{061c}\\u{2028}\\u{2029}");
  // The same table as escape_terminal: one list of such characters.
  EXPECT_EQ(escape_terminal("a\u202Db"), "a\\u{202d}b");
}

TEST(DashboardHtml, ReplacesBadBytesAndDropsControls) {
  EXPECT_EQ(html::escape("M\xFCller"), "M\xEF\xBF\xBDller");
  EXPECT_EQ(html::escape("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(html::escape("a\x1b[31mb\x7f\xC2\x9B"), "a[31mb");
  EXPECT_EQ(html::escape("two\nlines\tand\r"), "two lines and ");
  EXPECT_EQ(html::escape("Müller 日本"), "Müller 日本");
  EXPECT_TRUE(is_valid_utf8(html::escape("\xff\xfe<\xed\xa0\x80")));
}

TEST(DashboardHtml, PercentEncodesEveryByteOutsideTheUnreservedSet) {
  EXPECT_EQ(html::path_segment("anna.b_c~d-e9"), "anna.b_c~d-e9");
  EXPECT_EQ(html::path_segment("a b/ü?#%"), "a%20b%2F%C3%BC%3F%23%25");
  EXPECT_EQ(html::path_segment("\"><script>"), "%22%3E%3Cscript%3E");
  EXPECT_EQ(html::path_segment(".."), "%2E%2E");
  EXPECT_EQ(html::person_path("a/b"), "/people/a%2Fb");
  EXPECT_EQ(html::system_path("payments api"), "/systems/payments%20api");
  EXPECT_EQ(html::agency_path("Flexforce IT"), "/agencies/Flexforce%20IT");
  EXPECT_EQ(html::agency_path(""), "/agencies/-");
  EXPECT_EQ(html::checklist_path("mallory"), "/checklists/mallory");
  EXPECT_EQ(html::ack_path("0123abcd"), "/findings/0123abcd/ack");
}

TEST(DashboardHtml, LinksEscapeBothPathAndText) {
  EXPECT_EQ(html::link(html::person_path("x\"y"), "<Mal>"),
            "<a href=\"/people/x%22y\">&lt;Mal&gt;</a>");
}

}  // namespace
}  // namespace secondsight::app::dashboard
