#include "secondsight/core/text.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace secondsight {
namespace {

using namespace std::string_literals;

std::string random_bytes(std::mt19937& random, std::size_t size) {
  std::uniform_int_distribution<int> byte(0, 255);
  std::string out(size, '\0');
  for (auto& c : out) c = static_cast<char>(byte(random));
  return out;
}

TEST(Text, Utf8ValidityFollowsRfc3629) {
  for (const auto& good : {""s, "plain"s, "Müller"s, "日本"s, "\xF0\x9F\x94\x91"s, "a\0b"s})
    EXPECT_TRUE(is_valid_utf8(good)) << escape_terminal(good);
  for (const auto& bad : {"M\xFCller"s, "\xC0\xAF"s, "\xE0\x80\xAF"s, "\xED\xA0\x80"s,
                          "\xF4\x90\x80\x80"s, "\xF5\x80\x80\x80"s, "\xE6\x97"s, "\x80"s, "\xFF"s})
    EXPECT_FALSE(is_valid_utf8(bad)) << escape_terminal(bad);
}

TEST(Text, EveryBadByteBecomesOneReplacementCharacter) {
  EXPECT_EQ(to_valid_utf8("M\xFCller"), "M\uFFFDller");
  EXPECT_EQ(to_valid_utf8("\xE6\x97"), "\uFFFD\uFFFD");
  EXPECT_EQ(to_valid_utf8("ok\xC0\xAF!"), "ok\uFFFD\uFFFD!");
  EXPECT_EQ(to_valid_utf8("Müller"), "Müller");
  std::mt19937 random(15);
  for (int i = 0; i < 2000; ++i) {
    const auto text = random_bytes(random, static_cast<std::size_t>(i % 64));
    const auto valid = to_valid_utf8(text);
    EXPECT_TRUE(is_valid_utf8(valid));
    if (is_valid_utf8(text)) {
      EXPECT_EQ(valid, text);
    }
  }
}

TEST(Text, TerminalTextHasNoControlsNoBidiAndNoBadBytes) {
  EXPECT_EQ(escape_terminal("a\x1b[31mred\x1b[0m"), "a\\x1b[31mred\\x1b[0m");
  EXPECT_EQ(escape_terminal("line\r\nnext\ttab\x7f"), "line\\x0d\\x0anext\\x09tab\\x7f");
  EXPECT_EQ(escape_terminal("M\xFCller"), "M\\xfcller");
  EXPECT_EQ(escape_terminal("Müller 日本"), "Müller 日本");
  // C1 controls (CSI as one code point), bidi overrides and isolates, zero-width and BOM.
  EXPECT_EQ(escape_terminal("\xC2\x9B"
                            "31m"),
            "\\u{009b}31m");
  EXPECT_EQ(escape_terminal("evil\u202Egnp.exe"), "evil\\u{202e}gnp.exe");
  EXPECT_EQ(escape_terminal("\u2066x\u2069\u200B\uFEFF\u061C\u2028"),
            "\\u{2066}x\\u{2069}\\u{200b}\\u{feff}\\u{061c}\\u{2028}");
  EXPECT_EQ(escape_terminal(std::string("nul\0byte", 8)), "nul\\x00byte");
  std::mt19937 random(16);
  for (int i = 0; i < 2000; ++i) {
    const auto shown = escape_terminal(random_bytes(random, static_cast<std::size_t>(i % 64)));
    EXPECT_TRUE(is_valid_utf8(shown));
    for (const char c : shown) {
      const auto byte = static_cast<unsigned char>(c);
      EXPECT_TRUE(byte >= 0x20 && byte != 0x7F) << static_cast<int>(byte);
    }
    EXPECT_EQ(shown.find("\u202E"), std::string::npos);
  }
}

TEST(Text, AMessageIsOneEscapedLine) {
  EXPECT_EQ(message_line("secondsight: ", "bad\nvalue", ": ", 3),
            "secondsight: bad\\x0avalue: 3\n");
}

TEST(Text, JsonTextIsValidUtf8WhateverTheStringsHold) {
  nlohmann::json value{{"name", "M\xFCller"}, {"ok", "Müller"}, {"nul", std::string("a\0b", 3)}};
  std::string text;
  ASSERT_NO_THROW(text = json_text(value));
  EXPECT_TRUE(is_valid_utf8(text));
  const auto back = nlohmann::json::parse(text);
  EXPECT_EQ(back["name"], "M\uFFFDller");
  EXPECT_EQ(back["ok"], "Müller");
  EXPECT_EQ(back["nul"], std::string("a\0b", 3));
  nlohmann::ordered_json ordered{{"key\xFF", "v\xE6\x97"}};
  ASSERT_NO_THROW(text = json_text(ordered, 2));
  EXPECT_TRUE(nlohmann::json::accept(text));
}

TEST(Text, JsonInputWithBadBytesIsReadWithReplacementCharacters) {
  const auto value = parse_json("{\"user\": \"m\xFCller\", \"n\": 1}");
  ASSERT_FALSE(value.is_discarded());
  EXPECT_EQ(value["user"], "m\uFFFDller");
  EXPECT_TRUE(parse_json("{\"user\": ").is_discarded());
  EXPECT_TRUE(parse_json("\xFF").is_discarded());
}

}  // namespace
}  // namespace secondsight
