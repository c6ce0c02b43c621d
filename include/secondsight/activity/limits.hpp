// How much one input can make a log source hold: the sizes past which a line is skipped.
// docs/configuration.md ("Limits") says what happens at each.
#pragma once

#include <cstddef>

namespace secondsight::activity {

// One log line, its line end not counted, and one journal field's value. auditd writes
// records of under 9 KiB and journald cuts a service's output lines at 48 KiB (LineMax), so a
// longer line is damaged: it is counted as skipped and reading goes on after it, never cut
// short into a line that says something else, and never held whole.
constexpr std::size_t k_max_line_bytes = std::size_t{64} << 10;

}  // namespace secondsight::activity
