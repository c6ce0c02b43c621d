#include "secondsight/core/glob.hpp"

#include <cstddef>

namespace secondsight {
namespace {

constexpr std::size_t k_end = std::string_view::npos;

char fold(char c, GlobCase mode) {
  return mode == GlobCase::fold && c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// The class that opens at glob[open] == '[': whether `c` is in it; `next` is where the pattern
// goes on after its ']'. A '[' without a closing ']' is no class: `next` stays `open`.
bool class_holds(std::string_view glob, std::size_t open, char c, GlobCase mode,
                 std::size_t& next) {
  std::size_t i = open + 1;
  const bool negate = i < glob.size() && (glob[i] == '!' || glob[i] == '^');
  if (negate) ++i;
  const std::size_t first = i;
  const char folded = fold(c, mode);
  bool hit = false;
  for (; i < glob.size(); ++i) {
    if (glob[i] == ']' && i > first) {
      next = i + 1;
      return hit != negate;
    }
    char low = glob[i];
    if (low == '\\' && i + 1 < glob.size()) low = glob[++i];
    char high = low;
    if (i + 2 < glob.size() && glob[i + 1] == '-' && glob[i + 2] != ']') {
      i += 2;
      high = glob[i];
      if (high == '\\' && i + 1 < glob.size()) high = glob[++i];
    }
    hit |= (low <= c && c <= high) || (fold(low, mode) <= folded && folded <= fold(high, mode));
  }
  next = open;
  return false;
}

// One segment of the pattern against one segment of the text (neither holds a '/'):
// iterative, going back to the last '*' on a mismatch.
bool segment_match(std::string_view glob, std::string_view text, GlobCase mode) {
  std::size_t g = 0, t = 0, star = k_end, mark = 0;
  while (t < text.size()) {
    if (g < glob.size()) {
      const char p = glob[g];
      if (p == '*') {
        star = g++;
        mark = t;
        continue;
      }
      if (p == '?') {
        ++g;
        ++t;
        continue;
      }
      std::size_t next = g;
      bool hit = false;
      if (p == '[') hit = class_holds(glob, g, text[t], mode, next);
      if (next == g) {  // a literal character
        const bool escaped = p == '\\' && g + 1 < glob.size();
        next = g + (escaped ? 2 : 1);
        hit = fold(escaped ? glob[g + 1] : p, mode) == fold(text[t], mode);
      }
      if (hit) {
        g = next;
        ++t;
        continue;
      }
    }
    if (star == k_end) return false;
    g = star + 1;
    t = ++mark;
  }
  while (g < glob.size() && glob[g] == '*') ++g;
  return g == glob.size();
}

std::string_view segment_at(std::string_view s, std::size_t at) {
  return s.substr(at, s.find('/', at) - at);
}

// Where the segment after the one at `at` starts; k_end after the last.
std::size_t next_segment(std::string_view s, std::size_t at) {
  const std::size_t slash = s.find('/', at);
  return slash == k_end ? k_end : slash + 1;
}

// The pattern's segments from `g` against the text's from `t` (k_end: none left).
bool match_from(std::string_view glob, std::size_t g, std::string_view text, std::size_t t,
                GlobCase mode) {
  while (g != k_end) {
    const std::string_view head = segment_at(glob, g);
    const std::size_t after = next_segment(glob, g);
    if (head == "**") {
      for (;; t = next_segment(text, t)) {  // none of the text's segments, then one more, ...
        if (match_from(glob, after, text, t, mode)) return true;
        if (t == k_end) return false;
      }
    }
    if (t == k_end || !segment_match(head, segment_at(text, t), mode)) return false;
    g = after;
    t = next_segment(text, t);
  }
  return t == k_end;
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view text, GlobCase mode) {
  if (pattern.find('/') == k_end && text.find('/') == k_end && pattern != "**")
    return segment_match(pattern, text, mode);
  return match_from(pattern, 0, text, 0, mode);
}

}  // namespace secondsight
