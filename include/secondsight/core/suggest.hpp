// Did-you-mean: the known word a mistyped one most likely meant, for messages about an unknown
// key, system, person or choice.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace secondsight {

// Optimal string alignment distance, ignoring ASCII case: typos are one edit each.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate close enough to `word` to be what was meant, else "". Short words tolerate
// fewer edits; a shortened word ("payments" for "payments-api") means the one candidate it
// starts, if only one.
std::string closest(std::string_view word, std::span<const std::string_view> candidates);
std::string closest(std::string_view word, std::span<const std::string> candidates);

// "; did you mean 'groups'?" when a candidate is close enough, else "".
std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates);
std::string did_you_mean(std::string_view word, std::span<const std::string> candidates);

}  // namespace secondsight
