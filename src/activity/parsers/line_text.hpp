// Small string_view helpers the line parsers share: no allocation, no locale.
#pragma once

#include <string_view>

namespace secondsight::activity::parsers {

inline bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

inline std::string_view skip_blanks(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && is_blank(text[i])) ++i;
  return text.substr(i);
}

// The tailer drops "\r\n" line ends, but a stray CR (a file edited on Windows, a CR CR LF)
// or trailing blanks must not change how a line reads.
inline std::string_view trim_line_end(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n' || is_blank(line.back())))
    line.remove_suffix(1);
  return line;
}

// Blank lines and '#' comments count as lines but are never records nor damage.
inline bool is_blank_or_comment(std::string_view line) {
  const auto text = skip_blanks(line);
  return text.empty() || text.front() == '#';
}

// The next word up to a blank (and the rest after it, blanks skipped).
inline std::string_view next_word(std::string_view& text) {
  std::size_t end = 0;
  while (end < text.size() && !is_blank(text[end])) ++end;
  const auto word = text.substr(0, end);
  text = skip_blanks(text.substr(end));
  return word;
}

}  // namespace secondsight::activity::parsers
