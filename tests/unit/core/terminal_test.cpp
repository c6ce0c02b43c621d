// Columns on a terminal: what a string takes, padding by columns.
#include "secondsight/core/terminal.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace secondsight {
namespace {

TEST(DisplayWidth, CountsColumnsNotBytes) {
  EXPECT_EQ(display_width(""), 0u);
  EXPECT_EQ(display_width("petra"), 5u);
  EXPECT_EQ(display_width("Müller"), 6u);                    // ü is two bytes, one column
  EXPECT_EQ(display_width("Mu\xCC\x88ller"), 6u);            // u and a combining diaeresis
  EXPECT_EQ(display_width("\xE7\x94\xB0\xE4\xB8\xAD"), 4u);  // 田中: two wide characters
  EXPECT_EQ(display_width("a\xE2\x80\x8B"
                          "b"),
            2u);                                     // a zero-width space
  EXPECT_EQ(display_width("\xF0\x9F\x94\x91"), 2u);  // an emoji (key)
  EXPECT_EQ(display_width("\xFF\xFE"
                          "a"),
            3u);                             // no UTF-8: a column per byte
  EXPECT_EQ(display_width("\xE2\x82"), 2u);  // a cut sequence
}

TEST(DisplayWidth, PadsToColumns) {
  EXPECT_EQ(pad_right("Müller", 8), "Müller  ");
  EXPECT_EQ(pad_right("\xE7\x94\xB0\xE4\xB8\xAD", 6), "\xE7\x94\xB0\xE4\xB8\xAD  ");
  EXPECT_EQ(pad_right("toolong", 3), "toolong");
}

TEST(Colour, NeverWhenNoColorIsSetOrTheOutputIsNoTerminal) {
  // A test's output is a file or a pipe: never a terminal.
  ::unsetenv("NO_COLOR");
  EXPECT_FALSE(colour_wanted(1));
  ::setenv("NO_COLOR", "1", 1);
  EXPECT_FALSE(colour_wanted(1));
  ::unsetenv("NO_COLOR");

  // A pseudo-terminal is a terminal: coloured, unless NO_COLOR says no or TERM is dumb.
  const char* term = std::getenv("TERM");
  const std::string old_term = term ? term : "";
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
  ASSERT_GE(master, 0);
  ASSERT_EQ(::grantpt(master), 0);
  ASSERT_EQ(::unlockpt(master), 0);
  const int terminal = ::open(::ptsname(master), O_RDWR | O_NOCTTY);
  ASSERT_GE(terminal, 0);
  ::setenv("TERM", "xterm", 1);
  EXPECT_TRUE(colour_wanted(terminal));
  ::setenv("NO_COLOR", "1", 1);
  EXPECT_FALSE(colour_wanted(terminal));
  ::setenv("NO_COLOR", "", 1);  // empty: as if unset (no-color.org)
  EXPECT_TRUE(colour_wanted(terminal));
  ::unsetenv("NO_COLOR");
  ::setenv("TERM", "dumb", 1);
  EXPECT_FALSE(colour_wanted(terminal));
  if (term)
    ::setenv("TERM", old_term.c_str(), 1);
  else
    ::unsetenv("TERM");
  ::close(terminal);
  ::close(master);
}

}  // namespace
}  // namespace secondsight
