// Text for a terminal: how many columns a string takes, padding by columns rather than bytes,
// and whether to colour (a terminal that is not told NO_COLOR).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace secondsight {

// The columns `text` (UTF-8, already escaped for the terminal) takes: combining marks and
// zero-width characters none, East Asian wide and full-width characters and emoji two, every
// other character one. A byte that is no valid UTF-8 counts one.
std::size_t display_width(std::string_view text);

// `text` followed by spaces up to `columns` columns (none when it is as wide or wider).
std::string pad_right(std::string_view text, std::size_t columns);

// Whether output to `fd` may be coloured: it is a terminal, NO_COLOR is unset or empty
// (no-color.org), and TERM is not "dumb".
bool colour_wanted(int fd);

}  // namespace secondsight
