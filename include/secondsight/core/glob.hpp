// The one glob dialect of secondsight, for policy activity rules and documentation paths alike.
//
// `/` separates segments. Within a segment, `*` matches any run of characters, `?` any one
// character, `[abc]`, `[a-z]` and `[!a-z]` (or `[^a-z]`) one character of a class, and `\c` the
// character c itself; none of them matches a `/`. A segment that is exactly `**` matches any
// number of whole segments, none included (`docs/**`, `**/*.md`). Values without a `/` (hosts,
// keys, actions) are one segment, so there `*` is any run of characters.
#pragma once

#include <string_view>

namespace secondsight {

enum class GlobCase {
  exact,  // repository paths
  fold,   // ASCII letters compare without regard to case: hosts, keys, actions, resources
};

bool glob_match(std::string_view pattern, std::string_view text, GlobCase mode = GlobCase::exact);

}  // namespace secondsight
